import { readArray } from './decode-array';
import type { DecodeContext } from './decode-context';
import { readCell, readRecArray, readStruct } from './decode-matlab';
import {
  readBool,
  readBytes,
  readComplex,
  readDateTime,
  readDecimal,
  readDict,
  readFloat,
  readInt,
  readList,
  readSet,
  readString,
  readTuple,
  readUuid,
} from './decode-python';
import { unsupportedBlob } from './blob-error';
import type { BlobValue } from './model';
import { BlobReader } from './reader';
import { unwrapBlob, type UnwrapOptions } from './unwrap';

/** Options for {@link decodeBlob}. */
export interface DecodeOptions extends UnwrapOptions {
  /** Deepest nesting of lists/dicts/cells accepted (Python's own recursion limit is about 1000 frames). */
  maxDepth?: number;
}

type Reader = (r: BlobReader, ctx: DecodeContext) => BlobValue;

/** One reader per type code (blob.py's read_blob table). */
const READERS: Record<number, Reader> = {
  0x41: readArray, // A
  0x53: readStruct, // S
  0x43: readCell, // C
  0x46: readRecArray, // F
  0xff: () => null,
  0x01: readTuple,
  0x02: readList,
  0x03: readSet,
  0x04: readDict,
  0x05: readString,
  0x06: readBytes,
  0x0a: readInt,
  0x0b: readBool,
  0x0c: readComplex,
  0x0d: readFloat,
  0x64: readDecimal, // d
  0x74: readDateTime, // t
  0x75: readUuid, // u
};

/** Reads one value: a type code byte, then that type's payload. */
export function readValue(r: BlobReader, ctx: DecodeContext): BlobValue {
  const at = r.pos;
  const code = r.u8('type code');
  if (code === 0x50)
    throw unsupportedBlob('MATLAB sparse arrays (type code P) cannot be read by DataJoint or Joinery', at, r.space);
  const read = READERS[code];
  if (!read) throw r.fail(`unknown type code 0x${code.toString(16).padStart(2, '0')}`, at);
  return read(r, ctx);
}

/**
 * Decodes a stored DataJoint blob (optionally ZL123-compressed, protocol mYm or dj0) into Joinery's
 * value model. Why strict: corrupt cells must surface as a VALIDATION error with the byte offset,
 * never as a crash, a hang or a huge allocation; trailing bytes are refused like DataJoint does.
 */
export function decodeBlob(stored: Uint8Array, options: DecodeOptions = {}): BlobValue {
  const { raw, space } = unwrapBlob(stored, options);
  const r = new BlobReader(raw, 4, raw.length, space, options.dims32 ?? false);
  const ctx: DecodeContext = { depth: 0, maxDepth: options.maxDepth ?? 512, readValue };
  const value = readValue(r, ctx);
  if (r.remaining !== 0) throw r.fail(`${r.remaining} bytes follow the end of the value`);
  return value;
}
