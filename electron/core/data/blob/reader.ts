import { corruptBlob, type OffsetSpace } from './blob-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A bounds-checked little-endian cursor over blob bytes. Every read checks the bytes left before
 * touching them, and lengths are checked against what is left before anything is allocated, so a
 * corrupt or hostile blob ends in a VALIDATION error with an offset, never in a crash or a huge
 * allocation.
 */
export class BlobReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    /** Exclusive end: a nested value's reader stops at its declared length. */
    readonly end: number,
    readonly space: OffsetSpace,
    /** MATLAB's 32-bit mym writes lengths and dimensions as u32 (DataJoint's use_32bit_dims). */
    readonly dims32: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** A reader over the next `length` bytes; this reader skips them. */
  sub(length: number): BlobReader {
    this.need(length, 'nested value');
    const r = new BlobReader(this.bytes, this.pos, this.pos + length, this.space, this.dims32);
    this.pos += length;
    return r;
  }

  /** The corrupt-blob error for the current position (or `at`). */
  fail(message: string, at = this.pos): Error {
    return corruptBlob(message, at, this.space);
  }

  need(n: number, what: string): void {
    if (n > this.remaining) {
      throw this.fail(`${what} needs ${n} bytes but only ${this.remaining} remain`);
    }
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A u64 (u32 in dims32 mode) as a number; values past 2^53 are corrupt for any real blob. */
  size(what: string): number {
    const at = this.pos;
    if (this.dims32) return this.u32(what);
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(`${what} ${v} is impossibly large`, at);
    return Number(v);
  }

  /** A size that counts items each taking at least `minBytes`, so it cannot exceed what is left. */
  count(what: string, minBytes: number): number {
    const at = this.pos;
    const n = this.size(what);
    if (n * minBytes > this.remaining) {
      throw this.fail(`${what} ${n} needs at least ${n * minBytes} bytes but only ${this.remaining} remain`, at);
    }
    return n;
  }

  /** The next `n` bytes as a view (no copy). */
  view8(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** The next `n` bytes decoded as strict UTF-8 (Python's `bytes.decode()`). */
  utf8(n: number, what: string): string {
    const at = this.pos;
    const raw = this.view8(n, what);
    try {
      return utf8.decode(raw);
    } catch {
      throw this.fail(`${what} is not valid UTF-8`, at);
    }
  }

  /** A `\0`-terminated UTF-8 string (protocol names, field names). */
  zstring(what: string): string {
    const at = this.pos;
    const stop = this.bytes.subarray(this.pos, this.end).indexOf(0);
    if (stop < 0) throw this.fail(`${what} has no terminating zero byte`, at);
    const s = this.utf8(stop, what);
    this.pos += 1;
    return s;
  }
}
