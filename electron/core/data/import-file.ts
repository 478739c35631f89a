import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { rowsFromCsv, rowsFromJson, type FileRows } from '../../../shared/model/import-rows';
import type { DbDriver } from '../db/driver';
import { ATTACHMENT_INLINE_LIMIT } from './attachment';
import type { StoreLookup } from './external-read';
import { insertRows, type OnDuplicate } from './insert';
import type { BlobCodec } from './values';

/** What {@link importRows} needs besides the file text. */
export interface ImportOptions {
  format: 'csv' | 'json';
  onDuplicate: OnDuplicate;
  blobs?: BlobCodec;
  /** Store locations, for external attributes. */
  stores?: StoreLookup;
  /**
   * Folder that attachment paths in the file are relative to; null when the caller may not read
   * local files (the web server: a browser must not make the server read its own disk).
   */
  baseDir: string | null;
}

/**
 * Inserts the rows of a CSV or JSON file into one table, in one transaction, with every error
 * naming the file line. In attach attributes a string is a local file path (its name and
 * contents become the attachment), where the caller allows reading local files.
 */
export async function importRows(
  db: DbDriver,
  table: TableInfo,
  text: string,
  opts: ImportOptions,
): Promise<{ inserted: number; skipped: number; rows: number }> {
  const file = opts.format === 'csv' ? rowsFromCsv(table, text) : rowsFromJson(text);
  readAttachmentPaths(table, file, opts.baseDir);
  const result = await insertRows(db, table, file.rows, {
    onDuplicate: opts.onDuplicate,
    blobs: opts.blobs,
    stores: opts.stores,
    label: (i) => `line ${file.lines[i]}`,
  });
  return { ...result, rows: file.rows.length };
}

/** Replaces attachment path strings by `{filename, base64}` read from disk. */
function readAttachmentPaths(table: TableInfo, file: FileRows, baseDir: string | null): void {
  // internal `attach` and `attach@store` alike
  const attach = table.attributes.filter((a) => a.is_attachment).map((a) => a.name);
  if (attach.length === 0) return;
  file.rows.forEach((row, i) => {
    for (const name of attach) {
      const v = row[name];
      if (typeof v !== 'string') continue;
      const where = `${table.full_name}, line ${file.lines[i]}: attribute "${name}"`;
      if (baseDir === null) {
        throw appError(
          'VALIDATION',
          `${where} names the file ${JSON.stringify(v)}, but files on the server's disk cannot be attached from here.`,
          {
            details: { table: table.full_name, line: file.lines[i], attribute: name },
            hint: 'Give the attachment as {"filename": "...", "base64": "..."}.',
          },
        );
      }
      row[name] = readAttachment(path.resolve(baseDir, v), where, {
        table: table.full_name,
        line: file.lines[i],
        attribute: name,
      });
    }
  });
}

function readAttachment(
  file: string,
  where: string,
  details: Record<string, unknown>,
): { filename: string; base64: string } {
  try {
    const size = statSync(file).size;
    if (size > 4 * ATTACHMENT_INLINE_LIMIT)
      throw new Error(`it is ${size} bytes; attachments up to ${4 * ATTACHMENT_INLINE_LIMIT} bytes can be imported`);
    return { filename: path.basename(file), base64: readFileSync(file).toString('base64') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw appError('VALIDATION', `${where}: cannot attach ${file}: ${why}.`, {
      details: { ...details, file },
      hint: 'Paths are relative to the imported file; nothing was written.',
    });
  }
}
