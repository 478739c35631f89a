import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import type { StoreSpec } from '../../../shared/api/schemas/settings';
import { type AppError, appError, isAppError } from '../../../shared/errors';
import type { DbSession, Row } from '../db/driver';
import { ATTACHMENT_INLINE_LIMIT, attachmentValue, largeAttachment } from './attachment';
import { externalObjectPath } from './external-path';
import type { BlobCodec } from './values';

/** Where store locations come from (the settings service). */
export interface StoreLookup {
  /** The store's configuration; throws a clear NOT_FOUND when it is not configured. */
  store(name: string): StoreSpec;
}

/** No store configured (callers that were given no lookup): every store is a clear NOT_FOUND. */
export const NO_STORES: StoreLookup = {
  store(name) {
    throw appError('NOT_FOUND', `The external store "${name}" is not configured.`, { details: { store: name } });
  },
};

/** A fetched `filepath@store` value: where the file is on this machine. */
export interface FilepathValue {
  type: 'filepath';
  path: string;
  size: number;
}

interface ExternalRow {
  hash: Buffer;
  size: number | string | null;
  attachment_name: string | null;
  filepath: string | null;
}

/**
 * Replaces the binary(16) hashes of `blob@store`, `attach@store` and `filepath@store` cells with
 * their values, read from the store's folder (DataJoint's external.py layout): blobs decoded,
 * attachments as base64 (bounded), filepaths as the file's local path. Read-only: nothing in the
 * store or the database changes. Missing configuration or files are errors naming the store.
 */
export async function readExternalValues(
  db: DbSession,
  table: TableInfo,
  attrs: readonly AttributeInfo[],
  rows: Row[],
  stores: StoreLookup,
  blobs?: BlobCodec,
): Promise<void> {
  for (const a of attrs) {
    if (!a.is_external || !a.store) continue;
    const hashes = new Set<string>();
    for (const r of rows) if (Buffer.isBuffer(r[a.name])) hashes.add((r[a.name] as Buffer).toString('hex'));
    if (hashes.size === 0) continue;
    const spec = stores.store(a.store);
    const meta = await externalRows(db, table.schema, a.store, [...hashes]);
    const values = new Map<string, unknown>();
    for (const r of rows) {
      const cell = r[a.name];
      if (!Buffer.isBuffer(cell)) continue;
      const hex = cell.toString('hex');
      if (!values.has(hex)) values.set(hex, await readOne(table, a, spec, hex, meta.get(hex), blobs, r));
      r[a.name] = values.get(hex);
    }
  }
}

async function externalRows(
  db: DbSession,
  schema: string,
  store: string,
  hexes: string[],
): Promise<Map<string, ExternalRow>> {
  const out = new Map<string, ExternalRow>();
  const target = db.dialect.qualify(schema, `~external_${store}`);
  for (let i = 0; i < hexes.length; i += 500) {
    const chunk = hexes.slice(i, i + 500);
    const rows = await db.query<ExternalRow & Row>(
      `SELECT hash, size, attachment_name, filepath FROM ${target} WHERE hash IN (${chunk.map(() => '?').join(', ')})`,
      chunk.map((h) => Buffer.from(h, 'hex')),
    );
    for (const r of rows) out.set(Buffer.from(r.hash).toString('hex'), r);
  }
  return out;
}

async function readOne(
  table: TableInfo,
  a: AttributeInfo,
  spec: StoreSpec,
  hex: string,
  meta: ExternalRow | undefined,
  blobs: BlobCodec | undefined,
  row: Row,
): Promise<unknown> {
  const fail = (why: string, file?: string) => externalError(table, a, row, why, file);
  if (!meta) throw fail(`its hash ${hex} has no row in ${table.schema}.~external_${a.store}`);
  const object = path.join(spec.location, ...externalObjectPath(table.schema, hex, spec.subfolding).split('/'));
  if (a.is_filepath) {
    if (!meta.filepath) throw fail(`the ~external_${a.store} row of ${hex} names no file`);
    const file = path.join(spec.location, ...meta.filepath.split('/'));
    if (path.relative(spec.location, file).startsWith('..'))
      throw fail(`the stored path ${meta.filepath} points outside the store`);
    return { type: 'filepath', path: file, size: await fileSize(file, fail) } satisfies FilepathValue;
  }
  if (a.is_attachment) {
    const name = meta.attachment_name ?? '';
    const file = `${object}.${name}`;
    const size = await fileSize(file, fail);
    if (size > ATTACHMENT_INLINE_LIMIT) return largeAttachment(name, size);
    return attachmentValue(name, await readStoreFile(file, fail));
  }
  const bytes = await readStoreFile(object, fail);
  if (!blobs) return { type: 'bytes', hex: bytes.toString('hex') };
  try {
    return blobs.decode(bytes);
  } catch (e) {
    throw fail(`the file is not a valid blob: ${isAppError(e) ? e.message : String(e)}`, object);
  }
}

export async function fileSize(file: string, fail: (why: string, file?: string) => AppError): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (e) {
    throw fail(missing(e), file);
  }
}

export async function readStoreFile(file: string, fail: (why: string, file?: string) => AppError): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw fail(missing(e), file);
  }
}

function missing(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'its file is missing' : `its file cannot be read (${code ?? String(e)})`;
}

export function externalError(table: TableInfo, a: AttributeInfo, row: Row, why: string, file?: string): AppError {
  const key = Object.fromEntries(table.primary_key.filter((k) => k in row).map((k) => [k, row[k]]));
  return appError(
    'NOT_FOUND',
    `${table.full_name}, attribute "${a.name}" (store "${a.store}") of the row ${JSON.stringify(key)}: ${why}${file ? ` (${file})` : ''}.`,
    {
      details: { table: table.full_name, attribute: a.name, store: a.store, key, file },
      hint: `Check the location of store "${a.store}" (settings.stores, or JOINERY_STORES for the CLI) and that the files are there.`,
    },
  );
}
