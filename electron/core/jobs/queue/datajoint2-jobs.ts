import type { TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { SqlDialect } from '../../../../shared/sql/dialect';
import { decodeRow, toDbValue } from '../../data/values';
import type { DbSession, Row } from '../../db/driver';
import { hashCanonicalKey } from '../canonical-key-hash';
import { errorStackBlob, truncateErrorMessage, type WorkerIdentity } from '../job-keys';
import { columns, marks } from '../job-sql';
import { readV2Queues, v2QueueName } from './datajoint2-read';
import { anyKey, computedOf, keyAttrs, oneKey, queueOf, rowsOf } from './datajoint2-keys';
import { DEFAULT_PRIORITY, ensureQueueTable } from './datajoint2-queue-table';
import { refreshQueue } from './datajoint2-refresh';
import type {
  JobQueueProtocol,
  KeepCompleted,
  LeaseGuard,
  QueueError,
  QueueHold,
  QueueKey,
  QueueRow,
  QueueTable,
} from './job-queue';

/**
 * DataJoint 2.x's job protocol (jobs.py of 2.3; datajoint2.md "Jobs"): one `~~<table>` queue per
 * auto-populated table, keyed by the target's key in its own columns. A key is reserved by
 * turning its `pending` row into `reserved` with one UPDATE that only a pending, due row
 * satisfies (a key without a row first gets a pending one, as 2.x's `refresh` inserts them);
 * success deletes the row, an error sets `error` with the message and the stack as a `<blob>`,
 * `ignore` sets `ignore`. 2.x has no leases: Joinery's own live in `~joinery_lease`, and a dead
 * 2.x worker's reservation stays reserved (Joinery never takes it over).
 */

/** `user, host, pid, connection_id, version` as 2.x writes them: the session's account and connection id where the engine has them. */
function whoAssignments(d: SqlDialect, who: WorkerIdentity): { sql: string; params: unknown[] } {
  const q = (c: string) => d.quoteIdent(c);
  const { user, connectionId } = d.session;
  return {
    sql: `${q('user')} = ${user ?? '?'}, ${q('host')} = ?, ${q('pid')} = ?, ${q('connection_id')} = ${connectionId ?? '0'}, ${q('version')} = ''`,
    params: [...(user === null ? [who.user] : []), who.host, who.pid],
  };
}

/**
 * 2.x's `refresh` for the keys about to be reserved (keys the table lacks): a success row whose
 * result is gone is queued again, and a key without a row gets a pending one (default priority,
 * due now).
 */
async function enqueue(db: DbSession, table: TableInfo, keys: readonly QueueKey[]): Promise<void> {
  const d = db.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const attrs = keyAttrs(table);
  if (keys.length === 0 || attrs.length === 0) return;
  const found = await rowsOf(db, table, attrs, keys);
  const succeeded = keys.filter((k) => found.get(k.keyHash)?.status === 'success');
  if (succeeded.length) {
    const these = anyKey(
      d,
      attrs,
      succeeded.map((k) => k.key),
    );
    // only where the result is gone (the caller's keys may be stale: someone may have just computed one)
    const queue = queueOf(d, table);
    const target = d.qualify(table.schema, table.table_name);
    const same = attrs.map((a) => `${target}.${q(a.name)} = ${queue}.${q(a.name)}`).join(' AND ');
    await db.execute(
      `UPDATE ${queue} SET ${q('status')} = 'pending', ${q('scheduled_time')} = ${d.now}, ` +
        `${q('completed_time')} = NULL, ${q('duration')} = NULL WHERE ${these.sql} AND ${q('status')} = 'success' ` +
        `AND NOT EXISTS (SELECT 1 FROM ${target} WHERE ${same})`,
      these.params,
    );
  }
  const computed = await computedOf(
    db,
    table,
    attrs,
    keys.filter((k) => !found.has(k.keyHash)),
  );
  // as 2.x's refresh (`key_source - target - queue`): a key computed meanwhile (the caller's list
  // may be stale) gets no pending row; one would be reserved only to be released again, its locks
  // taken beside the worker that is committing that key (seen deadlocking in populate-dj2)
  const missing = keys.filter((k) => !found.has(k.keyHash) && !computed.has(k.keyHash));
  if (missing.length === 0) return;
  const row = `(${marks(attrs.length)}, 'pending', ${DEFAULT_PRIORITY})`;
  await db.execute(
    d.insert({
      into: queueOf(d, table),
      columns: [...attrs.map((a) => a.name), 'status', 'priority'],
      values: missing.map(() => row).join(', '),
      key: attrs.map((a) => a.name),
      onConflict: 'ignore',
    }),
    missing.flatMap((k) => attrs.map((a) => toDbValue(a, k.key[a.name], d))),
  );
}

/**
 * 2.x's reserve, one key at a time in the caller's order: `UPDATE ... WHERE <key> AND
 * status='pending' AND scheduled_time <= now`; the key is won iff one row changed. Keys whose
 * row a plain read shows held by someone else are not tried.
 */
async function reserve(
  tx: DbSession,
  table: TableInfo,
  keys: readonly QueueKey[],
  who: WorkerIdentity,
): Promise<Set<string>> {
  const d = tx.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const attrs = keyAttrs(table);
  const target = queueOf(d, table);
  const won = new Set<string>();
  if (keys.length === 0 || attrs.length === 0) return won;
  const found = await rowsOf(tx, table, attrs, keys);
  const who2 = whoAssignments(d, who);
  for (const k of keys) {
    const row = found.get(k.keyHash);
    if (!row || row.status !== 'pending' || !row.due) continue;
    const where = oneKey(d, attrs, k.key);
    const res = await tx.execute(
      `UPDATE ${target} SET ${q('status')} = 'reserved', ${who2.sql}, ${q('reserved_time')} = ${d.now} ` +
        `WHERE ${where.sql} AND ${q('status')} = 'pending' AND ${q('scheduled_time')} <= ${d.now}`,
      [...who2.params, ...where.params],
    );
    if (res.affectedRows === 1) won.add(k.keyHash);
  }
  return won;
}

/**
 * Ends reservations without a result: the reserved rows are deleted, as 0.14's are, so the key
 * is free again (Joinery makes a new pending row when it next claims it; 2.x's `refresh` does
 * the same). With `owner`, only rows that host and process reserved.
 */
async function release(
  tx: DbSession,
  table: QueueTable,
  jobs: readonly QueueKey[],
  owner?: { host: string; pid: number },
): Promise<number> {
  const attrs = keyAttrs(table);
  if (jobs.length === 0 || attrs.length === 0) return 0;
  const d = tx.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const mine = owner ? ` AND ${q('host')} = ? AND ${q('pid')} = ?` : '';
  // one key per statement: a whole-key equality is a primary-key lookup, whereas an IN list
  // beside `status` may be read through the status index, locking other workers' rows
  let n = 0;
  for (const j of jobs) {
    const where = oneKey(d, attrs, j.key);
    const res = await tx.execute(
      `DELETE FROM ${queueOf(d, table)} WHERE ${where.sql} AND ${q('status')} = 'reserved'${mine}`,
      [...where.params, ...(owner ? [owner.host, owner.pid] : [])],
    );
    n += res.affectedRows;
  }
  return n;
}

/**
 * 2.x's `complete`: the reserved rows are deleted (2.x's default), or with `keep`
 * (`jobs.keep_completed`) set to `success` with completed_time and duration; the lease rows go.
 * The lease rows still naming this worker prove the reservations are its own (nobody
 * else takes a leased key), so each queue row is changed by its key alone, one statement per key:
 * a primary-key lookup that locks that row only (a list of keys may be read as a range, locking
 * the rows between them that other workers are reserving: seen deadlocking under load).
 */
async function complete(
  tx: DbSession,
  table: QueueTable,
  jobs: readonly QueueKey[],
  lease: LeaseGuard,
  keep?: KeepCompleted,
): Promise<boolean> {
  const d = tx.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const gone = await tx.execute(`DELETE FROM ${lease.table} WHERE ${lease.where('')}`, lease.params);
  if (gone.affectedRows !== jobs.length) return false;
  const attrs = keyAttrs(table);
  const queue = queueOf(d, table);
  for (const j of jobs) {
    const where = oneKey(d, attrs, j.key);
    const res = keep
      ? await tx.execute(
          `UPDATE ${queue} SET ${q('status')} = 'success', ${q('completed_time')} = ${d.now}, ${q('duration')} = ? ` +
            `WHERE ${where.sql} AND ${q('status')} = 'reserved'`,
          [keep.seconds(j.keyHash), ...where.params],
        )
      : await tx.execute(`DELETE FROM ${queue} WHERE ${where.sql}`, where.params);
    if (res.affectedRows !== 1) return false;
  }
  return true;
}

/**
 * Writes a row with `status` for a key: updates the key's row (keeping its priority and times),
 * or inserts one where the key has none. `set` holds the other columns to write.
 */
async function upsertStatus(
  tx: DbSession,
  table: QueueTable,
  key: Row,
  status: 'error' | 'ignore',
  set: Record<string, { sql: string; params: unknown[] }>,
): Promise<void> {
  const d = tx.dialect;
  const attrs = keyAttrs(table);
  const names = Object.keys(set);
  const insertCols = [...attrs.map((a) => a.name), 'status', 'priority', ...names];
  await tx.execute(
    d.insert({
      into: queueOf(d, table),
      columns: insertCols,
      values: `(${marks(attrs.length)}, '${status}', ${DEFAULT_PRIORITY}${names.map((n) => `, ${set[n]!.sql}`).join('')})`,
      key: attrs.map((a) => a.name),
      onConflict: { update: ['status', ...names].map((c): [string, string] => [c, d.inserted(c)]) },
    }),
    [...attrs.map((a) => toDbValue(a, key[a.name], d)), ...names.flatMap((n) => set[n]!.params)],
  );
}

/** 2.x's `error`: status `error`, the message (at most 2047 characters), the stack as a `<blob>`, the completion time. */
async function error(
  tx: DbSession,
  table: TableInfo,
  job: QueueKey,
  failure: { message: string; stack: string },
  who: WorkerIdentity,
): Promise<void> {
  const d = tx.dialect;
  const { user, connectionId } = d.session;
  const value = (v: unknown) => ({ sql: '?', params: [v] });
  await upsertStatus(tx, table, job.key, 'error', {
    error_message: value(truncateErrorMessage(failure.message)),
    error_stack: value(errorStackBlob(failure.stack)),
    completed_time: { sql: d.now, params: [] },
    user: user === null ? value(who.user) : { sql: user, params: [] },
    host: value(who.host),
    pid: value(who.pid),
    connection_id: { sql: connectionId ?? '0', params: [] },
  });
}

/** 2.x's `ignore`: status `ignore` (an existing row keeps its priority). */
async function ignore(tx: DbSession, table: TableInfo, job: QueueKey): Promise<void> {
  await upsertStatus(tx, table, job.key, 'ignore', {});
}

async function clear(
  tx: DbSession,
  table: QueueTable,
  job: QueueKey,
  statuses: readonly QueueRow['status'][],
): Promise<number> {
  const attrs = keyAttrs(table);
  if (attrs.length === 0 || attrs.some((a) => job.key[a.name] === undefined)) return 0;
  const d = tx.dialect;
  const where = oneKey(d, attrs, job.key);
  const res = await tx.execute(
    `DELETE FROM ${queueOf(d, table)} WHERE ${where.sql} AND ${d.quoteIdent('status')} IN (${marks(statuses.length)})`,
    [...where.params, ...statuses],
  );
  return res.affectedRows;
}

/**
 * Keys of `table` that a worker may not take: reserved, error and ignore rows and pending rows
 * not yet due. A success row does not hold its key back (its result was deleted if the key is
 * pending again: 2.x's refresh queues it again, and so does {@link enqueue}).
 */
async function held(db: DbSession, table: QueueTable): Promise<QueueHold> {
  const d = db.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const attrs = keyAttrs(table);
  const holding = `${q('status')} IN ('reserved', 'error', 'ignore') OR (${q('status')} = 'pending' AND ${q('scheduled_time')} > ${d.now})`;
  // rows that hold their key back, and due pending rows whose priority is not the default
  const rows = await db.query<Row>(
    `SELECT ${columns(
      d,
      attrs.map((a) => a.name),
    )}, CASE WHEN ${holding} THEN 1 ELSE 0 END AS ${q('_held')}, ${q('priority')} AS ${q('_priority')} ` +
      `FROM ${queueOf(d, table)} WHERE ${holding} OR (${q('status')} = 'pending' AND ${q('priority')} <> ${DEFAULT_PRIORITY})`,
  );
  const out = { held: new Set<string>(), urgency: new Map<string, number>() };
  for (const r of rows) {
    const hash = hashCanonicalKey(decodeRow(attrs, Object.fromEntries(attrs.map((a) => [a.name, r[a.name]]))), table);
    if (Number(r._held) === 1) out.held.add(hash);
    else out.urgency.set(hash, DEFAULT_PRIORITY - Number(r._priority));
  }
  return out;
}

const isQueue = (name: string) => name.startsWith('~~');

async function errors(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueError[]> {
  return (await readV2Queues(db, schema, hidden)).filter((r) => r.status === 'error');
}

/** DataJoint 2.x's per-table `~~<table>` queues, shared with 2.x's `populate(reserve_jobs=True)`. */
export const datajoint2Jobs: JobQueueProtocol = {
  label: 'DataJoint 2 ~~<table> queues',
  conventions: '2',
  tables: () => [], // 2.x keeps no schema-wide queue
  prepare: ensureQueueTable,
  enqueue,
  refresh: refreshQueue,
  exists: (hidden) => [...hidden].some(isQueue),
  reserve,
  release,
  complete,
  error,
  ignore,
  clear,
  read: readV2Queues,
  errors,
  held,
  count: (d, schema, hidden, tables) => {
    const q = (c: string) => d.quoteIdent(c);
    const mine = tables.filter((t) => hidden.has(v2QueueName(t.table_name)));
    if (mine.length === 0) return null;
    // one number per queue that changes with any status change (weights far apart)
    const weight = `CASE ${q('status')} WHEN 'pending' THEN 1 WHEN 'reserved' THEN 1000 WHEN 'success' THEN 1000000 WHEN 'error' THEN 1000000000 ELSE 1000000000000 END`;
    return {
      sql: mine
        .map(
          (t) =>
            `SELECT ${d.asText('?')} AS t, COALESCE(SUM(${weight}), 0) AS n FROM ${d.qualify(schema, v2QueueName(t.table_name))}`,
        )
        .join(' UNION ALL '),
      params: mine.map((t) => `${schema}.${t.table_name}`),
    };
  },
};
