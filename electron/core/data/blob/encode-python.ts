import { PyDate, PyDateTime, PyTime } from '../python/datetime';
import type { PyComplex, PyDecimal, PyUuid } from '../python/values';
import { unencodable } from './blob-error';
import { nestedWrite, writeSized, type EncodeContext } from './encode-context';
import type { BlobInput } from './model';
import type { BlobWriter } from './writer';

/**
 * Writers for dj0's Python-native codes. Each mirrors DataJoint's pack_* so the bytes match what
 * DataJoint writes for the same Python value.
 */

/** `\x0a`: u16 size + two's complement; the size is bit_length // 8 + 1 bytes, as pack_int computes it. */
export function writeInt(w: BlobWriter, v: bigint, path: string): void {
  const magnitude = v < 0n ? -v : v;
  const bitLength = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const size = Math.floor(bitLength / 8) + 1;
  if (size > 0xffff) throw unencodable('integers are limited to 65535 bytes', path);
  let u = v < 0n ? (1n << BigInt(8 * size)) + v : v;
  w.u8(0x0a);
  w.u16(size);
  for (let i = 0; i < size; i++) {
    w.u8(Number(u & 0xffn));
    u >>= 8n;
  }
}

/** `\x0d` float64. */
export function writeFloat(w: BlobWriter, x: number): void {
  w.u8(0x0d);
  w.f64(x);
}
/** `\x0b` bool as one byte. */
export function writeBool(w: BlobWriter, b: boolean): void {
  w.u8(0x0b);
  w.u8(b ? 1 : 0);
}
/** `\x0c` complex128. */
export function writeComplex(w: BlobWriter, c: PyComplex): void {
  w.u8(0x0c);
  w.f64(c.re);
  w.f64(c.im);
}

function writeText(w: BlobWriter, code: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  w.u8(code);
  w.u64(bytes.length);
  w.bytes(bytes);
}

/** `\x05` str as u64 length + UTF-8. */
export const writeString = (w: BlobWriter, s: string): void => writeText(w, 0x05, s);
/** `d` Decimal as u64 length + `str(Decimal)`. */
export const writeDecimal = (w: BlobWriter, d: PyDecimal): void => writeText(w, 0x64, d.text);

/** `\x06` bytes as u64 length + raw bytes. */
export function writeBytes(w: BlobWriter, b: Uint8Array): void {
  w.u8(0x06);
  w.u64(b.length);
  w.bytes(b);
}

/** `u` UUID as its 16 bytes. */
export function writeUuid(w: BlobWriter, u: PyUuid): void {
  w.u8(0x75);
  w.bytes(u.bytes);
}

/** `t`: i32 YYYYMMDD or -1, i64 HHMMSSffffff or -1. */
export function writeDateTime(w: BlobWriter, v: PyDate | PyTime | PyDateTime): void {
  const hasDate = v instanceof PyDate || v instanceof PyDateTime;
  const hasTime = v instanceof PyTime || v instanceof PyDateTime;
  w.u8(0x74);
  w.i32(hasDate ? (v.year * 100 + v.month) * 100 + v.day : -1);
  w.i64(hasTime ? BigInt(((v.hour * 100 + v.minute) * 100 + v.second) * 1_000_000 + v.microsecond) : -1n);
}

/** `\x01` tuple, `\x02` list, `\x03` set: u64 count, then each item as u64 length + value. */
export function writeItems(
  w: BlobWriter,
  code: number,
  items: readonly BlobInput[],
  ctx: EncodeContext,
  path: string,
): void {
  w.u8(code);
  w.u64(items.length);
  nestedWrite(ctx, path, () => items.forEach((v, i) => writeSized(w, v, ctx, `${path}[${i}]`)));
}

/** `\x04` dict: u64 count, then per entry u64 length + key and u64 length + value. */
export function writeDict(
  w: BlobWriter,
  entries: ReadonlyArray<readonly [BlobInput, BlobInput]>,
  ctx: EncodeContext,
  path: string,
): void {
  w.u8(0x04);
  w.u64(entries.length);
  nestedWrite(ctx, path, () =>
    entries.forEach(([k, v], i) => {
      writeSized(w, k, ctx, `${path}.keys[${i}]`);
      writeSized(w, v, ctx, `${path}[${typeof k === 'string' ? JSON.stringify(k) : i}]`);
    }),
  );
}
