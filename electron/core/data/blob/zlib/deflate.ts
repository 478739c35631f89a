import { BitWriter } from './bit-writer';
import { BlockEncoder } from './block-encoder';

/**
 * `zlib.compress(data)` of CPython (level 6, 32 KiB window, memLevel 8) reproduced byte for byte.
 * DataJoint compresses blobs with it, and an external blob's storage hash is the md5 of the packed
 * bytes: only an identical compressor lets Joinery and DataJoint deduplicate the same array.
 * Node's own zlib is Chromium's fork, whose output differs on most inputs.
 *
 * This is deflate.c's deflate_slow (lazy matching) with the whole input available at once, as
 * zlib.compress gives it, including the window sliding and the zeroed look-ahead that decide which
 * of several equal matches is found.
 */

const WSIZE = 1 << 15;
const WMASK = WSIZE - 1;
const WINDOW_SIZE = 2 * WSIZE;
const HASH_SIZE = 1 << 15;
const HASH_MASK = HASH_SIZE - 1;
const HASH_SHIFT = 5;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST = WSIZE - MIN_LOOKAHEAD;
const TOO_FAR = 4096;
// level 6 of zlib's configuration_table
const GOOD_MATCH = 8;
const MAX_LAZY = 16;
const NICE_MATCH = 128;
const MAX_CHAIN = 128;

/** The zlib stream (header, deflate data, Adler-32) that CPython's `zlib.compress(input)` returns. */
export function zlibCompress(input: Uint8Array): Uint8Array {
  const out = new BitWriter(Math.ceil(input.length / 2) + 64);
  out.bytes(Uint8Array.of(0x78, 0x9c));
  new Lz77(input, new BlockEncoder(out)).run();
  const adler = adler32(input);
  out.bytes(Uint8Array.of(adler >>> 24, (adler >>> 16) & 0xff, (adler >>> 8) & 0xff, adler & 0xff));
  return out.result();
}

/** Adler-32 checksum (RFC 1950). */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length;) {
    const end = Math.min(i + 3800, data.length); // keeps b below 2^53 between reductions
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

class Lz77 {
  private readonly win = new Uint8Array(WINDOW_SIZE);
  private readonly prev = new Uint16Array(WSIZE);
  private readonly head = new Uint16Array(HASH_SIZE);
  private nextIn = 0;
  private strstart = 0;
  private blockStart = 0;
  private lookahead = 0;
  private insert = 0;
  private insH = 0;
  private matchStart = 0;
  private matchLength = MIN_MATCH - 1;
  private prevLength = MIN_MATCH - 1;
  private prevMatch = 0;
  private matchAvailable = false;
  private highWater = 0;

  constructor(
    private readonly input: Uint8Array,
    private readonly blocks: BlockEncoder,
  ) {}

  private insertString(str: number): number {
    this.insH = ((this.insH << HASH_SHIFT) ^ this.win[str + MIN_MATCH - 1]!) & HASH_MASK;
    const head = this.head[this.insH]!;
    this.prev[str & WMASK] = head;
    this.head[this.insH] = str;
    return head;
  }

  private flushBlock(last: boolean): void {
    const storedLen = this.strstart - this.blockStart;
    const stored = this.blockStart >= 0 ? this.win.subarray(this.blockStart, this.blockStart + storedLen) : null;
    this.blocks.flush(stored, storedLen, last);
    this.blockStart = this.strstart;
  }

  /** deflate_slow with flush = Z_FINISH. */
  run(): void {
    for (;;) {
      if (this.lookahead < MIN_LOOKAHEAD) {
        this.fillWindow();
        if (this.lookahead === 0) break;
      }
      let hashHead = 0;
      if (this.lookahead >= MIN_MATCH) hashHead = this.insertString(this.strstart);
      this.prevLength = this.matchLength;
      this.prevMatch = this.matchStart;
      this.matchLength = MIN_MATCH - 1;
      if (hashHead !== 0 && this.prevLength < MAX_LAZY && this.strstart - hashHead <= MAX_DIST) {
        this.matchLength = this.longestMatch(hashHead);
        if (this.matchLength <= 5 && this.matchLength === MIN_MATCH && this.strstart - this.matchStart > TOO_FAR) {
          this.matchLength = MIN_MATCH - 1;
        }
      }
      if (this.prevLength >= MIN_MATCH && this.matchLength <= this.prevLength) {
        this.emitPreviousMatch();
      } else if (this.matchAvailable) {
        if (this.blocks.literal(this.win[this.strstart - 1]!)) this.flushBlock(false);
        this.strstart++;
        this.lookahead--;
      } else {
        this.matchAvailable = true;
        this.strstart++;
        this.lookahead--;
      }
    }
    if (this.matchAvailable) {
      this.blocks.literal(this.win[this.strstart - 1]!);
      this.matchAvailable = false;
    }
    this.flushBlock(true);
  }

  private emitPreviousMatch(): void {
    const maxInsert = this.strstart + this.lookahead - MIN_MATCH;
    const full = this.blocks.match(this.strstart - 1 - this.prevMatch, this.prevLength - MIN_MATCH);
    this.lookahead -= this.prevLength - 1;
    this.prevLength -= 2;
    do {
      if (++this.strstart <= maxInsert) this.insertString(this.strstart);
    } while (--this.prevLength !== 0);
    this.matchAvailable = false;
    this.matchLength = MIN_MATCH - 1;
    this.strstart++;
    if (full) this.flushBlock(false);
  }

  private longestMatch(curMatch: number): number {
    const win = this.win;
    const scan = this.strstart;
    let chain = this.prevLength >= GOOD_MATCH ? MAX_CHAIN >> 2 : MAX_CHAIN;
    let bestLen = this.prevLength;
    const nice = Math.min(NICE_MATCH, this.lookahead);
    const limit = this.strstart > MAX_DIST ? this.strstart - MAX_DIST : 0;
    let scanEnd1 = win[scan + bestLen - 1]!;
    let scanEnd = win[scan + bestLen]!;
    do {
      const match = curMatch;
      if (
        win[match + bestLen] !== scanEnd ||
        win[match + bestLen - 1] !== scanEnd1 ||
        win[match] !== win[scan] ||
        win[match + 1] !== win[scan + 1]
      )
        continue;
      // byte 2 is equal whenever bytes 0 and 1 are, since the hashes are; zlib skips it too
      let len = 3;
      while (len < MAX_MATCH && win[scan + len] === win[match + len]) len++;
      if (len > bestLen) {
        this.matchStart = curMatch;
        bestLen = len;
        if (len >= nice) break;
        scanEnd1 = win[scan + bestLen - 1]!;
        scanEnd = win[scan + bestLen]!;
      }
    } while ((curMatch = this.prev[curMatch & WMASK]!) > limit && --chain !== 0);
    return Math.min(bestLen, this.lookahead);
  }

  private fillWindow(): void {
    do {
      let more = WINDOW_SIZE - this.lookahead - this.strstart;
      if (this.strstart >= WSIZE + MAX_DIST) {
        this.slide(more);
        more += WSIZE;
      }
      if (this.nextIn >= this.input.length) break;
      const n = Math.min(more, this.input.length - this.nextIn);
      this.win.set(this.input.subarray(this.nextIn, this.nextIn + n), this.strstart + this.lookahead);
      this.nextIn += n;
      this.lookahead += n;
      if (this.lookahead + this.insert >= MIN_MATCH) this.insertPending();
    } while (this.lookahead < MIN_LOOKAHEAD && this.nextIn < this.input.length);
    this.zeroLookaheadTail();
  }

  private slide(more: number): void {
    this.win.copyWithin(0, WSIZE, WSIZE + (WSIZE - more));
    this.matchStart -= WSIZE;
    this.strstart -= WSIZE;
    this.blockStart -= WSIZE;
    if (this.insert > this.strstart) this.insert = this.strstart;
    for (const table of [this.head, this.prev]) {
      for (let i = 0; i < table.length; i++) {
        const m = table[i]!;
        table[i] = m >= WSIZE ? m - WSIZE : 0;
      }
    }
  }

  private insertPending(): void {
    let str = this.strstart - this.insert;
    this.insH = this.win[str]!;
    this.insH = ((this.insH << HASH_SHIFT) ^ this.win[str + 1]!) & HASH_MASK;
    while (this.insert) {
      this.insertString(str);
      str++;
      this.insert--;
      if (this.lookahead + this.insert < MIN_MATCH) break;
    }
  }

  /** zlib zeroes up to MAX_MATCH bytes past the data so the matcher never reads stale memory. */
  private zeroLookaheadTail(): void {
    if (this.highWater >= WINDOW_SIZE) return;
    const curr = this.strstart + this.lookahead;
    if (this.highWater < curr) {
      const init = Math.min(WINDOW_SIZE - curr, MAX_MATCH);
      this.win.fill(0, curr, curr + init);
      this.highWater = curr + init;
    } else if (this.highWater < curr + MAX_MATCH) {
      const init = Math.min(curr + MAX_MATCH - this.highWater, WINDOW_SIZE - this.highWater);
      this.win.fill(0, this.highWater, this.highWater + init);
      this.highWater += init;
    }
  }
}
