import { nestedWrite, writeNames, writeShape, writeSized, type EncodeContext } from './encode-context';
import { classIdOf, isDatetimeDtype, itemSize, type Dtype, type TypedData } from './dtypes';
import { type MatCell, type MatStruct, type RecArray, type BlobValue } from './model';
import { NdArray } from './model';
import { HOST_IS_LITTLE_ENDIAN, ordersDiffer, reorderBytes, reorderItems, swapBytes } from './order';
import type { BlobWriter } from './writer';

/**
 * Writers for the array-like codes: `A` arrays, `C` cells, `S` structs and `F` recarrays. Elements
 * are written column-major as MATLAB and DataJoint expect.
 */

function writeData(w: BlobWriter, data: TypedData, shape: readonly number[], dtype: Exclude<Dtype, 'object'>): void {
  const size = itemSize(dtype);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!ordersDiffer(shape) && HOST_IS_LITTLE_ENDIAN) {
    w.bytes(bytes);
    return;
  }
  const wire = reorderBytes(bytes, shape, size, false);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(wire, size);
  w.bytes(wire);
}

/** `A`: DataJoint's pack_array. 0-d numeric, datetime64 and object arrays need the dj0 protocol. */
export function writeArray(w: BlobWriter, a: NdArray, ctx: EncodeContext, path: string): void {
  w.u8(0x41);
  writeShape(w, a.shape);
  w.u32(classIdOf(a.dtype));
  w.u32(a.imag ? 1 : 0);
  if (a.dtype === 'object') {
    const items = reorderItems(a.data as BlobValue[], a.shape, false);
    nestedWrite(ctx, path, () => items.forEach((v, i) => writeSized(w, v, ctx, `${path}.data[${i}]`)));
    ctx.dj0 = true;
    return;
  }
  const dtype = a.dtype as Exclude<Dtype, 'object'>;
  if (isDatetimeDtype(dtype) || (a.ndim === 0 && dtype !== 'char')) ctx.dj0 = true;
  writeData(w, a.data as TypedData, a.shape, dtype);
  if (a.imag) writeData(w, a.imag, a.shape, dtype);
}

/** `C`: u64 ndim, shape, then each element (column-major) as u64 length + value. */
export function writeCell(w: BlobWriter, c: MatCell, ctx: EncodeContext, path: string): void {
  w.u8(0x43);
  writeShape(w, c.shape);
  const items = reorderItems(c.items, c.shape, false);
  nestedWrite(ctx, path, () => items.forEach((v, i) => writeSized(w, v, ctx, `${path}.items[${i}]`)));
}

/**
 * `S`: u64 ndim, shape, u32 field count, names, then per element per field u64 length + value.
 * A struct without fields is written as its field count only: DataJoint also appends one NUL
 * there, which its own reader then rejects, so that byte is left out.
 */
export function writeStruct(w: BlobWriter, s: MatStruct, ctx: EncodeContext, path: string): void {
  w.u8(0x53);
  writeShape(w, s.shape);
  w.u32(s.fields.length);
  if (s.fields.length === 0) return;
  writeNames(w, s.fields, path);
  const rows = reorderItems(s.values, s.shape, false);
  nestedWrite(ctx, path, () =>
    rows.forEach((row, e) =>
      row.forEach((v, f) => {
        writeSized(w, v, ctx, `${path}.values[${e}].${s.fields[f]!}`);
      }),
    ),
  );
}

/** `F`: u32 field count, names, then each column's array with no length prefix (dj0 only). */
export function writeRecArray(w: BlobWriter, rec: RecArray, ctx: EncodeContext, path: string): void {
  ctx.dj0 = true;
  w.u8(0x46);
  w.u32(rec.fields.length);
  if (rec.fields.length === 0) return;
  writeNames(w, rec.fields, path);
  nestedWrite(ctx, path, () =>
    rec.columns.forEach((col, i) => {
      const at = `${path}.${rec.fields[i]!}`;
      if (col instanceof NdArray) writeArray(w, col, ctx, at);
      else writeRecArray(w, col, ctx, at);
    }),
  );
}
