import type { DataRow } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError, type AppErrorCode } from '../../../shared/errors';
import type { DbDriver } from '../db/driver';
import { restrictionSql } from './restriction';
import type { StoreLookup } from './external-read';
import { ExternalWrites } from './external-write';
import { convertValue } from './row-check';
import type { BlobCodec } from './values';

/**
 * DataJoint's update1: change secondary attributes of exactly one existing row, found by its full
 * primary key. Key attributes cannot change this way (that is a migration); neither can a row
 * that does not exist (that is an insert).
 */
export async function updateRow(
  db: DbDriver,
  table: TableInfo,
  key: DataRow,
  values: DataRow,
  blobs?: BlobCodec,
  stores?: StoreLookup,
): Promise<void> {
  const fail = (msg: string, attribute?: string, code: AppErrorCode = 'VALIDATION') =>
    appError(code, `${table.full_name}: ${msg}.`, {
      details: { table: table.full_name, attribute, reason: msg },
      hint: 'Nothing was changed.',
    });
  const missing = table.primary_key.filter((k) => key[k] === undefined);
  if (missing.length) throw fail(`update needs the full primary key; missing ${missing.join(', ')}`, missing[0]);
  const extra = Object.keys(key).filter((k) => !table.primary_key.includes(k));
  if (extra.length) throw fail(`"${extra[0]}" is not a primary-key attribute; give the key only in "key"`, extra[0]);
  const names = Object.keys(values);
  if (names.length === 0) throw fail('nothing to update');
  const sets: string[] = [];
  const params: unknown[] = [];
  const external = stores ? new ExternalWrites(table.schema, stores) : undefined;
  for (const name of names) {
    const attr = table.attributes.find((a) => a.name === name);
    if (!attr) throw fail(`has no attribute "${name}"`, name);
    if (attr.in_key) throw fail(`"${name}" is part of the primary key and cannot be updated`, name);
    const converted = convertValue(attr, values[name], { dialect: db.dialect, blobs, external });
    if (!converted.ok) throw fail(`attribute "${name}" ${converted.reason}`, name, converted.code);
    sets.push(`${db.dialect.quoteIdent(name)} = ?`);
    params.push(converted.value);
  }
  await db.transaction(async (tx) => {
    const where = restrictionSql(tx.dialect, table, key, undefined, blobs);
    const target = tx.dialect.qualify(table.schema, table.table_name);
    const found = await tx.query(`SELECT 1 FROM ${target} WHERE ${where.sql}`, where.params);
    if (found.length !== 1)
      throw appError('NOT_FOUND', `${table.full_name} has no row with key ${JSON.stringify(key)}.`, {
        details: { table: table.full_name, key },
        hint: 'Insert the row instead; nothing was changed.',
      });
    if (external?.size) await external.commit(tx);
    await tx.execute(`UPDATE ${target} SET ${sets.join(', ')} WHERE ${where.sql}`, [...params, ...where.params]);
  });
}
