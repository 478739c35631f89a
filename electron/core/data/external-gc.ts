import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { UnusedExternal } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { StoreSpec } from '../../../shared/api/schemas/settings';
import { appError } from '../../../shared/errors';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbDriver, DbSession } from '../db/driver';
import { externalObjectPath } from './external-path';

/**
 * Garbage of an external store, as DataJoint's `schema.external[store].unused()` and
 * `.delete(delete_external_files=True)`: `~external_<store>` rows that no column of the schema's
 * tables references (rows were deleted, or an insert stored an object and then rolled back).
 * The tracking rows go in one transaction; the tables' foreign keys to them (ON DELETE RESTRICT)
 * make a row referenced meanwhile stop the clean instead of losing its object.
 */

type Unused = UnusedExternal['objects'];

interface TrackingRow {
  hash: Buffer;
  size: number | string;
  attachment_name: string | null;
  filepath: string | null;
}

/** The unreferenced objects of `store` in `schema`, with their paths in the store. */
export async function findUnused(
  db: DbSession,
  tables: readonly TableInfo[],
  schema: string,
  store: string,
  subfolding: readonly number[],
): Promise<Unused> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const tracking = `~external_${store}`;
  if (!(await hiddenTables(db, schema)).has(tracking)) {
    throw appError('NOT_FOUND', `${schema} has no external store "${store}" (no ~external_${store} table).`, {
      details: { schema, store },
      hint: 'Check the schema and store names; stores are created with the first table that uses them.',
    });
  }
  const references = tables
    .filter((t) => t.schema === schema)
    .flatMap((t) => t.attributes.filter((a) => a.is_external && a.store === store).map((a) => ({ t, a })));
  const unreferenced = references.map(
    ({ t, a }) =>
      `NOT EXISTS (SELECT 1 FROM ${db.dialect.qualify(t.schema, t.table_name)} r WHERE r.${q(a.name)} = e.${q('hash')})`,
  );
  const rows = await db.query<TrackingRow & Record<string, unknown>>(
    `SELECT e.${q('hash')} AS hash, e.${q('size')} AS size, e.${q('attachment_name')} AS attachment_name, e.${q('filepath')} AS filepath ` +
      `FROM ${db.dialect.qualify(schema, tracking)} e WHERE ${unreferenced.join(' AND ') || '1=1'} ORDER BY e.${q('hash')}`,
  );
  return rows.map((r) => {
    const hex = Buffer.from(r.hash).toString('hex');
    const kind = r.filepath !== null ? 'filepath' : r.attachment_name !== null ? 'attach' : 'blob';
    const object = externalObjectPath(schema, hex, subfolding);
    const where = kind === 'filepath' ? r.filepath! : kind === 'attach' ? `${object}.${r.attachment_name}` : object;
    return { hash: hex, kind, size: Number(r.size), path: where };
  });
}

/**
 * Removes the unused objects, if they are still exactly `expectedCount` (the preview the user
 * saw): their tracking rows in one transaction, then, unless `keepFiles`, their files.
 */
export async function cleanUnused(
  db: DbDriver,
  tables: readonly TableInfo[],
  schema: string,
  store: string,
  spec: StoreSpec | null,
  expectedCount: number,
  keepFiles: boolean,
): Promise<UnusedExternal> {
  if (!keepFiles && !spec) {
    throw appError(
      'NOT_FOUND',
      `The external store "${store}" is not configured on this machine, so its files cannot be removed.`,
      {
        details: { store },
        hint: `Configure the store (Settings, or JOINERY_STORES='${store}=/path/to/store'), or keep the files; nothing was removed.`,
      },
    );
  }
  const subfolding = spec?.subfolding ?? [2, 2];
  const objects = await db.transaction(async (tx) => {
    const found = await findUnused(tx, tables, schema, store, subfolding);
    if (found.length !== expectedCount) {
      throw appError(
        'CONFLICT',
        `${found.length} objects of store "${store}" are unused now, not the ${expectedCount} you confirmed.`,
        {
          details: { schema, store, unused: found.length },
          hint: 'Look at the new list and confirm again; nothing was removed.',
        },
      );
    }
    const target = tx.dialect.qualify(schema, `~external_${store}`);
    for (let i = 0; i < found.length; i += 500) {
      const chunk = found.slice(i, i + 500);
      await tx.execute(
        `DELETE FROM ${target} WHERE ${tx.dialect.quoteIdent('hash')} IN (${chunk.map(() => '?').join(', ')})`,
        chunk.map((o) => Buffer.from(o.hash, 'hex')),
      );
    }
    return found;
  });
  const fileErrors: { path: string; reason: string }[] = [];
  if (!keepFiles && spec) {
    for (const o of objects) {
      const file = path.join(spec.location, ...o.path.split('/'));
      if (path.relative(spec.location, file).startsWith('..')) {
        fileErrors.push({ path: o.path, reason: 'points outside the store; left alone' });
        continue;
      }
      await rm(file, { force: true }).catch((e: NodeJS.ErrnoException) =>
        fileErrors.push({ path: o.path, reason: e.code ?? String(e) }),
      );
    }
  }
  return { schema, store, objects, total_bytes: objects.reduce((n, o) => n + o.size, 0), file_errors: fileErrors };
}
