import path from 'node:path';
import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { isAppError } from '../../../shared/errors';
import type { Row } from '../db/driver';
import { ATTACHMENT_INLINE_LIMIT, decodeAttachment, largeAttachment } from './attachment';
import { externalError, fileSize, readStoreFile, type StoreLookup } from './external-read';
import type { BlobCodec } from './values';

/**
 * Values of DataJoint 2.x's store-backed codecs (`<blob@s>`, `<attach@s>`, `<hash@s>`,
 * `<object@s>`, `<npy@s>`, `<filepath@s>`): the row holds JSON metadata whose `path` is relative
 * to the store's root (2.x reads the path from the JSON, never recomputes it). Blobs are decoded,
 * attachments given inline (bounded), hashed bytes as hex; objects, .npy files and filepaths as
 * their local path with the metadata. Read-only. A store not configured here is an error naming it.
 */
export async function readStoredValues(
  table: TableInfo,
  attrs: readonly AttributeInfo[],
  rows: Row[],
  stores: StoreLookup,
  blobs?: BlobCodec,
): Promise<void> {
  for (const a of attrs) {
    if (!a.codec || a.store === null) continue;
    const cells = rows.filter((r) => isMeta(r[a.name]));
    if (cells.length === 0) continue;
    const spec = stores.store(a.store || 'default');
    for (const r of cells) r[a.name] = await readOne(table, a, spec.location, r[a.name] as StoredMeta, blobs, r);
  }
}

interface StoredMeta {
  path: string;
  [field: string]: unknown;
}

const isMeta = (v: unknown): v is StoredMeta =>
  typeof v === 'object' && v !== null && typeof (v as StoredMeta).path === 'string';

async function readOne(
  table: TableInfo,
  a: AttributeInfo,
  root: string,
  meta: StoredMeta,
  blobs: BlobCodec | undefined,
  row: Row,
): Promise<unknown> {
  const fail = (why: string, file?: string) => externalError(table, a, row, why, file);
  const file = path.join(root, ...meta.path.split('/'));
  if (path.relative(root, file).startsWith('..')) throw fail(`the stored path ${meta.path} points outside the store`);
  switch (a.codec) {
    case 'blob': {
      const bytes = await readStoreFile(file, fail);
      if (!blobs) return { type: 'bytes', hex: bytes.toString('hex') };
      try {
        return blobs.decode(bytes);
      } catch (e) {
        throw fail(`the file is not a valid blob: ${isAppError(e) ? e.message : String(e)}`, file);
      }
    }
    case 'attach': {
      const size = await fileSize(file, fail);
      if (size > ATTACHMENT_INLINE_LIMIT) return largeAttachment(path.basename(file), size);
      return decodeAttachment(await readStoreFile(file, fail));
    }
    case 'hash':
      return { type: 'bytes', hex: (await readStoreFile(file, fail)).toString('hex') };
    default:
      // object, npy, filepath and codecs Joinery does not know: where the file is here, and what 2.x recorded
      return { ...meta, type: a.codec, path: file, size: meta.is_dir ? meta.size : await fileSize(file, fail) };
  }
}
