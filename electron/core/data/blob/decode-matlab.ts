import { elementCount, MIN_SIZED_VALUE, nested, readShape, readSized, type DecodeContext } from './decode-context';
import { MatCell, MatStruct, RecArray, type BlobValue } from './model';
import { NdArray } from './model';
import { reorderItems } from './order';
import type { BlobReader } from './reader';

/**
 * Readers for the container codes: `C` MATLAB cell arrays, `S` MATLAB struct arrays and `F` numpy
 * structured arrays. Elements arrive in column-major order and are returned row-major.
 */

/** Struct arrays without fields carry no bytes per element; cap them so a bogus shape allocates nothing huge. */
const MAX_EMPTY_STRUCT_ELEMENTS = 1 << 20;

function checkItems(r: BlobReader, n: number, perItem: number, what: string): void {
  if (n * perItem > r.remaining) {
    throw r.fail(`${what} with ${n} values needs at least ${n * perItem} bytes but only ${r.remaining} remain`);
  }
}

/** `C`: u64 ndim, shape, then each element as u64 length + value. */
export function readCell(r: BlobReader, ctx: DecodeContext): MatCell {
  const at = r.pos - 1;
  const shape = readShape(r);
  const n = elementCount(r, shape, at);
  checkItems(r, n, MIN_SIZED_VALUE, 'cell array');
  const items = nested(r, ctx, () => {
    const out: BlobValue[] = [];
    for (let i = 0; i < n; i++) out.push(readSized(r, ctx));
    return out;
  });
  return new MatCell(shape, reorderItems(items, shape, true));
}

function readNames(r: BlobReader, count: number, what: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    const name = r.zstring(`${what} name ${i}`);
    if (names.includes(name)) throw r.fail(`${what} name "${name}" repeats`, at);
    names.push(name);
  }
  return names;
}

/** `S`: u64 ndim, shape, u32 field count, zero-terminated names, then per element per field u64 length + value. */
export function readStruct(r: BlobReader, ctx: DecodeContext): MatStruct {
  const at = r.pos - 1;
  const shape = readShape(r);
  const n = elementCount(r, shape, at);
  const countAt = r.pos;
  const nFields = r.u32('number of fields');
  if (nFields === 0) {
    // DataJoint returns an empty array here and reads nothing more
    if (n > MAX_EMPTY_STRUCT_ELEMENTS) throw r.fail(`struct array without fields claims ${n} elements`, at);
    return new MatStruct(
      shape,
      [],
      Array.from({ length: n }, () => []),
    );
  }
  if (nFields > r.remaining) throw r.fail(`${nFields} field names cannot fit in ${r.remaining} bytes`, countAt);
  const fields = readNames(r, nFields, 'struct field');
  checkItems(r, n * nFields, MIN_SIZED_VALUE, 'struct array');
  const values = nested(r, ctx, () => {
    const out: BlobValue[][] = [];
    for (let e = 0; e < n; e++) {
      const row: BlobValue[] = [];
      for (let f = 0; f < nFields; f++) row.push(readSized(r, ctx));
      out.push(row);
    }
    return out;
  });
  return new MatStruct(shape, fields, reorderItems(values, shape, true));
}

/** `F`: u32 field count, zero-terminated names, then one array per field with no length prefix. */
export function readRecArray(r: BlobReader, ctx: DecodeContext): RecArray {
  const countAt = r.pos;
  const nFields = r.u32('number of fields');
  if (nFields === 0) return new RecArray([], []);
  if (nFields * 2 > r.remaining) throw r.fail(`${nFields} fields cannot fit in ${r.remaining} bytes`, countAt);
  const fields = readNames(r, nFields, 'recarray field');
  const columns = nested(r, ctx, () =>
    fields.map((name) => {
      const at = r.pos;
      const v = ctx.readValue(r, ctx);
      if (!(v instanceof NdArray || v instanceof RecArray))
        throw r.fail(`recarray field "${name}" is not an array`, at);
      return v;
    }),
  );
  return new RecArray(fields, columns);
}
