/**
 * Element types of blob arrays and their wire ids (DataJoint's mxClassID table, blob.py). Kept in
 * one table so the decoder, the encoder and the JSON form cannot disagree about a type.
 */

/** Numeric element types (MATLAB classes) and their typed-array storage. */
export const NUMERIC_DTYPES = [
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
] as const;
export type NumericDtype = (typeof NUMERIC_DTYPES)[number];

/** numpy datetime64 units, in wire order (type id 65536 + index). */
export const DATETIME_UNITS = ['Y', 'M', 'W', 'D', 'h', 'm', 's', 'ms', 'us', 'ns', 'ps', 'fs', 'as'] as const;
export type DatetimeUnit = (typeof DATETIME_UNITS)[number];
export type DatetimeDtype = `datetime64[${DatetimeUnit}]`;

/**
 * Every array element type: numeric, `bool` (MATLAB logical), `char` (MATLAB char, UTF-16 code
 * units), `object` (numpy object/str arrays, elements are blob values) and numpy datetime64.
 */
export type Dtype = NumericDtype | 'bool' | 'char' | 'object' | DatetimeDtype;

/** Storage for each dtype, in row-major (C) order. */
export interface DtypeStorage {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
  bool: Uint8Array;
  char: Uint16Array;
}

/** A typed array that holds elements of some fixed-size dtype. */
export type TypedData = DtypeStorage[keyof DtypeStorage];

/** Constructor of the typed array used for a fixed-size dtype. */
export type TypedCtor = {
  new (length: number): TypedData;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): TypedData;
  readonly BYTES_PER_ELEMENT: number;
};

const CTORS: Record<keyof DtypeStorage, TypedCtor> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
  bool: Uint8Array,
  char: Uint16Array,
};

/** MATLAB class ids for the fixed-size dtypes (0 UNKNOWN, 1 CELL, 2 STRUCT, 5 VOID, 16 FUNCTION). */
const CLASS_IDS: Record<keyof DtypeStorage, number> = {
  bool: 3,
  char: 4,
  float64: 6,
  float32: 7,
  int8: 8,
  uint8: 9,
  int16: 10,
  uint16: 11,
  int32: 12,
  uint32: 13,
  int64: 14,
  uint64: 15,
};

/** Wire id of numpy object arrays (MATLAB's mxVOID_CLASS slot). */
export const VOID_CLASS_ID = 5;
/** Wire id of datetime64[Y]; the other units follow in DATETIME_UNITS order. */
export const DATETIME_CLASS_BASE = 65_536;
const MATLAB_CLASS_NAMES = ['UNKNOWN', 'CELL', 'STRUCT'];

/** True for dtypes stored in a typed array (all but `object`). */
export function isFixedSize(dtype: Dtype): dtype is keyof DtypeStorage | DatetimeDtype {
  return dtype !== 'object';
}

/** True for the numpy datetime64 dtypes. */
export function isDatetimeDtype(dtype: Dtype): dtype is DatetimeDtype {
  return dtype.startsWith('datetime64[');
}

/** True for numeric dtypes, the only ones that may be complex. */
export function isNumericDtype(dtype: Dtype): dtype is NumericDtype {
  return (NUMERIC_DTYPES as readonly string[]).includes(dtype);
}

/** The typed-array constructor for a fixed-size dtype (datetime64 is int64 ticks). */
export function typedCtor(dtype: Exclude<Dtype, 'object'>): TypedCtor {
  return isDatetimeDtype(dtype) ? BigInt64Array : CTORS[dtype];
}

/** Wire type id of a dtype. */
export function classIdOf(dtype: Dtype): number {
  if (dtype === 'object') return VOID_CLASS_ID;
  if (isDatetimeDtype(dtype)) return DATETIME_CLASS_BASE + DATETIME_UNITS.indexOf(datetimeUnit(dtype));
  return CLASS_IDS[dtype];
}

/** The dtype for a wire type id, or a reason why that id cannot be read. */
export function dtypeOfClassId(id: number): Dtype | { unsupported: string } {
  if (id === VOID_CLASS_ID) return 'object';
  if (id >= DATETIME_CLASS_BASE && id < DATETIME_CLASS_BASE + DATETIME_UNITS.length) {
    return `datetime64[${DATETIME_UNITS[id - DATETIME_CLASS_BASE]!}]`;
  }
  for (const [dtype, cid] of Object.entries(CLASS_IDS)) if (cid === id) return dtype as keyof DtypeStorage;
  if (id < MATLAB_CLASS_NAMES.length) return { unsupported: `MATLAB class ${MATLAB_CLASS_NAMES[id]!} inside an array` };
  if (id === 16) return { unsupported: 'MATLAB function handles' };
  return { unsupported: `unknown array type id ${id}` };
}

/** The unit of a datetime64 dtype (`D` of `datetime64[D]`). */
export function datetimeUnit(dtype: DatetimeDtype): DatetimeUnit {
  return dtype.slice('datetime64['.length, -1) as DatetimeUnit;
}

/** Bytes per element on the wire (per part for complex). */
export function itemSize(dtype: Exclude<Dtype, 'object'>): number {
  return typedCtor(dtype).BYTES_PER_ELEMENT;
}
