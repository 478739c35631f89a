import { appError, assertNever } from '../../../../shared/errors';
import type { PyDate, PyDateTime, PyTime } from '../python/datetime';
import type { PyComplex, PyDecimal, PyFloat, PyUuid } from '../python/values';
import { datetime64Iso } from './datetime64';
import { datetimeUnit, isDatetimeDtype, type Dtype } from './dtypes';
import { floatToJson, intToJson } from './json-scalars';
import {
  kindOf,
  type BlobValue,
  type MatCell,
  type MatStruct,
  type PyDict,
  type PySet,
  type PyTuple,
  type RecArray,
} from './model';
import type { NdArray } from './model';
import { nestRowMajor as nest } from './order';
import type { JsonComplex, JsonElement, TypedJson } from './typed-json-types';

/**
 * Lossless JSON of a blob value (see typed-json-types.ts). Why: blobs cross the JSON API and land
 * in containers' inputs.json; Python ints, floats, tuples, sets, Decimals and arrays must survive.
 */
export function toTypedJson(v: BlobValue): TypedJson {
  const kind = kindOf(v);
  switch (kind) {
    case 'none':
      return { type: 'none' };
    case 'bool':
      return { type: 'bool', value: v as boolean };
    case 'int':
      return { type: 'int', value: intToJson(v as number | bigint) };
    case 'float':
      return { type: 'float', value: floatToJson(typeof v === 'number' ? v : (v as PyFloat).value) };
    case 'str':
      return { type: 'str', value: v as string };
    case 'bytes':
      return { type: 'bytes', hex: Buffer.from(v as Uint8Array).toString('hex') };
    case 'list':
      return { type: 'list', items: (v as BlobValue[]).map(toTypedJson) };
    case 'tuple':
    case 'set':
      return { type: kind, items: (v as PyTuple | PySet).items.map(toTypedJson) };
    case 'dict':
      return { type: 'dict', items: (v as PyDict).entries.map(([k, x]) => [toTypedJson(k), toTypedJson(x)]) };
    case 'complex':
      return { type: 'complex', value: complexJson((v as PyComplex).re, (v as PyComplex).im) };
    case 'decimal':
    case 'uuid':
    case 'date':
    case 'time':
      return { type: kind, value: (v as PyDecimal | PyUuid | PyDate | PyTime).toString() };
    case 'datetime':
      return { type: 'datetime', value: (v as PyDateTime).toIsoString() };
    case 'ndarray':
      return ndarrayToJson(v as NdArray);
    case 'recarray':
      return recarrayToJson(v as RecArray);
    case 'struct':
      return structToJson(v as MatStruct);
    case 'cell':
      return { type: 'cell', shape: [...(v as MatCell).shape], items: (v as MatCell).items.map(toTypedJson) };
    case 'unknown':
      throw appError('VALIDATION', 'toTypedJson: the value is not part of the blob model');
    default:
      return assertNever(kind, 'blob kind');
  }
}

const complexJson = (re: number, im: number): JsonComplex => ({ re: floatToJson(re), im: floatToJson(im) });

/** The JSON dtype name: numpy's for complex floats, `complex[int16]` for complex MATLAB integers. */
export function jsonDtype(dtype: Dtype, complex: boolean): string {
  if (!complex) return dtype;
  if (dtype === 'float64') return 'complex128';
  if (dtype === 'float32') return 'complex64';
  return `complex[${dtype}]`;
}

function scalarOf(a: NdArray): (x: number | bigint) => JsonElement {
  if (a.dtype === 'bool') return (x) => x !== 0;
  if (a.dtype === 'char') return (x) => String.fromCharCode(Number(x));
  if (a.dtype === 'int64' || a.dtype === 'uint64') return intToJson;
  return (x) => floatToJson(Number(x));
}

function ndarrayToJson(a: NdArray): TypedJson {
  const shape = [...a.shape];
  if (isDatetimeDtype(a.dtype)) {
    const ticks = a.data as BigInt64Array;
    const unit = datetimeUnit(a.dtype);
    return {
      type: 'ndarray',
      dtype: a.dtype,
      shape,
      int64_values: nest(shape, (i) => intToJson(ticks[i]!)),
      iso_values: nest(shape, (i) => datetime64Iso(ticks[i]!, unit)),
    };
  }
  if (a.dtype === 'object') {
    const items = a.data as BlobValue[];
    return { type: 'ndarray', dtype: 'object', shape, values: nest(shape, (i) => toTypedJson(items[i]!)) };
  }
  const data = a.data as ArrayLike<number | bigint>;
  const scalar = scalarOf(a);
  const imag = a.imag as ArrayLike<number | bigint> | null;
  const element = imag
    ? (i: number): JsonElement => ({ re: scalar(data[i]!) as number | string, im: scalar(imag[i]!) as number | string })
    : (i: number): JsonElement => scalar(data[i]!);
  return { type: 'ndarray', dtype: jsonDtype(a.dtype, imag !== null), shape, values: nest(shape, element) };
}

const INDEX_LIKE = /^(0|[1-9]\d{0,8})$/;

function recarrayToJson(r: RecArray): TypedJson {
  const fields = Object.fromEntries(r.fields.map((f, i) => [f, toTypedJson(r.columns[i]!)]));
  const out: TypedJson = { type: 'recarray', shape: [...r.shape], fields };
  return r.fields.some((f) => INDEX_LIKE.test(f)) ? { ...out, names: [...r.fields] } : out;
}

function structToJson(s: MatStruct): TypedJson {
  return {
    type: 'struct',
    shape: [...s.shape],
    fields: [...s.fields],
    records: s.values.map((row) => Object.fromEntries(s.fields.map((f, i) => [f, toTypedJson(row[i]!)]))),
  };
}
