import { deflateSync } from 'node:zlib';
import { PyDate, PyDateTime, PyTime } from '../python/datetime';
import { PyComplex, PyDecimal, PyFloat, PyUuid } from '../python/values';
import { unencodable } from './blob-error';
import { writeArray, writeCell, writeRecArray, writeStruct } from './encode-array';
import type { EncodeContext } from './encode-context';
import {
  writeBool,
  writeBytes,
  writeComplex,
  writeDateTime,
  writeDecimal,
  writeDict,
  writeFloat,
  writeInt,
  writeItems,
  writeString,
  writeUuid,
} from './encode-python';
import { MatCell, MatStruct, PyDict, PySet, PyTuple, RecArray, type BlobInput } from './model';
import { NdArray } from './model';
import { COMPRESSED_PREFIX, PROTOCOL_HEADERS } from './unwrap';
import { BlobWriter } from './writer';
import { zlibCompress } from './zlib/deflate';

/** Options for {@link encodeBlob}. */
export interface EncodeOptions {
  /** Compress like DataJoint (default true): ZL123 when the payload exceeds 1000 bytes and shrinks. */
  compress?: boolean;
  /**
   * `exact` (default) reproduces CPython's zlib byte for byte, so hashes of external blobs match
   * DataJoint's; `native` uses Node's zlib, several times faster, same data, different bytes.
   */
  zlib?: 'exact' | 'native';
  /** Deepest nesting accepted (also stops reference cycles). */
  maxDepth?: number;
}

const isPlainObject = (v: object): v is Record<string, BlobInput> => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Writes any model value (DataJoint's pack_blob dispatch). */
export function writeValue(w: BlobWriter, v: BlobInput, ctx: EncodeContext, path: string): void {
  if (v instanceof NdArray) return writeArray(w, v, ctx, path);
  if (v instanceof MatCell) return writeCell(w, v, ctx, path);
  if (v instanceof MatStruct) return writeStruct(w, v, ctx, path);
  ctx.dj0 = true; // everything below is a dj0 extension
  if (v === null) return w.u8(0xff);
  switch (typeof v) {
    case 'boolean':
      return writeBool(w, v);
    case 'bigint':
      return writeInt(w, v, path);
    case 'number':
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? writeInt(w, BigInt(v), path) : writeFloat(w, v);
    case 'string':
      return writeString(w, v);
    case 'object':
      break;
    default:
      throw unencodable(`${typeof v} values have no blob encoding`, path);
  }
  if (v instanceof Uint8Array) return writeBytes(w, v);
  if (Array.isArray(v)) return writeItems(w, 0x02, v as readonly BlobInput[], ctx, path);
  if (v instanceof PyFloat) return writeFloat(w, v.value);
  if (v instanceof PyTuple) return writeItems(w, 0x01, v.items, ctx, path);
  if (v instanceof PySet) return writeItems(w, 0x03, v.items, ctx, path);
  if (v instanceof PyDict) return writeDict(w, v.entries, ctx, path);
  if (v instanceof RecArray) return writeRecArray(w, v, ctx, path);
  if (v instanceof PyComplex) return writeComplex(w, v);
  if (v instanceof PyDecimal) return writeDecimal(w, v);
  if (v instanceof PyUuid) return writeUuid(w, v);
  if (v instanceof PyDate || v instanceof PyTime || v instanceof PyDateTime) return writeDateTime(w, v);
  if (isPlainObject(v)) return writeDict(w, Object.entries(v), ctx, path);
  throw unencodable(
    `${v.constructor?.name ?? 'this object'} is not a blob value (use the classes of the blob model)`,
    path,
  );
}

/** The exact size of a top-level numeric array's blob (so big arrays are copied once), else a guess. */
function sizeHint(value: BlobInput): number {
  if (!(value instanceof NdArray) || value.dtype === 'object') return 256;
  const data = value.data as { byteLength: number };
  return 4 + 1 + 8 * (value.ndim + 1) + 8 + data.byteLength * (value.imag ? 2 : 1);
}

/**
 * Encodes a value as DataJoint 0.14 would store it: protocol `mYm` when the content is
 * MATLAB-compatible, `dj0` otherwise, then ZL123 + zlib when that shrinks a payload over 1000
 * bytes. Why exact: identical bytes keep external-store hashes and checksums equal to DataJoint's.
 */
export function encodeBlob(value: BlobInput, options: EncodeOptions = {}): Uint8Array {
  const w = new BlobWriter(sizeHint(value));
  w.bytes(PROTOCOL_HEADERS.mYm);
  const ctx: EncodeContext = { dj0: false, depth: 0, maxDepth: options.maxDepth ?? 512, writeValue };
  writeValue(w, value, ctx, '$');
  const raw = w.result();
  if (ctx.dj0) raw.set(PROTOCOL_HEADERS.dj0, 0);
  if (options.compress === false || raw.length <= 1000) return w.take();
  const packed = options.zlib === 'native' ? deflateSync(raw, { level: 6 }) : zlibCompress(raw);
  if (COMPRESSED_PREFIX.length + 8 + packed.length >= raw.length) return w.take();
  const out = new Uint8Array(COMPRESSED_PREFIX.length + 8 + packed.length);
  out.set(COMPRESSED_PREFIX, 0);
  new DataView(out.buffer).setBigUint64(COMPRESSED_PREFIX.length, BigInt(raw.length), true);
  out.set(packed, COMPRESSED_PREFIX.length + 8);
  return out;
}
