import { unencodable } from './blob-error';
import type { BlobInput } from './model';
import type { BlobWriter } from './writer';

/**
 * State shared by the per-type writers. `dj0` records whether any value needed DataJoint's Python
 * extensions (DataJoint's set_dj0), which picks the protocol header once the value is written.
 */
export interface EncodeContext {
  dj0: boolean;
  depth: number;
  readonly maxDepth: number;
  readonly writeValue: (w: BlobWriter, v: BlobInput, ctx: EncodeContext, path: string) => void;
}

/** Writes `u64 length + value`, the framing of every nested value. */
export function writeSized(w: BlobWriter, v: BlobInput, ctx: EncodeContext, path: string): void {
  const at = w.placeholder();
  ctx.writeValue(w, v, ctx, path);
  w.patchLength(at);
}

/** Runs a nested write one level deeper; refuses deeper nesting (and so reference cycles). */
export function nestedWrite(ctx: EncodeContext, path: string, write: () => void): void {
  if (ctx.depth >= ctx.maxDepth)
    throw unencodable(`values are nested more than ${ctx.maxDepth} levels deep (a cycle?)`, path);
  ctx.depth++;
  try {
    write();
  } finally {
    ctx.depth--;
  }
}

/** Writes u64 ndim + u64 per dimension. */
export function writeShape(w: BlobWriter, shape: readonly number[]): void {
  w.u64(shape.length);
  for (const d of shape) w.u64(d);
}

/** Zero-terminated UTF-8 field names; names cannot contain NUL. */
export function writeNames(w: BlobWriter, names: readonly string[], path: string): void {
  for (const name of names) {
    if (name.includes('\0')) throw unencodable(`field name ${JSON.stringify(name)} contains a NUL character`, path);
    w.bytes(Buffer.from(name, 'utf8'));
    w.u8(0);
  }
}
