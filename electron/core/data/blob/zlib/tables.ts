/**
 * Constant tables of the deflate format (RFC 1951) as zlib lays them out: length and distance
 * codes with their extra bits, the fixed Huffman trees, and the code-length alphabet order.
 */

export const LITERALS = 256;
export const END_BLOCK = 256;
export const L_CODES = LITERALS + 1 + 29;
export const D_CODES = 30;
export const BL_CODES = 19;
export const HEAP_SIZE = 2 * L_CODES + 1;
export const MAX_BITS = 15;
export const MAX_BL_BITS = 7;
export const REP_3_6 = 16;
export const REPZ_3_10 = 17;
export const REPZ_11_138 = 18;

export const EXTRA_LBITS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
export const EXTRA_DBITS = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
export const EXTRA_BLBITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
export const BL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** First match length (minus 3) of each length code, and the code of each length (minus 3). */
export const BASE_LENGTH = new Int32Array(29);
export const LENGTH_CODE = new Uint8Array(256);
/** First distance (minus 1) of each distance code; DIST_CODE maps distances as zlib's d_code. */
export const BASE_DIST = new Int32Array(D_CODES);
export const DIST_CODE = new Uint8Array(512);

/** Reverses the low `len` bits of `code` (deflate sends Huffman codes most significant bit first). */
export function bitReverse(code: number, len: number): number {
  let res = 0;
  for (let i = 0; i < len; i++) {
    res = (res << 1) | (code & 1);
    code >>>= 1;
  }
  return res;
}

/** Canonical Huffman codes from code lengths (zlib's gen_codes), written bit-reversed into `codes`. */
export function genCodes(
  lens: ArrayLike<number>,
  codes: Uint16Array,
  maxCode: number,
  blCount: ArrayLike<number>,
): void {
  const next = new Uint16Array(MAX_BITS + 1);
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + blCount[bits - 1]!) << 1;
    next[bits] = code;
  }
  for (let n = 0; n <= maxCode; n++) {
    const len = lens[n]!;
    if (len !== 0) codes[n] = bitReverse(next[len]!++, len);
  }
}

/** The distance code of a distance minus one. */
export function distCode(dist: number): number {
  return dist < 256 ? DIST_CODE[dist]! : DIST_CODE[256 + (dist >>> 7)]!;
}

/** Fixed literal/length tree (lengths and codes) and fixed distance tree. */
export const STATIC_LTREE_LEN = new Uint16Array(L_CODES + 2);
export const STATIC_LTREE_CODE = new Uint16Array(L_CODES + 2);
export const STATIC_DTREE_LEN = new Uint16Array(D_CODES).fill(5);
export const STATIC_DTREE_CODE = new Uint16Array(D_CODES);

function init(): void {
  let length = 0;
  let code = 0;
  for (; code < 28; code++) {
    BASE_LENGTH[code] = length;
    for (let n = 0; n < 1 << EXTRA_LBITS[code]!; n++) LENGTH_CODE[length++] = code;
  }
  // length 258 has its own code (28) although 255 would also fit code 27
  LENGTH_CODE[length - 1] = code;
  BASE_LENGTH[28] = 0; // unused by the encoder: code 28 carries no extra bits
  let dist = 0;
  for (code = 0; code < 16; code++) {
    BASE_DIST[code] = dist;
    for (let n = 0; n < 1 << EXTRA_DBITS[code]!; n++) DIST_CODE[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    BASE_DIST[code] = dist << 7;
    for (let n = 0; n < 1 << (EXTRA_DBITS[code]! - 7); n++) DIST_CODE[256 + dist++] = code;
  }
  const blCount = new Uint16Array(MAX_BITS + 1);
  for (let n = 0; n <= 287; n++) {
    const len = n <= 143 ? 8 : n <= 255 ? 9 : n <= 279 ? 7 : 8;
    STATIC_LTREE_LEN[n] = len;
    blCount[len]!++;
  }
  genCodes(STATIC_LTREE_LEN, STATIC_LTREE_CODE, L_CODES + 1, blCount);
  for (let n = 0; n < D_CODES; n++) STATIC_DTREE_CODE[n] = bitReverse(n, 5);
}
init();
