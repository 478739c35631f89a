import type { AttributeInfo, TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { SqlDialect } from '../../../../shared/sql/dialect';
import type { KeySource } from '../../../../shared/sql/key-source';
import { decodeRow, toDbValue } from '../../data/values';
import type { DbSession, Row } from '../../db/driver';
import { hashCanonicalKey } from '../canonical-key-hash';
import { columns } from '../job-sql';
import { v2QueueName } from './datajoint2-read';
import { queueKeyAttributes } from './datajoint2-queue-table';

/**
 * The parts of DataJoint 2.x's `refresh()` (jobs.py of 2.3; datajoint2.md "Jobs") that look at a
 * whole queue rather than at the keys about to be reserved: `orphan_timeout` (rows reserved longer
 * than it are pending again) and `stale_timeout` (pending and error rows older than it whose key
 * left the key source are deleted; `ignore` rows never). New keys and success rows whose result
 * vanished are queued per key, just before reserving (`enqueue` of datajoint2-jobs).
 */

/** A table's 2.x queue settings (the task's `keep_completed`, `stale_timeout_s`, `orphan_timeout_s`). */
export interface QueueSettings {
  keepCompleted: boolean;
  staleTimeoutS: number;
  orphanTimeoutS: number | null;
}

/** What one refresh changed. */
export interface RefreshResult {
  requeued: number;
  removed: number;
}

/** The key attributes and a `a = ? AND b = ?` condition builder of a table's queue. */
function keyOf(d: SqlDialect, table: TableInfo) {
  const attrs = queueKeyAttributes(table);
  const where = (key: Row) => ({
    sql: attrs.map((a) => `${d.quoteIdent(a.name)} = ?`).join(' AND '),
    params: attrs.map((a) => toDbValue(a, key[a.name], d)),
  });
  return { attrs, where };
}

/** The keys of rows read with the queue's key columns (and only those). */
const keysOf = (attrs: readonly AttributeInfo[], rows: readonly Row[]) =>
  rows.map((r) => decodeRow(attrs, Object.fromEntries(attrs.map((a) => [a.name, r[a.name]]))));

/**
 * Orphans: rows reserved longer than `orphanTimeoutS` are made pending again, one key per
 * statement (a primary-key lookup that locks that row only). Keys in `leased` (a Joinery worker's
 * live lease: it is still computing them, whatever the time) are left reserved.
 */
async function requeueOrphans(
  db: DbSession,
  table: TableInfo,
  orphanTimeoutS: number,
  leased: ReadonlySet<string>,
): Promise<number> {
  const d = db.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const queue = d.qualify(table.schema, v2QueueName(table.table_name));
  const { attrs, where } = keyOf(d, table);
  const old = `${q('status')} = 'reserved' AND ${q('reserved_time')} < ${d.nowPlusSeconds}`;
  const rows = await db.query<Row>(
    `SELECT ${columns(
      d,
      attrs.map((a) => a.name),
    )} FROM ${queue} WHERE ${old}`,
    [-orphanTimeoutS],
  );
  let n = 0;
  for (const key of keysOf(attrs, rows)) {
    if (leased.has(hashCanonicalKey(key, table))) continue;
    const w = where(key);
    const res = await db.execute(
      `UPDATE ${queue} SET ${q('status')} = 'pending', ${q('reserved_time')} = NULL, ${q('host')} = '', ${q('pid')} = 0, ` +
        `${q('connection_id')} = 0 WHERE ${w.sql} AND ${old}`,
      [...w.params, -orphanTimeoutS],
    );
    n += res.affectedRows;
  }
  return n;
}

/**
 * Stale rows: pending and error rows created more than `staleTimeoutS` ago whose key is no longer
 * in the (unrestricted) key source, deleted one key per statement.
 */
async function removeStale(db: DbSession, table: TableInfo, ks: KeySource, staleTimeoutS: number): Promise<number> {
  const d = db.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const queue = d.qualify(table.schema, v2QueueName(table.table_name));
  const { attrs, where } = keyOf(d, table);
  const shared = attrs.filter((a) => ks.attributes.includes(a.name));
  if (shared.length === 0) return 0;
  const stale = (p: string) =>
    `${p}${q('status')} IN ('pending', 'error') AND ${p}${q('created_time')} < ${d.nowPlusSeconds}`;
  const same = shared.map((a) => `${q('ks')}.${q(a.name)} = ${q('j')}.${q(a.name)}`).join(' AND ');
  const rows = await db.query<Row>(
    `SELECT ${attrs.map((a) => `${q('j')}.${q(a.name)}`).join(', ')} FROM ${queue} ${q('j')} ` +
      `WHERE ${stale(`${q('j')}.`)} ` +
      `AND NOT EXISTS (SELECT 1 FROM (${ks.select.sql}) ${q('ks')} WHERE ${same})`,
    [-staleTimeoutS, ...ks.select.params],
  );
  let n = 0;
  for (const key of keysOf(attrs, rows)) {
    const w = where(key);
    const res = await db.execute(`DELETE FROM ${queue} WHERE ${w.sql} AND ${stale('')}`, [...w.params, -staleTimeoutS]);
    n += res.affectedRows;
  }
  return n;
}

/**
 * 2.x's whole-queue refresh of one table: orphans re-queued (when `orphanTimeoutS` is set), stale
 * rows removed. `leased`: the key hashes Joinery workers hold live leases on.
 */
export async function refreshQueue(
  db: DbSession,
  table: TableInfo,
  ks: KeySource,
  settings: QueueSettings,
  leased: ReadonlySet<string>,
): Promise<RefreshResult> {
  if (queueKeyAttributes(table).length === 0) return { requeued: 0, removed: 0 };
  const requeued =
    settings.orphanTimeoutS === null ? 0 : await requeueOrphans(db, table, settings.orphanTimeoutS, leased);
  const removed = await removeStale(db, table, ks, settings.staleTimeoutS);
  return { requeued, removed };
}
