/**
 * Column-major (wire, MATLAB/Fortran) <-> row-major (Joinery's model, numpy's default) element
 * order. Arrays with at most one dimension longer than 1 are the same in both orders and are
 * copied with one memcpy; others go through an index map and a tight typed-array gather/scatter
 * (8-byte elements move as two u32 lanes so NaN payloads and int64 bits are never touched).
 */

/** The platform's byte order; blobs are little-endian. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A fresh copy (Buffer#slice would return a view onto the same memory). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when row-major and column-major orders differ for this shape. */
export function ordersDiffer(shape: readonly number[]): boolean {
  let long = 0;
  for (const d of shape) if (d > 1) long++;
  return long > 1;
}

/** map[c] = the column-major position of the element at row-major position c. */
function columnMajorIndex(shape: readonly number[]): Uint32Array {
  const n = sizeOf(shape);
  const nd = shape.length;
  const fStride: number[] = [];
  let s = 1;
  for (const d of shape) {
    fStride.push(s);
    s *= d;
  }
  const map = new Uint32Array(n);
  const inner = shape[nd - 1]!;
  const step = fStride[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let i = 0; i < n; i += inner) {
    for (let j = 0; j < inner; j++) map[i + j] = base + j * step;
    for (let k = nd - 2; k >= 0; k--) {
      idx[k]!++;
      base += fStride[k]!;
      if (idx[k]! < shape[k]!) break;
      base -= fStride[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
  return map;
}

type Lanes = Uint8Array | Uint16Array | Uint32Array;

function lanesOf(bytes: Uint8Array, itemSize: number): Lanes {
  const unit = itemSize >= 4 ? 4 : itemSize;
  const src = bytes.byteOffset % unit === 0 ? bytes : copyBytes(bytes);
  if (unit === 1) return src;
  if (unit === 2) return new Uint16Array(src.buffer, src.byteOffset, src.byteLength / 2);
  return new Uint32Array(src.buffer, src.byteOffset, src.byteLength / 4);
}

/**
 * Reorders fixed-size elements between column-major and row-major order; returns a new buffer
 * (aligned, so typed arrays can view it). `toRowMajor` picks the direction.
 */
export function reorderBytes(
  bytes: Uint8Array,
  shape: readonly number[],
  itemSize: number,
  toRowMajor: boolean,
): Uint8Array {
  if (!ordersDiffer(shape)) return copyBytes(bytes);
  const map = columnMajorIndex(shape);
  const src = lanesOf(bytes, itemSize);
  const out = new Uint8Array(bytes.length);
  const dst: Lanes =
    src instanceof Uint8Array
      ? out
      : src instanceof Uint16Array
        ? new Uint16Array(out.buffer)
        : new Uint32Array(out.buffer);
  const lanes = itemSize > 4 ? itemSize / 4 : 1;
  if (lanes === 1) {
    if (toRowMajor) for (let i = 0; i < map.length; i++) dst[i] = src[map[i]!]!;
    else for (let i = 0; i < map.length; i++) dst[map[i]!] = src[i]!;
  } else if (toRowMajor) {
    for (let i = 0; i < map.length; i++) {
      const m = map[i]! * 2;
      dst[2 * i] = src[m]!;
      dst[2 * i + 1] = src[m + 1]!;
    }
  } else {
    for (let i = 0; i < map.length; i++) {
      const m = map[i]! * 2;
      dst[m] = src[2 * i]!;
      dst[m + 1] = src[2 * i + 1]!;
    }
  }
  return out;
}

/** Reorders a list of elements (object arrays, cells, structs) like {@link reorderBytes}. */
export function reorderItems<T>(items: readonly T[], shape: readonly number[], toRowMajor: boolean): T[] {
  if (!ordersDiffer(shape)) return items.slice();
  const map = columnMajorIndex(shape);
  const out = new Array<T>(items.length);
  if (toRowMajor) for (let i = 0; i < map.length; i++) out[i] = items[map[i]!]!;
  else for (let i = 0; i < map.length; i++) out[map[i]!] = items[i]!;
  return out;
}

/** Swaps each element's bytes in place (little-endian wire <-> big-endian host). */
export function swapBytes(bytes: Uint8Array, itemSize: number): void {
  if (itemSize === 1) return;
  for (let i = 0; i + itemSize <= bytes.length; i += itemSize) bytes.subarray(i, i + itemSize).reverse();
}

/** Nested lists (or a bare element for 0-d). */
export type Nested<T> = T | Array<Nested<T>>;

/** Builds nested row-major lists of `shape` from a function of the flat row-major index. */
export function nestRowMajor<T>(shape: readonly number[], element: (i: number) => T): Nested<T> {
  if (shape.length === 0) return element(0);
  let next = 0;
  const build = (d: number): Array<Nested<T>> => {
    const out: Array<Nested<T>> = [];
    for (let i = 0; i < shape[d]!; i++) out.push(d === shape.length - 1 ? element(next++) : build(d + 1));
    return out;
  };
  return build(0);
}
