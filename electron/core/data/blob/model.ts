import { appError } from '../../../../shared/errors';
import { PyDate, PyDateTime, PyTime } from '../python/datetime';
import { PyComplex, PyDecimal, PyFloat, PyUuid } from '../python/values';
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

/**
 * Joinery's model of a decoded DataJoint blob. JS primitives stand for the Python values they
 * match exactly; classes cover the rest:
 *
 * | Python / MATLAB                 | JS                                                        |
 * |---------------------------------|-----------------------------------------------------------|
 * | None                            | `null`                                                    |
 * | bool                            | `boolean`                                                 |
 * | int                             | safe-integer `number`, else `bigint`                      |
 * | float                           | non-integral `number` (incl. -0, NaN, inf), else PyFloat  |
 * | str / bytes                     | `string` / `Uint8Array`                                   |
 * | list                            | JS array                                                  |
 * | tuple / set / dict              | PyTuple / PySet / PyDict (ordered entries, any keys)      |
 * | complex, Decimal, UUID          | PyComplex, PyDecimal, PyUuid                              |
 * | date / time / datetime          | PyDate / PyTime / PyDateTime                              |
 * | numpy/MATLAB array (code `A`)   | NdArray                                                   |
 * | numpy structured array (`F`)    | RecArray                                                  |
 * | MATLAB struct / cell (`S`/`C`)  | MatStruct / MatCell                                       |
 */
export type BlobValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | BlobValue[]
  | PyFloat
  | PyComplex
  | PyDecimal
  | PyUuid
  | PyDate
  | PyTime
  | PyDateTime
  | PyTuple
  | PySet
  | PyDict
  | NdArray
  | RecArray
  | MatStruct
  | MatCell;

/** What the encoder also accepts: plain objects stand for dicts with str keys. */
export type BlobInput = BlobValue | readonly BlobInput[] | { readonly [key: string]: BlobInput };

/** A Python tuple. */
export class PyTuple {
  readonly kind = 'tuple' as const;
  constructor(readonly items: BlobValue[]) {}
}

/** A Python set, in the order the blob stores it (Python's iteration order when it was written). */
export class PySet {
  readonly kind = 'set' as const;
  constructor(readonly items: BlobValue[]) {}
}

/** A Python dict: ordered entries whose keys may be any value (ints, tuples...), not only strings. */
export class PyDict {
  readonly kind = 'dict' as const;
  constructor(readonly entries: Array<[BlobValue, BlobValue]>) {}

  /** A dict with the object's own keys, in insertion order. */
  static fromObject(obj: Readonly<Record<string, BlobValue>>): PyDict {
    return new PyDict(Object.entries(obj));
  }

  /** The value stored under a str key (undefined when absent). */
  get(key: string): BlobValue | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }
}

function badShape(what: string, shape: readonly number[], count: number): Error {
  return appError(
    'VALIDATION',
    `Invalid ${what}: shape [${shape.join(', ')}] has ${sizeOf(shape)} elements but ${count} were given`,
  );
}

/** A MATLAB cell array: any values, `items` in row-major order. */
export class MatCell {
  readonly kind = 'cell' as const;
  readonly shape: readonly number[];
  constructor(
    shape: readonly number[],
    readonly items: BlobValue[],
  ) {
    this.shape = Object.freeze([...shape]);
    if (sizeOf(shape) !== items.length) throw badShape('cell array', shape, items.length);
  }
}

/** A MATLAB struct array: `values[element][field]`, elements in row-major order. */
export class MatStruct {
  readonly kind = 'struct' as const;
  readonly shape: readonly number[];
  constructor(
    shape: readonly number[],
    readonly fields: string[],
    readonly values: BlobValue[][],
  ) {
    this.shape = Object.freeze([...shape]);
    if (sizeOf(shape) !== values.length) throw badShape('struct array', shape, values.length);
    if (new Set(fields).size !== fields.length)
      throw appError('VALIDATION', 'Invalid struct array: field names repeat');
    for (const v of values) {
      if (v.length !== fields.length)
        throw appError('VALIDATION', `Invalid struct array: each element needs ${fields.length} field values`);
    }
  }

  /** One field of one element (row-major index). */
  get(index: number, field: string): BlobValue | undefined {
    const f = this.fields.indexOf(field);
    return f < 0 ? undefined : this.values[index]?.[f];
  }
}

/** A numpy structured array / recarray: one array (or nested recarray) per field. */
export class RecArray {
  readonly kind = 'recarray' as const;
  constructor(
    readonly fields: string[],
    readonly columns: Array<NdArray | RecArray>,
  ) {
    if (fields.length !== columns.length)
      throw appError('VALIDATION', 'Invalid recarray: one column per field is required');
    if (new Set(fields).size !== fields.length) throw appError('VALIDATION', 'Invalid recarray: field names repeat');
  }

  /** numpy's shape: the first field's (an empty recarray is 0-d). */
  get shape(): readonly number[] {
    return this.columns[0]?.shape ?? [];
  }

  /** The column of a field. */
  get(field: string): NdArray | RecArray | undefined {
    return this.columns[this.fields.indexOf(field)];
  }
}

/** Every kind of blob value, for exhaustive switches (see {@link kindOf}). */
export type BlobKind =
  | 'none'
  | 'bool'
  | 'int'
  | 'float'
  | 'str'
  | 'bytes'
  | 'list'
  | 'complex'
  | 'decimal'
  | 'uuid'
  | 'date'
  | 'time'
  | 'datetime'
  | 'tuple'
  | 'set'
  | 'dict'
  | 'ndarray'
  | 'recarray'
  | 'struct'
  | 'cell';

type Classed = Exclude<BlobValue, null | boolean | number | bigint | string | Uint8Array | BlobValue[]>;

/** The Python kind of a value, applying the int/float rule to numbers; 'unknown' for non-model values. */
export function kindOf(v: unknown): BlobKind | 'unknown' {
  if (v === null) return 'none';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? 'int' : 'float';
    case 'string':
      return 'str';
    case 'object':
      break;
    default:
      return 'unknown';
  }
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  return CLASSES.some((c) => v instanceof c) ? (v as Classed).kind : 'unknown';
}

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

const CLASSES: Array<abstract new (...args: never[]) => Classed> = [
  PyFloat,
  PyComplex,
  PyDecimal,
  PyUuid,
  PyDate,
  PyTime,
  PyDateTime,
  PyTuple,
  PySet,
  PyDict,
  NdArray,
  RecArray,
  MatStruct,
  MatCell,
];
