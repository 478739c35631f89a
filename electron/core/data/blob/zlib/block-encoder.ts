import { type BitWriter } from './bit-writer';
import { HuffmanBuilder, Tree, type TreeDesc } from './huffman';
import {
  BASE_DIST,
  BASE_LENGTH,
  BL_CODES,
  BL_ORDER,
  D_CODES,
  distCode,
  END_BLOCK,
  EXTRA_BLBITS,
  EXTRA_DBITS,
  EXTRA_LBITS,
  HEAP_SIZE,
  L_CODES,
  LENGTH_CODE,
  LITERALS,
  MAX_BITS,
  MAX_BL_BITS,
  REP_3_6,
  REPZ_11_138,
  REPZ_3_10,
  STATIC_DTREE_CODE,
  STATIC_DTREE_LEN,
  STATIC_LTREE_CODE,
  STATIC_LTREE_LEN,
} from './tables';

/** Symbols per block before zlib (memLevel 8) flushes: lit_bufsize - 1. */
export const SYMBOLS_PER_BLOCK = (1 << 14) - 1;

const L_DESC: TreeDesc = {
  staticLen: STATIC_LTREE_LEN,
  extraBits: EXTRA_LBITS,
  extraBase: LITERALS + 1,
  elems: L_CODES,
  maxLength: MAX_BITS,
};
const D_DESC: TreeDesc = {
  staticLen: STATIC_DTREE_LEN,
  extraBits: EXTRA_DBITS,
  extraBase: 0,
  elems: D_CODES,
  maxLength: MAX_BITS,
};
const BL_DESC: TreeDesc = {
  staticLen: null,
  extraBits: EXTRA_BLBITS,
  extraBase: 0,
  elems: BL_CODES,
  maxLength: MAX_BL_BITS,
};

/**
 * Collects literal/match symbols of one block and writes the block the way zlib's trees.c does:
 * stored, fixed or dynamic Huffman, whichever zlib's cost estimate picks.
 */
export class BlockEncoder {
  private readonly ltree = new Tree(HEAP_SIZE);
  private readonly dtree = new Tree(2 * D_CODES + 1);
  private readonly bltree = new Tree(2 * BL_CODES + 1);
  private readonly huff = new HuffmanBuilder();
  private readonly symDist = new Uint16Array(SYMBOLS_PER_BLOCK);
  private readonly symLen = new Uint8Array(SYMBOLS_PER_BLOCK);
  private symCount = 0;

  constructor(private readonly out: BitWriter) {
    this.initBlock();
  }

  /** Records a literal; true when the block is full and must be flushed. */
  literal(c: number): boolean {
    this.symDist[this.symCount] = 0;
    this.symLen[this.symCount++] = c;
    this.ltree.freq[c]!++;
    return this.symCount === SYMBOLS_PER_BLOCK;
  }

  /** Records a match (distance >= 1, length - 3); true when the block is full. */
  match(dist: number, lengthMinus3: number): boolean {
    this.symDist[this.symCount] = dist;
    this.symLen[this.symCount++] = lengthMinus3;
    this.ltree.freq[LENGTH_CODE[lengthMinus3]! + LITERALS + 1]!++;
    this.dtree.freq[distCode(dist - 1)]!++;
    return this.symCount === SYMBOLS_PER_BLOCK;
  }

  /** Writes the block; `stored` is the block's input when still in the window (for a stored block). */
  flush(stored: Uint8Array | null, storedLen: number, last: boolean): void {
    const huff = this.huff;
    huff.build(this.ltree, L_DESC);
    huff.build(this.dtree, D_DESC);
    const maxBlIndex = this.buildBlTree();
    let optLenb = Math.floor((huff.optLen + 3 + 7) / 8);
    const staticLenb = Math.floor((huff.staticLen + 3 + 7) / 8);
    if (staticLenb <= optLenb) optLenb = staticLenb;
    const lastBit = last ? 1 : 0;
    if (storedLen + 4 <= optLenb && stored !== null) {
      this.out.send(lastBit, 3);
      this.out.windup();
      this.out.send(storedLen & 0xffff, 16);
      this.out.send(~storedLen & 0xffff, 16);
      this.out.bytes(stored);
    } else if (staticLenb === optLenb) {
      this.out.send(2 + lastBit, 3);
      this.compress(STATIC_LTREE_LEN, STATIC_LTREE_CODE, STATIC_DTREE_LEN, STATIC_DTREE_CODE);
    } else {
      this.out.send(4 + lastBit, 3);
      this.sendAllTrees(this.ltree.maxCode + 1, this.dtree.maxCode + 1, maxBlIndex + 1);
      this.compress(this.ltree.len, this.ltree.code, this.dtree.len, this.dtree.code);
    }
    this.initBlock();
    if (last) this.out.windup();
  }

  private initBlock(): void {
    this.ltree.freq.fill(0, 0, L_CODES);
    this.dtree.freq.fill(0, 0, D_CODES);
    this.bltree.freq.fill(0, 0, BL_CODES);
    this.ltree.freq[END_BLOCK] = 1;
    this.huff.optLen = 0;
    this.huff.staticLen = 0;
    this.symCount = 0;
  }

  private buildBlTree(): number {
    this.scanTree(this.ltree);
    this.scanTree(this.dtree);
    this.huff.build(this.bltree, BL_DESC);
    let max = BL_CODES - 1;
    for (; max >= 3; max--) if (this.bltree.len[BL_ORDER[max]!] !== 0) break;
    this.huff.optLen += 3 * (max + 1) + 5 + 5 + 4;
    return max;
  }

  /** Counts the run-length codes needed to send a tree's code lengths (zlib's scan_tree). */
  private scanTree(t: Tree): void {
    this.walkTree(t, true);
  }

  /** zlib's scan_tree (count) and send_tree (emit) share one run-length walk. */
  private walkTree(t: Tree, count: boolean): void {
    const bl = this.bltree;
    const emit = (code: number): void => {
      if (count) bl.freq[code]!++;
      else this.out.send(bl.code[code]!, bl.len[code]!);
    };
    const extra = (value: number, bits: number): void => {
      if (!count) this.out.send(value, bits);
    };
    const maxCode = t.maxCode;
    let prevLen = -1;
    let nextLen = t.len[0]!;
    let run = 0;
    let maxRun = nextLen === 0 ? 138 : 7;
    let minRun = nextLen === 0 ? 3 : 4;
    if (count) t.len[maxCode + 1] = 0xffff; // guard, as zlib writes it
    for (let n = 0; n <= maxCode; n++) {
      const curLen = nextLen;
      nextLen = t.len[n + 1]!;
      if (++run < maxRun && curLen === nextLen) continue;
      if (run < minRun) {
        if (count) bl.freq[curLen]! += run;
        else for (let i = 0; i < run; i++) emit(curLen);
      } else if (curLen !== 0) {
        if (curLen !== prevLen) {
          emit(curLen);
          run--;
        }
        emit(REP_3_6);
        extra(run - 3, 2);
      } else if (run <= 10) {
        emit(REPZ_3_10);
        extra(run - 3, 3);
      } else {
        emit(REPZ_11_138);
        extra(run - 11, 7);
      }
      run = 0;
      prevLen = curLen;
      if (nextLen === 0) {
        maxRun = 138;
        minRun = 3;
      } else if (curLen === nextLen) {
        maxRun = 6;
        minRun = 3;
      } else {
        maxRun = 7;
        minRun = 4;
      }
    }
  }

  private sendAllTrees(lcodes: number, dcodes: number, blcodes: number): void {
    this.out.send(lcodes - 257, 5);
    this.out.send(dcodes - 1, 5);
    this.out.send(blcodes - 4, 4);
    for (let rank = 0; rank < blcodes; rank++) this.out.send(this.bltree.len[BL_ORDER[rank]!]!, 3);
    this.walkTree(this.ltree, false);
    this.walkTree(this.dtree, false);
  }

  private compress(lLen: Uint16Array, lCode: Uint16Array, dLen: Uint16Array, dCode: Uint16Array): void {
    const out = this.out;
    for (let i = 0; i < this.symCount; i++) {
      const dist = this.symDist[i]!;
      const lc = this.symLen[i]!;
      if (dist === 0) {
        out.send(lCode[lc]!, lLen[lc]!);
        continue;
      }
      let code = LENGTH_CODE[lc]!;
      out.send(lCode[code + LITERALS + 1]!, lLen[code + LITERALS + 1]!);
      if (EXTRA_LBITS[code]) out.send(lc - BASE_LENGTH[code]!, EXTRA_LBITS[code]!);
      const d = dist - 1;
      code = distCode(d);
      out.send(dCode[code]!, dLen[code]!);
      if (EXTRA_DBITS[code]) out.send(d - BASE_DIST[code]!, EXTRA_DBITS[code]!);
    }
    out.send(lCode[END_BLOCK]!, lLen[END_BLOCK]!);
  }
}
