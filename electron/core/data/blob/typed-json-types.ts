/**
 * The typed JSON form of blob values: how blobs travel through the JSON API, to the UI and into a
 * container's inputs.json. It is the form of the reference fixture (datajoint-reference.README.md)
 * and is lossless, with these additions:
 * - floats that JSON cannot hold are strings: "NaN", "Infinity", "-Infinity", "-0";
 * - ints (and int64/uint64 elements) beyond +-2^53 are decimal strings, as in the fixture;
 * - MATLAB char arrays keep their real shape: dtype "char", one 1-character string per element
 *   (the fixture shows DataJoint's numpy view instead: dtype "unicode", shape [1], joined text);
 * - cells list their elements as they are stored (DataJoint's numpy view fuses char elements);
 * - complex arrays of MATLAB integer classes have dtype "complex[int16]" etc.;
 * - a recarray whose field names JS would reorder (array-index-like names) also carries `names`.
 */

/** A float64 as JSON. */
export type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** A complex number as JSON. */
export interface JsonComplex {
  re: JsonFloat | string;
  im: JsonFloat | string;
}

/** One element of an ndarray's `values`. */
export type JsonElement = JsonFloat | string | boolean | JsonComplex | TypedJson;

/** Nested lists in row-major order (a bare element for 0-d arrays). */
export type JsonNested = JsonElement | JsonNested[];

/** One blob value in the typed JSON form. */
export type TypedJson =
  | { type: 'none' }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: number | string }
  | { type: 'float'; value: JsonFloat }
  | { type: 'complex'; value: JsonComplex }
  | { type: 'str'; value: string }
  | { type: 'bytes'; hex: string }
  | { type: 'decimal' | 'date' | 'time' | 'datetime' | 'uuid'; value: string }
  | { type: 'list' | 'tuple' | 'set'; items: TypedJson[] }
  | { type: 'dict'; items: Array<[TypedJson, TypedJson]> }
  | { type: 'ndarray'; dtype: string; shape: number[]; values: JsonNested }
  | { type: 'ndarray'; dtype: string; shape: number[]; int64_values: JsonNested; iso_values: JsonNested }
  | { type: 'recarray'; shape: number[]; fields: Record<string, TypedJson>; names?: string[] }
  | { type: 'struct'; shape: number[]; fields: string[]; records: Array<Record<string, TypedJson>> }
  | { type: 'cell'; shape: number[]; items: TypedJson[] };
