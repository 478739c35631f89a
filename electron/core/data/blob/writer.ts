/**
 * A growable little-endian byte buffer for the encoder. Nested values are written in place after
 * an 8-byte placeholder that is patched with their length afterwards, so encoding is one pass with
 * no intermediate buffers per nested value.
 */
export class BlobWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < needed) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Writes a zero u64 and returns where, for {@link patchLength}. */
  placeholder(): number {
    const at = this.length;
    this.u64(0);
    return at;
  }

  /** Sets the placeholder at `at` to the number of bytes written since it. */
  patchLength(at: number): void {
    this.view.setBigUint64(at, BigInt(this.length - at - 8), true);
  }

  /** The bytes written so far (a view; copy it if you keep writing). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The bytes written, as an exactly-sized array of their own (no copy when the buffer is full). */
  take(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}
