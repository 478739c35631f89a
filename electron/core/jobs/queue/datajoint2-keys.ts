import type { AttributeInfo, TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { SqlDialect } from '../../../../shared/sql/dialect';
import { decodeRow, toDbValue } from '../../data/values';
import type { DbSession, Row } from '../../db/driver';
import { hashCanonicalKey } from '../canonical-key-hash';
import { columns, marks, tuples } from '../job-sql';
import { v2QueueName } from './datajoint2-read';
import { queueKeyAttributes } from './datajoint2-queue-table';
import type { QueueKey, QueueTable } from './job-queue';

/**
 * Naming keys in a DataJoint 2.x `~~<table>` queue (the target's key in its own columns), and
 * the plain reads the queue's statements start from.
 */

export const queueOf = (d: SqlDialect, table: QueueTable) => d.qualify(table.schema, v2QueueName(table.table_name));

/** The queue's key attributes that `key` has values for (the target's FK-derived key). */
export function keyAttrs(table: QueueTable): AttributeInfo[] {
  return queueKeyAttributes({ attributes: table.attributes, foreign_keys: table.foreign_keys ?? [] });
}

/** `(a = ? AND b = ?)` for one key. */
export function oneKey(d: SqlDialect, attrs: readonly AttributeInfo[], key: Row): { sql: string; params: unknown[] } {
  return {
    sql: attrs.map((a) => `${d.quoteIdent(a.name)} = ?`).join(' AND '),
    params: attrs.map((a) => toDbValue(a, key[a.name], d)),
  };
}

/** `(a, b) IN ((?, ?), ...)` for several keys. */
export function anyKey(d: SqlDialect, attrs: readonly AttributeInfo[], keys: readonly Row[]) {
  const params = keys.flatMap((k) => attrs.map((a) => toDbValue(a, k[a.name], d)));
  const cols = columns(
    d,
    attrs.map((a) => a.name),
  );
  return attrs.length === 1
    ? { sql: `${cols} IN (${marks(keys.length)})`, params }
    : { sql: `(${cols}) IN (${tuples(keys.length, attrs.length)})`, params };
}

/**
 * The queue rows of `keys` by key hash: status and whether it is due. A plain read, which takes
 * no locks: the locking statements that follow touch only rows that can be won, so a worker never
 * waits on (or deadlocks over) rows another worker holds.
 */
export async function rowsOf(
  db: DbSession,
  table: TableInfo,
  attrs: readonly AttributeInfo[],
  keys: readonly QueueKey[],
): Promise<Map<string, { status: string; due: boolean }>> {
  const d = db.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const all = anyKey(
    d,
    attrs,
    keys.map((k) => k.key),
  );
  const rows = await db.query<Row>(
    `SELECT ${columns(
      d,
      attrs.map((a) => a.name),
    )}, ${q('status')} AS ${q('_status')}, CASE WHEN ${q('scheduled_time')} <= ${d.now} THEN 1 ELSE 0 END AS ${q('_due')} ` +
      `FROM ${queueOf(d, table)} WHERE ${all.sql}`,
    all.params,
  );
  return new Map(
    rows.map((r) => [
      // the key alone (decodeRow keeps every column it is given)
      hashCanonicalKey(decodeRow(attrs, Object.fromEntries(attrs.map((a) => [a.name, r[a.name]]))), table),
      { status: String(r._status), due: Number(r._due) === 1 },
    ]),
  );
}

/** The hashes of `keys` whose rows the target table has (a plain read). */
export async function computedOf(
  db: DbSession,
  table: TableInfo,
  attrs: readonly AttributeInfo[],
  keys: readonly QueueKey[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const d = db.dialect;
  const these = anyKey(
    d,
    attrs,
    keys.map((k) => k.key),
  );
  const rows = await db.query<Row>(
    `SELECT DISTINCT ${columns(
      d,
      attrs.map((a) => a.name),
    )} FROM ${d.qualify(table.schema, table.table_name)} WHERE ${these.sql}`,
    these.params,
  );
  return new Set(
    rows.map((r) =>
      hashCanonicalKey(decodeRow(attrs, Object.fromEntries(attrs.map((a) => [a.name, r[a.name]]))), table),
    ),
  );
}
