import { inflateSync } from 'node:zlib';
import { corruptBlob, type OffsetSpace } from './blob-error';

/** The two payload protocols: `mYm` (MATLAB-compatible content only) and `dj0` (Python extensions). */
export type BlobProtocol = 'mYm' | 'dj0';

/** Prefix of a zlib-compressed blob, followed by the u64 uncompressed length. */
export const COMPRESSED_PREFIX = Uint8Array.from(Buffer.from('ZL123\0', 'latin1'));
/** The 4-byte header of each protocol. */
export const PROTOCOL_HEADERS: Record<BlobProtocol, Uint8Array> = {
  mYm: Uint8Array.from(Buffer.from('mYm\0', 'latin1')),
  dj0: Uint8Array.from(Buffer.from('dj0\0', 'latin1')),
};

/** Options shared by every entry point that reads stored blob bytes. */
export interface UnwrapOptions {
  /** Read lengths as u32, for blobs written by 32-bit MATLAB mym (DataJoint's `blob.use_32bit_dims`). */
  dims32?: boolean;
  /** Refuse compressed blobs that declare more than this many bytes (default 2 GiB). */
  maxDecompressedBytes?: number;
}

/** A stored blob with the compression removed and the protocol identified. */
export interface UnwrappedBlob {
  /** Protocol header + encoded value. */
  raw: Uint8Array;
  protocol: BlobProtocol;
  compressed: boolean;
  /** Which bytes offsets in `raw` refer to, for error messages. */
  space: OffsetSpace;
}

/** Facts about a stored blob, as the reference fixture records them. */
export interface BlobInfo {
  protocol: BlobProtocol;
  compressed: boolean;
  storedLength: number;
  /** Length after decompression (equal to storedLength when not compressed). */
  rawLength: number;
  /** The top value's type code byte. */
  firstTypeCode: number;
}

const startsWith = (b: Uint8Array, prefix: Uint8Array, at = 0): boolean =>
  b.length >= at + prefix.length && prefix.every((x, i) => b[at + i] === x);

/** Undoes ZL123 compression (checking the declared length) and identifies the protocol header. */
export function unwrapBlob(input: Uint8Array, options: UnwrapOptions = {}): UnwrappedBlob {
  // a plain view: subarrays of a Buffer are Buffers, whose slice() does not copy
  const stored = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const compressed = startsWith(stored, COMPRESSED_PREFIX);
  const raw = compressed ? inflate(stored, options) : stored;
  const space: OffsetSpace = compressed ? 'decompressed' : 'stored';
  const protocol = (Object.keys(PROTOCOL_HEADERS) as BlobProtocol[]).find((p) => startsWith(raw, PROTOCOL_HEADERS[p]));
  if (!protocol) {
    const head = Buffer.from(raw.subarray(0, 4)).toString('hex');
    throw corruptBlob(`expected the protocol header mYm\\0 or dj0\\0, found 0x${head || '(nothing)'}`, 0, space);
  }
  if (raw.length < 5) throw corruptBlob('the blob ends after its protocol header', raw.length, space);
  return { raw, protocol, compressed, space };
}

/** Protocol, compression and sizes of a stored blob, without decoding the value. */
export function inspectBlob(stored: Uint8Array, options: UnwrapOptions = {}): BlobInfo {
  const u = unwrapBlob(stored, options);
  return {
    protocol: u.protocol,
    compressed: u.compressed,
    storedLength: stored.length,
    rawLength: u.raw.length,
    firstTypeCode: u.raw[4]!,
  };
}

function inflate(stored: Uint8Array, options: UnwrapOptions): Uint8Array {
  const sizeBytes = options.dims32 ? 4 : 8;
  const streamAt = COMPRESSED_PREFIX.length + sizeBytes;
  if (stored.length < streamAt) throw corruptBlob('the compressed blob ends inside its length field', stored.length);
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  const declared = options.dims32 ? BigInt(view.getUint32(6, true)) : view.getBigUint64(6, true);
  const limit = options.maxDecompressedBytes ?? 2 ** 31;
  if (declared === 0n || declared > BigInt(limit)) {
    throw corruptBlob(
      `declared uncompressed length ${declared} is ${declared === 0n ? 'zero' : `over the ${limit}-byte limit`}`,
      6,
    );
  }
  const stream = stored.subarray(streamAt);
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflateSync(stream, { maxOutputLength: Number(declared), info: true }) as unknown as typeof result;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const why =
      err.code === 'ERR_BUFFER_TOO_LARGE'
        ? `it inflates to more than the declared ${declared} bytes`
        : (err.message ?? String(e));
    throw corruptBlob(`the zlib stream starting here is invalid: ${why}`, streamAt);
  }
  const { buffer, engine } = result;
  if (engine.bytesWritten < stream.length) {
    throw corruptBlob(
      `${stream.length - engine.bytesWritten} bytes follow the end of the zlib stream`,
      streamAt + engine.bytesWritten,
    );
  }
  if (buffer.length !== Number(declared)) {
    throw corruptBlob(`the zlib stream inflates to ${buffer.length} bytes, not the declared ${declared}`, streamAt);
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}
