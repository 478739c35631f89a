import { appError } from '../../../../shared/errors';
import { PyDate, PyDateTime, PyTime } from '../python/datetime';
import { PyComplex, PyDecimal, PyFloat, PyUuid } from '../python/values';
import { NdArray } from './ndarray';
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
