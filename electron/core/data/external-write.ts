import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StoreSpec } from '../../../shared/api/schemas/settings';
import { appError } from '../../../shared/errors';
import type { DbSession } from '../db/driver';
import type { StoreLookup } from './external-read';
import { externalObjectPath } from './external-path';

/**
 * Writing `blob@store`, `attach@store` and `filepath@store` values as DataJoint's external.py does,
 * so that DataJoint reads what Joinery writes and identical contents are stored once:
 * - blob: the packed bytes at `<location>/<schema>/<hex[0:2]>/<hex[2:4]>/<hex>`, hash md5(bytes);
 * - attach: the file at the same path plus `.<filename>`, hash md5(filename + "\0" + contents);
 * - filepath: a file already inside the store's folder, hash md5(its relative POSIX path),
 *   `contents_hash` md5(contents); a path stored before with other contents is refused.
 * Each object gets its `~external_<store>` row in the insert's transaction. Files are written
 * before the rows (as DataJoint does): a rolled-back insert leaves content-addressed files that
 * a later insert of the same contents reuses.
 */

/** Why an external value cannot be written; row-check turns it into a row error. */
export class ExternalValueError extends Error {
  constructor(
    readonly reason: string,
    readonly code: 'VALIDATION' | 'NOT_FOUND',
  ) {
    super(reason);
  }
}

interface Pending {
  store: string;
  hash: Buffer;
  size: number;
  attachmentName: string | null;
  filepath: string | null;
  /** Bytes to place in the store (blobs and attachments); filepaths are already there. */
  bytes: Buffer | null;
  /** The object's path relative to the store location. */
  relative: string;
}

/** Collects the external objects of one insert (converted row by row), then writes them in its transaction. */
export class ExternalWrites {
  private readonly pending = new Map<string, Pending>();
  private readonly specs = new Map<string, StoreSpec>();

  constructor(
    private readonly schema: string,
    private readonly stores: StoreLookup,
  ) {}

  /** A packed blob: its hash, the cell's value. */
  blob(store: string, packed: Buffer): Buffer {
    const hash = md5(packed);
    this.add({
      store,
      hash,
      size: packed.length,
      attachmentName: null,
      filepath: null,
      bytes: packed,
      relative: externalObjectPath(this.schema, hex(hash), this.spec(store).subfolding),
    });
    return hash;
  }

  /** An attachment's name and contents: its hash, the cell's value. */
  attachment(store: string, filename: string, contents: Buffer): Buffer {
    const hash = md5(Buffer.from(`${filename}\0`, 'utf8'), contents);
    const relative = `${externalObjectPath(this.schema, hex(hash), this.spec(store).subfolding)}.${filename}`;
    this.add({
      store,
      hash,
      size: contents.length,
      attachmentName: filename,
      filepath: null,
      bytes: contents,
      relative,
    });
    return hash;
  }

  /** A file inside the store's folder (absolute, or relative to the folder): its hash, the cell's value. */
  filepath(store: string, given: string): Buffer {
    const location = this.spec(store).location;
    const file = path.resolve(location, given);
    const relative = path.relative(location, file);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new ExternalValueError(
        `must name a file inside the folder of store "${store}" (${location}), got ${JSON.stringify(given)}`,
        'VALIDATION',
      );
    }
    const posix = relative.split(path.sep).join('/');
    const hash = md5(Buffer.from(posix, 'utf8'));
    this.add({ store, hash, size: 0, attachmentName: null, filepath: posix, bytes: null, relative: posix });
    return hash;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Places the files and writes their `~external_<store>` rows, inside the insert's transaction. */
  async commit(tx: DbSession): Promise<void> {
    for (const p of this.pending.values()) {
      const spec = this.spec(p.store);
      const file = path.join(spec.location, ...p.relative.split('/'));
      let contentsHash: Buffer | null = null;
      if (p.bytes) await placeFile(file, p.bytes, p.store);
      else [p.size, contentsHash] = await describeFile(spec.location, file, p.store, p.filepath!);
      await recordObject(tx, this.schema, p, contentsHash);
    }
  }

  private add(p: Pending): void {
    this.pending.set(`${p.store}\0${hex(p.hash)}`, p);
  }

  private spec(store: string): StoreSpec {
    let spec = this.specs.get(store);
    if (!spec) {
      try {
        spec = this.stores.store(store);
      } catch {
        throw new ExternalValueError(
          `is kept in the external store "${store}", which is not configured on this machine (set its folder in Settings, or JOINERY_STORES='${store}=/path/to/store' for the CLI)`,
          'NOT_FOUND',
        );
      }
      this.specs.set(store, spec);
    }
    return spec;
  }
}

/** Writes the object unless it is there already (same contents, same name: content-addressed). */
async function placeFile(file: string, bytes: Buffer, store: string): Promise<void> {
  const present = await stat(file).catch(() => null);
  if (present?.isFile() && present.size === bytes.length) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // a temporary name then a rename: a reader never sees half a file
    const temp = `${file}.${randomBytes(6).toString('hex')}.part`;
    await writeFile(temp, bytes);
    await rename(temp, file).catch(async (e: unknown) => {
      await rm(temp, { force: true });
      throw e;
    });
  } catch (e) {
    throw storeError(store, file, e);
  }
}

/** A filepath's size and md5, streamed (such files may be large); a link leading out of the store is refused. */
async function describeFile(
  location: string,
  file: string,
  store: string,
  relative: string,
): Promise<[number, Buffer]> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    throw appError('NOT_FOUND', `The file ${relative} is not in store "${store}" (${file}).`, {
      details: { store, file },
      hint: "Put the file into the store's folder first, then insert again; nothing was written.",
    });
  }
  const [realFile, realStore] = await Promise.all([realpath(file), realpath(location)]);
  if (path.relative(realStore, realFile).startsWith('..')) {
    throw appError(
      'VALIDATION',
      `The file ${relative} of store "${store}" is a link to ${realFile}, outside the store.`,
      {
        details: { store, file },
        hint: "Copy the file into the store's folder instead of linking it; nothing was written.",
      },
    );
  }
  const hash = createHash('md5');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (e) {
    throw storeError(store, file, e);
  }
  return [info.size, hash.digest()];
}

/** The object's `~external_<store>` row; a filepath stored before with other contents is refused, as in DataJoint. */
async function recordObject(tx: DbSession, schema: string, p: Pending, contentsHash: Buffer | null): Promise<void> {
  const table = tx.dialect.qualify(schema, `~external_${p.store}`);
  const q = (s: string) => tx.dialect.quoteIdent(s);
  if (p.filepath !== null) {
    const [old] = await tx.query<{ contents_hash: Buffer | null }>(
      `SELECT ${q('contents_hash')} FROM ${table} WHERE ${q('hash')} = ?`,
      [p.hash],
    );
    if (old) {
      if (old.contents_hash && contentsHash && !Buffer.from(old.contents_hash).equals(contentsHash)) {
        throw appError(
          'CONFLICT',
          `A different version of ${p.filepath} is already recorded in store "${p.store}"; files of a filepath store must not change.`,
          {
            details: { store: p.store, file: p.filepath },
            hint: 'Save the new contents under a new file name; nothing was written.',
          },
        );
      }
      return;
    }
  }
  const sql = tx.dialect.insert({
    into: table,
    columns: ['hash', 'size', 'attachment_name', 'filepath', 'contents_hash'],
    values: '(?, ?, ?, ?, ?)',
    key: ['hash'],
    onConflict: { update: [['timestamp', 'CURRENT_TIMESTAMP']] },
  });
  await tx.execute(sql, [p.hash, p.size, p.attachmentName, p.filepath, contentsHash]);
}

function storeError(store: string, file: string, e: unknown) {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  const kind =
    code === 'ENOENT'
      ? 'NOT_FOUND'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'FORBIDDEN'
        : 'INTERNAL';
  return appError(kind, `Cannot write ${file} in store "${store}" (${code}).`, {
    details: { store, file },
    hint: "Check that the store's folder exists and this user may write to it; nothing was written to the database.",
  });
}

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

const hex = (b: Buffer) => b.toString('hex');
