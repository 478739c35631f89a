import { elementCount, MIN_SIZED_VALUE, nested, readShape, readSized, type DecodeContext } from './decode-context';
import { dtypeOfClassId, isNumericDtype, itemSize, typedCtor, type Dtype, type TypedData } from './dtypes';
import { NdArray } from './model';
import { HOST_IS_LITTLE_ENDIAN, reorderBytes, reorderItems, swapBytes } from './order';
import type { BlobReader } from './reader';
import type { BlobValue } from './model';

/**
 * Reads the `A` type code: u64 ndim, u64 shape[ndim], u32 class id, u32 complex flag, then the
 * elements in column-major order (all real parts, then all imaginary parts). The result is
 * row-major; fixed-size data is copied once into a typed array (never read element by element
 * when the two orders coincide).
 */
export function readArray(r: BlobReader, ctx: DecodeContext): NdArray {
  const at = r.pos - 1;
  const shape = readShape(r);
  const n = elementCount(r, shape, at);
  const typeAt = r.pos;
  const dtype = dtypeOfClassId(r.u32('array type id'));
  if (typeof dtype !== 'string') throw r.fail(`arrays of ${dtype.unsupported} are not supported`, typeAt);
  const flagAt = r.pos;
  const flag = r.u32('complex flag');
  if (flag > 1) throw r.fail(`complex flag must be 0 or 1, got ${flag}`, flagAt);
  if (flag === 1 && !isNumericDtype(dtype)) throw r.fail(`${dtype} arrays cannot be complex`, flagAt);
  if (dtype === 'object') {
    if (n * MIN_SIZED_VALUE > r.remaining) {
      throw r.fail(
        `object array of shape [${shape.join(', ')}] needs at least ${n * MIN_SIZED_VALUE} bytes but only ${r.remaining} remain`,
      );
    }
    const items = nested(r, ctx, () => {
      const out: BlobValue[] = [];
      for (let i = 0; i < n; i++) out.push(readSized(r, ctx));
      return out;
    });
    return new NdArray('object', shape, reorderItems(items, shape, true));
  }
  return readFixed(r, dtype, shape, n, flag === 1);
}

function readFixed(
  r: BlobReader,
  dtype: Exclude<Dtype, 'object'>,
  shape: number[],
  n: number,
  complex: boolean,
): NdArray {
  const size = itemSize(dtype);
  const partBytes = n * size;
  r.need(partBytes * (complex ? 2 : 1), `${dtype}${complex ? ' complex' : ''} array of shape [${shape.join(', ')}]`);
  const real = toTyped(dtype, r.view8(partBytes, 'array data'), shape, size);
  const imag = complex ? toTyped(dtype, r.view8(partBytes, 'imaginary parts'), shape, size) : null;
  return new NdArray(dtype, shape, real as never, imag as never);
}

function toTyped(dtype: Exclude<Dtype, 'object'>, wire: Uint8Array, shape: number[], size: number): TypedData {
  const bytes = reorderBytes(wire, shape, size, true);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(bytes, size);
  const Ctor = typedCtor(dtype);
  return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length / size);
}
