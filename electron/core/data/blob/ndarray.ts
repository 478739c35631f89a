import { appError } from '../../../../shared/errors';
import type { BlobValue } from './model';
import {
  isDatetimeDtype,
  isFixedSize,
  isNumericDtype,
  typedCtor,
  type DatetimeDtype,
  type Dtype,
  type DtypeStorage,
  type NumericDtype,
} from './dtypes';
import { sizeOf } from './order';

/** Storage of a dtype: a typed array, int64 ticks for datetime64, blob values for `object`. */
export type DataOf<D extends Dtype> = D extends keyof DtypeStorage
  ? DtypeStorage[D]
  : D extends DatetimeDtype
    ? BigInt64Array
    : BlobValue[];

/** Imaginary parts exist only for numeric dtypes. */
export type ImagOf<D extends Dtype> = D extends NumericDtype ? DtypeStorage[D] : never;

/**
 * An n-dimensional array, numpy-style: `shape` plus `data` in row-major (C) order, `imag` holding
 * the imaginary parts of a complex array. It covers DataJoint's `A` type code: MATLAB numeric,
 * logical and char arrays (any shape, including 0-d numpy scalars), numpy datetime64 and object
 * arrays. Data is a typed array so that million-element signals cost one copy, not a JS array.
 */
export class NdArray<D extends Dtype = Dtype> {
  readonly kind = 'ndarray' as const;
  readonly shape: readonly number[];

  constructor(
    readonly dtype: D,
    shape: readonly number[],
    readonly data: DataOf<D>,
    readonly imag: ImagOf<D> | null = null,
  ) {
    this.shape = Object.freeze([...shape]);
    checkArray(this);
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }
  get ndim(): number {
    return this.shape.length;
  }
  get isComplex(): boolean {
    return this.imag !== null;
  }

  /** Element at a row-major flat index (bigint for 64-bit and datetime64 dtypes). */
  at(index: number): DataOf<D>[number] {
    return this.data[index] as DataOf<D>[number];
  }

  /** A MATLAB char row vector (1 x n) holding `text` as UTF-16 code units. */
  static char(text: string): NdArray<'char'> {
    const codes = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
    return new NdArray('char', [1, text.length], codes);
  }

  /** A 1-d float64 array (a MATLAB/numpy double vector). */
  static float64(values: ArrayLike<number>, shape: readonly number[] = [values.length]): NdArray<'float64'> {
    return new NdArray('float64', shape, Float64Array.from(values));
  }
}

/** Narrows an array to one dtype. */
export function hasDtype<D extends Dtype>(a: NdArray, dtype: D): a is NdArray<D> {
  return a.dtype === dtype;
}

/** The text of a char array, row by row (rows of a 2-d char matrix joined with newlines). */
export function charText(a: NdArray<'char'>): string {
  const cols = a.ndim === 0 ? 1 : a.shape[a.ndim - 1]!;
  const parts: string[] = [];
  for (let i = 0; i < a.data.length; i += Math.max(cols, 1)) {
    parts.push(String.fromCharCode(...a.data.subarray(i, i + cols)));
  }
  return parts.join('\n');
}

function bad(message: string): Error {
  return appError('VALIDATION', `Invalid array: ${message}`);
}

function checkArray(a: NdArray): void {
  for (const d of a.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw bad(`dimension ${String(d)} is not a non-negative integer`);
  }
  const n = sizeOf(a.shape);
  if (isFixedSize(a.dtype)) {
    const ctor = typedCtor(a.dtype);
    if (!(a.data instanceof ctor)) throw bad(`${a.dtype} data must be a ${ctor.name}`);
  } else if (!Array.isArray(a.data)) {
    throw bad('object data must be an array of blob values');
  }
  if (a.data.length !== n) throw bad(`shape [${a.shape.join(', ')}] has ${n} elements but data has ${a.data.length}`);
  if (a.imag === null) return;
  if (!isNumericDtype(a.dtype) || isDatetimeDtype(a.dtype)) throw bad(`${a.dtype} arrays cannot be complex`);
  const ctor = typedCtor(a.dtype);
  if (!(a.imag instanceof ctor) || a.imag.length !== n)
    throw bad(`imaginary parts must be a ${ctor.name} of ${n} elements`);
}
