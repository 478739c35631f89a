import { isAppError } from '../../../../shared/errors';
import { PyDate, PyDateTime, PyTime } from '../python/datetime';
import { PyComplex, PyDecimal, pyFloat, pyInt, PyUuid, type PyFloat } from '../python/values';
import { MIN_SIZED_VALUE, nested, readSized, type DecodeContext } from './decode-context';
import { PyDict, PySet, PyTuple, type BlobValue } from './model';
import { copyBytes } from './order';
import type { BlobReader } from './reader';

/**
 * Readers for dj0's Python-native codes: collections (tuple, list, set, dict), str, bytes, int,
 * bool, complex, float, Decimal, date/time/datetime and UUID.
 */

function readItems(r: BlobReader, ctx: DecodeContext): BlobValue[] {
  const n = r.count('item count', MIN_SIZED_VALUE);
  return nested(r, ctx, () => {
    const items: BlobValue[] = [];
    for (let i = 0; i < n; i++) items.push(readSized(r, ctx));
    return items;
  });
}

/** `\x01` tuple: u64 count, then u64 length + value per item. */
export const readTuple = (r: BlobReader, ctx: DecodeContext): PyTuple => new PyTuple(readItems(r, ctx));
/** `\x02` list (a JS array). */
export const readList = (r: BlobReader, ctx: DecodeContext): BlobValue[] => readItems(r, ctx);
/** `\x03` set, in stored order. */
export const readSet = (r: BlobReader, ctx: DecodeContext): PySet => new PySet(readItems(r, ctx));

/** `\x04` dict: u64 count, then u64 length + key and u64 length + value per entry. */
export function readDict(r: BlobReader, ctx: DecodeContext): PyDict {
  const n = r.count('entry count', 2 * MIN_SIZED_VALUE);
  return nested(r, ctx, () => {
    const entries: Array<[BlobValue, BlobValue]> = [];
    for (let i = 0; i < n; i++) entries.push([readSized(r, ctx), readSized(r, ctx)]);
    return new PyDict(entries);
  });
}

/** `\x05` str: u64 length + strict UTF-8. */
export const readString = (r: BlobReader): string => r.utf8(r.size('string length'), 'string');
/** `\x06` bytes: u64 length + raw bytes (copied, so the blob buffer can be freed). */
export const readBytes = (r: BlobReader): Uint8Array => copyBytes(r.view8(r.size('bytes length'), 'bytes'));

/** `\x0a`: u16 byte count + two's-complement little-endian integer of any size. */
export function readInt(r: BlobReader): number | bigint {
  const raw = r.view8(r.u16('integer size'), 'integer');
  if (raw.length === 0) return 0;
  let hex = '';
  for (let i = raw.length - 1; i >= 0; i--) hex += raw[i]!.toString(16).padStart(2, '0');
  let v = BigInt(`0x${hex}`);
  if (raw[raw.length - 1]! & 0x80) v -= 1n << BigInt(8 * raw.length);
  return pyInt(v);
}

/** `\x0b` bool: one byte, non-zero is True (numpy's reading). */
export const readBool = (r: BlobReader): boolean => r.u8('bool') !== 0;
/** `\x0d` float64 (a PyFloat when its value would read back as an int). */
export const readFloat = (r: BlobReader): number | PyFloat => pyFloat(r.f64('float'));
/** `\x0c` complex128: real then imaginary float64. */
export const readComplex = (r: BlobReader): PyComplex =>
  new PyComplex(r.f64('complex real part'), r.f64('complex imaginary part'));

/** Runs a constructor that validates, turning its VALIDATION error into a corrupt-blob error at `at`. */
function construct<T>(r: BlobReader, at: number, what: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (isAppError(e)) throw r.fail(`${what}: ${e.message}`, at);
    throw e;
  }
}

/** `d` Decimal: u64 length + its text, validated as Python's Decimal() would. */
export function readDecimal(r: BlobReader): PyDecimal {
  const at = r.pos;
  const text = r.utf8(r.size('decimal length'), 'decimal');
  return construct(r, at, 'invalid decimal', () => new PyDecimal(text));
}

/** `u` UUID: 16 bytes. */
export function readUuid(r: BlobReader): PyUuid {
  return new PyUuid(r.view8(16, 'uuid'));
}

const TIME_LIMIT = 24n * 10n ** 10n; // HHMMSSffffff must stay below 24:00:00

/** `t`: i32 YYYYMMDD (or -1) + i64 HHMMSSffffff (or -1); neither part decodes to None as in DataJoint. */
export function readDateTime(r: BlobReader): PyDate | PyTime | PyDateTime | null {
  const at = r.pos;
  const date = r.i32('date');
  const time = r.i64('time');
  if (date < -1) throw r.fail(`date ${date} is negative`, at);
  if (time < -1n || time >= TIME_LIMIT) throw r.fail(`time ${time} is not HHMMSSffffff`, at + 4);
  return construct(r, at, 'invalid date or time', () => {
    const d = date === -1 ? null : new PyDate(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100);
    const t = time === -1n ? null : timeOf(Number(time));
    if (d && t) return new PyDateTime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.microsecond);
    return d ?? t;
  });
}

function timeOf(t: number): PyTime {
  const us = t % 1_000_000;
  const s = Math.floor(t / 1_000_000);
  return new PyTime(Math.floor(s / 10_000), Math.floor(s / 100) % 100, s % 100, us);
}
