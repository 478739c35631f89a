import {
  DATETIME_UNITS,
  isDatetimeDtype,
  isNumericDtype,
  NUMERIC_DTYPES,
  typedCtor,
  type Dtype,
  type TypedData,
} from './dtypes';
import { arrayAt, build, shapeAt } from './json-nodes';
import { badJson, floatFromJson, intFromJson } from './json-scalars';
import type { BlobValue } from './model';
import { NdArray } from './model';
import { sizeOf } from './order';

type ReadValue = (json: unknown, path: string) => BlobValue;

const INT_RANGES: Partial<Record<Dtype, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
};
const BIG_RANGES: Partial<Record<Dtype, [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};
const KNOWN: ReadonlySet<string> = new Set<string>([
  ...NUMERIC_DTYPES,
  'bool',
  'char',
  'object',
  ...DATETIME_UNITS.map((u) => `datetime64[${u}]`),
]);

/** Splits a JSON dtype name into element dtype and complexity (see jsonDtype). */
function parseDtype(name: unknown, path: string): { dtype: Dtype; complex: boolean } {
  if (typeof name !== 'string') throw badJson('expected a dtype name', path);
  if (name === 'complex128') return { dtype: 'float64', complex: true };
  if (name === 'complex64') return { dtype: 'float32', complex: true };
  const inner = /^complex\[(\w+)\]$/.exec(name)?.[1];
  if (inner !== undefined && isNumericDtype(inner as Dtype)) return { dtype: inner as Dtype, complex: true };
  if (KNOWN.has(name)) return { dtype: name as Dtype, complex: false };
  throw badJson(`unknown dtype ${JSON.stringify(name)}`, path);
}

/** Row-major elements of nested lists, checked against the shape. */
function flatten(values: unknown, shape: readonly number[], path: string): unknown[] {
  if (shape.length === 0) return [values];
  const out: unknown[] = [];
  const walk = (node: unknown, d: number, at: string): void => {
    if (d === shape.length) {
      out.push(node);
      return;
    }
    const list = arrayAt(node, at);
    if (list.length !== shape[d])
      throw badJson(`expected ${shape[d]} entries for dimension ${d}, got ${list.length}`, at);
    list.forEach((x, i) => walk(x, d + 1, `${at}[${i}]`));
  };
  walk(values, 0, path);
  return out;
}

/** One element of a fixed-size dtype from JSON. */
function scalarFromJson(dtype: Dtype, j: unknown, path: string): number | bigint {
  const small = INT_RANGES[dtype];
  if (small) return Number(intFromJson(j, path, BigInt(small[0]), BigInt(small[1])));
  const big = BIG_RANGES[dtype] ?? (isDatetimeDtype(dtype) ? BIG_RANGES.int64 : undefined);
  if (big) return intFromJson(j, path, big[0], big[1]);
  if (dtype === 'bool') {
    if (typeof j !== 'boolean') throw badJson('expected true or false', path);
    return j ? 1 : 0;
  }
  if (dtype === 'char') {
    if (typeof j !== 'string' || j.length !== 1) throw badJson('expected a one-character string', path);
    return j.charCodeAt(0);
  }
  return floatFromJson(j, path);
}

function fill(dtype: Exclude<Dtype, 'object'>, items: readonly unknown[], path: string, part?: 're' | 'im'): TypedData {
  const out = new (typedCtor(dtype))(items.length);
  items.forEach((item, i) => {
    const at = `${path}{${i}}`;
    const j = part ? (item as Record<string, unknown> | null)?.[part] : item;
    if (part && (typeof item !== 'object' || item === null)) throw badJson('expected {"re", "im"}', at);
    (out as unknown as Array<number | bigint>)[i] = scalarFromJson(dtype, j, part ? `${at}.${part}` : at);
  });
  return out;
}

/**
 * Reads an ndarray node of the typed JSON form. Element errors name the flat row-major index in
 * braces, e.g. `$.values{5}`.
 */
export function ndarrayFromJson(o: Record<string, unknown>, path: string, readValue: ReadValue): NdArray {
  const { dtype, complex } = parseDtype(o.dtype, `${path}.dtype`);
  const shape = shapeAt(o.shape, `${path}.shape`);
  if (sizeOf(shape) > 0xffff_ffff) throw badJson('the shape has too many elements', `${path}.shape`);
  if (dtype === 'object') {
    const items = flatten(o.values, shape, `${path}.values`).map((x, i) => readValue(x, `${path}.values{${i}}`));
    return build(path, () => new NdArray('object', shape, items));
  }
  const key = isDatetimeDtype(dtype) ? 'int64_values' : 'values';
  const flat = flatten(o[key], shape, `${path}.${key}`);
  const real = fill(dtype, flat, `${path}.${key}`, complex ? 're' : undefined);
  const imag = complex ? fill(dtype, flat, `${path}.${key}`, 'im') : null;
  return build(path, () => new NdArray(dtype, shape, real as never, imag as never));
}
