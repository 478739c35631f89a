import { genCodes, HEAP_SIZE, MAX_BITS } from './tables';

/**
 * zlib's Huffman tree construction (trees.c build_tree / gen_bitlen), reproduced step for step:
 * the heap order, the depth tie-break and the overflow repair decide which of many equally good
 * trees is chosen, and only the same choice gives the same bytes as CPython's zlib.
 */

/** One dynamic tree: per node frequency, code length, code and parent. */
export class Tree {
  readonly freq: Uint32Array;
  readonly len: Uint16Array;
  readonly code: Uint16Array;
  readonly dad: Uint16Array;
  maxCode = 0;
  constructor(nodes: number) {
    this.freq = new Uint32Array(nodes);
    this.len = new Uint16Array(nodes);
    this.code = new Uint16Array(nodes);
    this.dad = new Uint16Array(nodes);
  }
}

/** The static description of a tree kind (zlib's static_tree_desc). */
export interface TreeDesc {
  staticLen: Uint16Array | null;
  extraBits: readonly number[];
  extraBase: number;
  elems: number;
  maxLength: number;
}

/** Shared scratch state and the running bit-length totals of the current block. */
export class HuffmanBuilder {
  private readonly heap = new Int32Array(HEAP_SIZE);
  private readonly depth = new Uint8Array(HEAP_SIZE);
  private readonly blCount = new Uint16Array(MAX_BITS + 1);
  private heapLen = 0;
  private heapMax = 0;
  /** Bits of the block with dynamic trees / with the fixed trees. */
  optLen = 0;
  staticLen = 0;

  private smaller(t: Tree, n: number, m: number): boolean {
    const fn = t.freq[n]!;
    const fm = t.freq[m]!;
    return fn < fm || (fn === fm && this.depth[n]! <= this.depth[m]!);
  }

  private downHeap(t: Tree, k: number): void {
    const heap = this.heap;
    const v = heap[k]!;
    let j = k << 1;
    while (j <= this.heapLen) {
      if (j < this.heapLen && this.smaller(t, heap[j + 1]!, heap[j]!)) j++;
      if (this.smaller(t, v, heap[j]!)) break;
      heap[k] = heap[j]!;
      k = j;
      j <<= 1;
    }
    heap[k] = v;
  }

  /** Builds the tree for the frequencies in `t`, sets lengths and codes, and adds to optLen/staticLen. */
  build(t: Tree, desc: TreeDesc): void {
    const heap = this.heap;
    this.heapLen = 0;
    this.heapMax = HEAP_SIZE;
    let maxCode = -1;
    for (let n = 0; n < desc.elems; n++) {
      if (t.freq[n] !== 0) {
        heap[++this.heapLen] = maxCode = n;
        this.depth[n] = 0;
      } else t.len[n] = 0;
    }
    // the format needs two codes at least: force one or two nodes of frequency 1
    while (this.heapLen < 2) {
      const node = (heap[++this.heapLen] = maxCode < 2 ? ++maxCode : 0);
      t.freq[node] = 1;
      this.depth[node] = 0;
      this.optLen--;
      if (desc.staticLen) this.staticLen -= desc.staticLen[node]!;
    }
    t.maxCode = maxCode;
    for (let n = this.heapLen >> 1; n >= 1; n--) this.downHeap(t, n);
    let node = desc.elems;
    do {
      const n = heap[1]!;
      heap[1] = heap[this.heapLen--]!;
      this.downHeap(t, 1);
      const m = heap[1]!;
      heap[--this.heapMax] = n;
      heap[--this.heapMax] = m;
      t.freq[node] = t.freq[n]! + t.freq[m]!;
      this.depth[node] = Math.max(this.depth[n]!, this.depth[m]!) + 1;
      t.dad[n] = t.dad[m] = node;
      heap[1] = node++;
      this.downHeap(t, 1);
    } while (this.heapLen >= 2);
    heap[--this.heapMax] = heap[1]!;
    this.genBitLengths(t, desc);
    genCodes(t.len, t.code, maxCode, this.blCount);
  }

  private genBitLengths(t: Tree, desc: TreeDesc): void {
    const { heap, blCount } = this;
    const { staticLen, extraBits, extraBase, maxLength } = desc;
    blCount.fill(0);
    t.len[heap[this.heapMax]!] = 0;
    let overflow = 0;
    let h = this.heapMax + 1;
    for (; h < HEAP_SIZE; h++) {
      const n = heap[h]!;
      let bits = t.len[t.dad[n]!]! + 1;
      if (bits > maxLength) {
        bits = maxLength;
        overflow++;
      }
      t.len[n] = bits;
      if (n > t.maxCode) continue;
      blCount[bits]!++;
      const xbits = n >= extraBase ? extraBits[n - extraBase]! : 0;
      const f = t.freq[n]!;
      this.optLen += f * (bits + xbits);
      if (staticLen) this.staticLen += f * (staticLen[n]! + xbits);
    }
    if (overflow === 0) return;
    do {
      let bits = maxLength - 1;
      while (blCount[bits] === 0) bits--;
      blCount[bits]!--;
      blCount[bits + 1]! += 2;
      blCount[maxLength]!--;
      overflow -= 2;
    } while (overflow > 0);
    for (let bits = maxLength; bits !== 0; bits--) {
      let n = blCount[bits]!;
      while (n !== 0) {
        const m = heap[--h]!;
        if (m > t.maxCode) continue;
        if (t.len[m] !== bits) {
          this.optLen += (bits - t.len[m]!) * t.freq[m]!;
          t.len[m] = bits;
        }
        n--;
      }
    }
  }
}
