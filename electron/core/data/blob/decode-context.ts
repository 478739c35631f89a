import type { BlobValue } from './model';
import type { BlobReader } from './reader';

/**
 * State shared by the per-type readers. The value reader is passed in rather than imported so the
 * array, MATLAB and Python readers do not import each other in a cycle.
 */
export interface DecodeContext {
  depth: number;
  readonly maxDepth: number;
  readonly readValue: (r: BlobReader, ctx: DecodeContext) => BlobValue;
}

/** Smallest encoding of a length-prefixed value: u64 length + 1 type-code byte. */
export const MIN_SIZED_VALUE = 9;

/**
 * Reads `u64 length + value` and checks the value fills exactly that length, as DataJoint's
 * read_blob(n_bytes) does. The value is read from a sub-reader, so it cannot run past its length.
 */
export function readSized(r: BlobReader, ctx: DecodeContext): BlobValue {
  const at = r.pos;
  const length = r.size('value length');
  const sub = r.sub(length);
  const value = ctx.readValue(sub, ctx);
  if (sub.remaining !== 0) {
    throw sub.fail(`the value declared ${length} bytes long (at byte ${at}) ends ${sub.remaining} bytes early`);
  }
  return value;
}

/** Runs a nested read one level deeper, refusing nesting deeper than maxDepth. */
export function nested<T>(r: BlobReader, ctx: DecodeContext, read: () => T): T {
  if (ctx.depth >= ctx.maxDepth) throw r.fail(`values are nested more than ${ctx.maxDepth} levels deep`);
  ctx.depth++;
  try {
    return read();
  } finally {
    ctx.depth--;
  }
}

/** Reads `ndim` and the shape of an array, cell or struct. */
export function readShape(r: BlobReader): number[] {
  const ndim = r.count('number of dimensions', r.dims32 ? 4 : 8);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(r.size(`dimension ${i}`));
  return shape;
}

/** Element count of a shape, refusing counts that cannot be real (they would need absurd memory). */
export function elementCount(r: BlobReader, shape: readonly number[], at: number): number {
  let n = 1;
  for (const d of shape) n *= d;
  if (n > 0xffff_ffff) throw r.fail(`shape [${shape.join(', ')}] has ${n} elements, more than any blob can hold`, at);
  return n;
}
