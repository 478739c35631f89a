import { toAttributeV2 } from '../../../../shared/model/attribute-v2';
import { v2QueueCatalog } from '../../db/catalog/v2-queue-catalog';
import { decodeRow } from '../../data/values';
import { hashCanonicalKey } from '../canonical-key-hash';
import type { DbSession, Row } from '../../db/driver';
import type { QueueRow } from './job-queue';

/**
 * Reading DataJoint 2.x's per-table job queues (jobs.py of 2.3): `~~<table name without leading
 * underscores>`, one row per key of the target in its own native columns (no key hash, no blob),
 * with statuses pending, reserved, success, error and ignore.
 */

/** The queue's own columns; every other column is the target's primary key. */
export const V2_QUEUE_COLUMNS = [
  'status',
  'priority',
  'created_time',
  'scheduled_time',
  'reserved_time',
  'completed_time',
  'duration',
  'error_message',
  'error_stack',
  'user',
  'host',
  'pid',
  'connection_id',
  'version',
] as const;

/** `__spike_sorting` -> `~~spike_sorting`. */
export const v2QueueName = (tableName: string) => `~~${tableName.replace(/^_+/, '')}`;

/** Every row of every `~~` queue of a schema (MySQL-family engines; none elsewhere yet), keys decoded. */
export async function readV2Queues(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueRow[]> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const out: QueueRow[] = [];
  for (const queue of [...hidden].filter((h) => h.startsWith('~~')).sort()) {
    const found = await v2QueueCatalog(db, schema, queue, V2_QUEUE_COLUMNS);
    if (!found) continue; // an engine whose 2.x queues Joinery does not read yet
    const { target, keyColumns } = found;
    if (!target) continue; // a queue whose table was dropped: nothing to count it against
    const attrs = keyColumns.map(toAttributeV2);
    const cols = [
      ...attrs.map((a) => a.name),
      'status',
      'priority',
      'error_message',
      'user',
      'host',
      'pid',
      'connection_id',
      'reserved_time',
    ];
    const rows = await db.query<Row>(
      `SELECT ${cols.map(q).join(', ')} FROM ${db.dialect.qualify(schema, queue)} ORDER BY ${attrs.map((a) => q(a.name)).join(', ')}`,
    );
    for (const r of rows) {
      const key = decodeRow(attrs, Object.fromEntries(attrs.map((a) => [a.name, r[a.name]])));
      out.push({
        table_name: target,
        // 2.x has no key hash; the one 0.14 would give lets Joinery's views and leases name the key alike
        key_hash: hashCanonicalKey(key, { attributes: attrs }),
        status: r.status as QueueRow['status'],
        key: null,
        key_plain: key,
        jobs_table: queue,
        priority: Number(r.priority),
        error_message: String(r.error_message ?? ''),
        user: String(r.user ?? ''),
        host: String(r.host ?? ''),
        pid: Number(r.pid ?? 0),
        connection_id: Number(r.connection_id ?? 0),
        timestamp: r.reserved_time === null || r.reserved_time === undefined ? null : String(r.reserved_time),
      });
    }
  }
  return out;
}
