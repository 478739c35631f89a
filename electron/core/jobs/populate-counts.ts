import type { PopulateInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { keySource, pendingKeys } from '../../../shared/sql/key-source';
import { decodeRow } from '../data/values';
import type { DbSession, Row } from '../db/driver';
import type { QueueRow } from './queue';

/** Hashes a key exactly as DataJoint's key_hash (md5 of the values' Python str(), sorted by name). */
export type KeyHasher = (key: Row, table: TableInfo) => string;

/**
 * Key source and pending counts of an auto-populated table, with DataJoint's meaning:
 * pending = key_source - table; "excluding jobs" also drops keys with a reserved, error or
 * ignore row in the schema's `~jobs`, which `populate(reserve_jobs=True)` would skip.
 */
export async function populateCounts(
  db: DbSession,
  table: TableInfo,
  lookup: (fullName: string) => TableInfo | undefined,
  jobs: readonly QueueRow[],
  hashKey: KeyHasher,
  isV2Queue = false,
): Promise<PopulateInfo | undefined> {
  const ks = keySource(db.dialect, table, lookup);
  if (!ks) return undefined;
  const [countRow] = await db.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM (${ks.select.sql}) AS ks`,
    ks.select.params,
  );
  const keySourceCount = Number(countRow?.n ?? 0);
  const pendingSql = pendingKeys(db.dialect, table, ks);
  const attrs = table.attributes.filter((a) => ks.attributes.includes(a.name));
  const pending = (await db.query(pendingSql.sql, pendingSql.params)).map((r) => decodeRow(attrs, r));
  const mine = jobs.filter((j) => j.table_name === table.table_name);
  // a pending or success row of a 2.x queue does not keep populate from taking the key
  const holding = mine.filter((j) => j.status === 'reserved' || j.status === 'error' || j.status === 'ignore');
  const held = new Set(holding.map((j) => (j.key_plain ? hashKey(j.key_plain, table) : j.key_hash)));
  const v2 = mine.some((j) => j.jobs_table !== undefined) || isV2Queue;
  const byStatus: PopulateInfo['jobs_by_status'] = v2
    ? { pending: 0, reserved: 0, success: 0, error: 0, ignore: 0 }
    : { reserved: 0, error: 0, ignore: 0 };
  for (const j of mine) byStatus[j.status] = (byStatus[j.status] ?? 0) + 1;
  return {
    key_source_attributes: ks.attributes,
    key_source_count: keySourceCount,
    populated_key_count: keySourceCount - pending.length,
    pending_count: pending.length,
    pending_excluding_jobs_count: pending.filter((k) => !held.has(hashKey(k, table))).length,
    jobs_by_status: byStatus,
  };
}
