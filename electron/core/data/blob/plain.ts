import { assertNever } from '../../../../shared/errors';
import type { PyDateTime } from '../python/datetime';
import type { PyComplex, PyFloat } from '../python/values';
import { datetime64Iso } from './datetime64';
import { datetimeUnit, isDatetimeDtype } from './dtypes';
import { intToJson } from './json-scalars';
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
import { charText, type NdArray } from './model';
import { nestRowMajor as nest } from './order';

/** A plain JS value: what tables, tooltips and quick looks show. */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

/**
 * A lossy, readable view of a blob value for display: numbers (big ints as strings), nested
 * arrays, plain objects for str-keyed dicts, records for structs and recarrays, strings for char
 * arrays, ISO text for dates. Python types are not kept; use the typed JSON form to round-trip.
 */
export function toPlain(v: BlobValue): PlainValue {
  const kind = kindOf(v);
  switch (kind) {
    case 'none':
      return null;
    case 'bool':
    case 'str':
      return v as boolean | string;
    case 'int':
      return intToJson(v as number | bigint);
    case 'float':
      return typeof v === 'number' ? v : (v as PyFloat).value;
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('hex');
    case 'list':
      return (v as BlobValue[]).map(toPlain);
    case 'tuple':
    case 'set':
      return (v as PyTuple | PySet).items.map(toPlain);
    case 'dict':
      return dictToPlain(v as PyDict);
    case 'complex':
      return { re: (v as PyComplex).re, im: (v as PyComplex).im };
    case 'decimal':
    case 'uuid':
    case 'date':
    case 'time':
      return String(v);
    case 'datetime':
      return (v as PyDateTime).toIsoString();
    case 'ndarray':
      return arrayToPlain(v as NdArray);
    case 'recarray':
      return recarrayToPlain(v as RecArray);
    case 'struct':
      return structToPlain(v as MatStruct);
    case 'cell':
      return squeezed((v as MatCell).shape, (i) => toPlain((v as MatCell).items[i]!));
    case 'unknown':
      return null;
    default:
      return assertNever(kind, 'blob kind');
  }
}

function dictToPlain(d: PyDict): PlainValue {
  const keys = d.entries.map(([k]) => k);
  if (keys.every((k) => typeof k === 'string') && new Set(keys).size === keys.length) {
    return Object.fromEntries(d.entries.map(([k, x]) => [k as string, toPlain(x)]));
  }
  return d.entries.map(([k, x]) => [toPlain(k), toPlain(x)]);
}

/** Nested lists with singleton dimensions dropped (a 1x1 container becomes its element). */
function squeezed(shape: readonly number[], element: (i: number) => PlainValue): PlainValue {
  return nest(
    shape.filter((d) => d !== 1),
    element,
  );
}

/** Plain value of element `i` of an array. */
function elementToPlain(a: NdArray, i: number): PlainValue {
  if (a.dtype === 'object') return toPlain((a.data as BlobValue[])[i]!);
  if (isDatetimeDtype(a.dtype)) return datetime64Iso((a.data as BigInt64Array)[i]!, datetimeUnit(a.dtype));
  const x = (a.data as ArrayLike<number | bigint>)[i]!;
  const real = a.dtype === 'bool' ? x !== 0 : a.dtype === 'char' ? String.fromCharCode(Number(x)) : intToJson(x);
  if (!a.imag) return real;
  return { re: real as number, im: intToJson((a.imag as ArrayLike<number | bigint>)[i]!) as number };
}

function arrayToPlain(a: NdArray): PlainValue {
  if (a.dtype === 'char') {
    const rows = a.ndim === 2 ? a.shape[0]! : 1;
    if (a.ndim <= 1 || rows === 1) return charText(a as NdArray<'char'>);
    if (a.ndim === 2) return charText(a as NdArray<'char'>).split('\n');
  }
  return nest(a.shape, (i) => elementToPlain(a, i));
}

function recarrayToPlain(r: RecArray): PlainValue {
  const shape = r.shape;
  const sameShape = r.columns.every((c) => c.shape.length === shape.length && c.shape.every((d, i) => d === shape[i]));
  if (!sameShape) return Object.fromEntries(r.fields.map((f, i) => [f, toPlain(r.columns[i]!)]));
  const record = (i: number): PlainValue =>
    Object.fromEntries(
      r.fields.map((f, k) => {
        const col = r.columns[k]!;
        return [f, 'dtype' in col ? elementToPlain(col, i) : toPlain(col)];
      }),
    );
  return nest(shape, record);
}

function structToPlain(s: MatStruct): PlainValue {
  return squeezed(s.shape, (i) => Object.fromEntries(s.fields.map((f, k) => [f, toPlain(s.values[i]![k]!)])));
}
