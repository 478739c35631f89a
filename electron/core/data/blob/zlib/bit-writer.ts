/** Deflate's output: bits packed least-significant first into a growing byte buffer. */
export class BitWriter {
  private buf: Uint8Array;
  length = 0;
  private bitBuf = 0;
  private bitCount = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 64));
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Appends the low `bits` (at most 16) bits of `value`. */
  send(value: number, bits: number): void {
    this.bitBuf |= value << this.bitCount;
    this.bitCount += bits;
    if (this.bitCount >= 8) {
      this.ensure(2);
      while (this.bitCount >= 8) {
        this.buf[this.length++] = this.bitBuf & 0xff;
        this.bitBuf >>>= 8;
        this.bitCount -= 8;
      }
    }
  }

  /** Pads with zero bits to a byte boundary (zlib's bi_windup). */
  windup(): void {
    if (this.bitCount > 0) {
      this.ensure(1);
      this.buf[this.length++] = this.bitBuf & 0xff;
    }
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  /** Appends whole bytes; only valid on a byte boundary. */
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
