import type { TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { SqlDialect } from '../../../../shared/sql/dialect';
import { jobsTable } from '../../../../shared/model/definition';
import type { DbSession } from '../../db/driver';
import { errorStackBlob, keyBlob, truncateErrorMessage, type WorkerIdentity } from '../job-keys';
import { marks } from '../job-sql';
import type { JobQueueProtocol, LeaseGuard, QueueError, QueueHold, QueueKey, QueueRow, QueueTable } from './job-queue';

/**
 * DataJoint 0.14's job protocol (datajoint.md §3): one `~jobs` table per schema, a row per key
 * that someone reserved (`reserved`), failed on (`error`, with message and stack) or set aside
 * (`ignore`). Reserving is inserting the row: a duplicate key means someone else holds it.
 * Ending a reservation deletes the row. This is the only module that names `~jobs`.
 */
const JOBS = '~jobs';
const KEY = ['table_name', 'key_hash'];
const WHO_COLUMNS = ['user', 'host', 'pid', 'connection_id'];
const READ_COLUMNS = [
  'table_name',
  'key_hash',
  'status',
  'key',
  'error_message',
  'user',
  'host',
  'pid',
  'connection_id',
  'timestamp',
];

const jobsOf = (tx: DbSession, schema: string) => tx.dialect.qualify(schema, JOBS);

/**
 * The `user, host, pid, connection_id` values of a row, as DataJoint writes them: the
 * session's own database account and connection id where the engine has them (`USER()`,
 * `CONNECTION_ID()`), else the OS user and 0.
 */
function whoValues(d: SqlDialect, who: WorkerIdentity): { sql: string; params: unknown[] } {
  const { user, connectionId } = d.session;
  return {
    sql: `${user ?? '?'}, ?, ?, ${connectionId ?? '0'}`,
    params: [...(user === null ? [who.user] : []), who.host, who.pid],
  };
}

/** `WHERE table_name = ? AND status = 'reserved' AND key_hash IN (...)`, with its values. */
function reservedRows(tx: DbSession, table: QueueTable, hashes: readonly string[], prefix = '') {
  const q = (s: string) => prefix + tx.dialect.quoteIdent(s);
  return {
    sql: `${q('table_name')} = ? AND ${q('status')} = 'reserved' AND ${q('key_hash')} IN (${marks(hashes.length)})`,
    params: [table.table_name, ...hashes],
  };
}

/**
 * INSERTs the `reserved` rows. Where several rows go in one INSERT, the rows this session won are
 * told by the session's host, pid and connection id, among the keys that had no row before it:
 * a pooled connection serves the workers of one process in turn, so a row an earlier transaction
 * on this connection reserved for ANOTHER worker of this process has the same three values
 * (seen in the populate-dj2 bench: a second worker "won" keys the first held, both computed them,
 * one commit was lost). Keys with a row before the INSERT are therefore never tried.
 */
async function reserve(
  tx: DbSession,
  table: TableInfo,
  keys: readonly QueueKey[],
  who: WorkerIdentity,
): Promise<Set<string>> {
  const d = tx.dialect;
  const target = jobsOf(tx, table.schema);
  const session = whoValues(d, who);
  const insert = (rows: number) =>
    d.insert({
      into: target,
      columns: ['table_name', 'key_hash', 'status', 'key', ...WHO_COLUMNS],
      values: Array.from({ length: rows }, () => `(?, ?, 'reserved', ?, ${session.sql})`).join(', '),
      key: KEY,
      onConflict: 'ignore',
    });
  const row = (k: QueueKey) => [table.table_name, k.keyHash, keyBlob(k.key, table), ...session.params];
  const connectionId = d.session.connectionId;
  if (connectionId === null) {
    // without a connection id, one row at a time tells which reservations this session won
    const won = new Set<string>();
    const sql = insert(1);
    for (const k of keys) if ((await tx.execute(sql, row(k))).affectedRows === 1) won.add(k.keyHash);
    return won;
  }
  const q = (s: string) => d.quoteIdent(s);
  // a plain read: rows committed before it (by any transaction of this connection among them)
  const held = await tx.query<{ key_hash: string }>(
    `SELECT ${q('key_hash')} FROM ${target} WHERE ${q('table_name')} = ? AND ${q('key_hash')} IN (${marks(keys.length)})`,
    [table.table_name, ...keys.map((k) => k.keyHash)],
  );
  const taken = new Set(held.map((r) => r.key_hash));
  const free = keys.filter((k) => !taken.has(k.keyHash));
  if (free.length === 0) return new Set();
  const all = new Set(free.map((k) => k.keyHash));
  const res = await tx.execute(insert(free.length), free.flatMap(row));
  if (res.affectedRows === free.length) return all;
  if (res.affectedRows === 0) return new Set();
  const mine = await tx.query<{ key_hash: string }>(
    `SELECT ${q('key_hash')} FROM ${target} WHERE ${q('table_name')} = ? AND ${q('key_hash')} IN (${marks(free.length)}) ` +
      `AND ${q('status')} = 'reserved' AND ${q('host')} = ? AND ${q('pid')} = ? AND ${q('connection_id')} = ${connectionId}`,
    [table.table_name, ...free.map((k) => k.keyHash), who.host, who.pid],
  );
  return new Set(mine.map((r) => r.key_hash));
}

async function release(
  tx: DbSession,
  table: QueueTable,
  jobs: readonly QueueKey[],
  owner?: { host: string; pid: number },
): Promise<number> {
  if (jobs.length === 0) return 0;
  const hashes = jobs.map((j) => j.keyHash);
  const q = (s: string) => tx.dialect.quoteIdent(s);
  const rows = reservedRows(tx, table, hashes);
  const mine = owner ? ` AND ${q('host')} = ? AND ${q('pid')} = ?` : '';
  const res = await tx.execute(`DELETE FROM ${jobsOf(tx, table.schema)} WHERE ${rows.sql}${mine}`, [
    ...rows.params,
    ...(owner ? [owner.host, owner.pid] : []),
  ]);
  return res.affectedRows;
}

/**
 * Deletes the lease rows and the `~jobs` rows of computed keys. Where the engine deletes joined
 * rows in one statement (MySQL) that is one round trip; else (SQLite, in-process) two.
 */
async function complete(
  tx: DbSession,
  table: QueueTable,
  jobs: readonly QueueKey[],
  lease: LeaseGuard,
): Promise<boolean> {
  const hashes = jobs.map((j) => j.keyHash);
  const q = (s: string) => tx.dialect.quoteIdent(s);
  const queue = jobsOf(tx, table.schema);
  if (tx.dialect.deleteJoined) {
    const rows = reservedRows(tx, table, hashes, `${queue}.`);
    const res = await tx.execute(
      tx.dialect.deleteJoined({
        tables: [lease.table, queue],
        on: KEY.map((c) => `${queue}.${q(c)} = ${lease.table}.${q(c)}`).join(' AND '),
        where: `${rows.sql} AND ${lease.where(`${lease.table}.`)}`,
      }),
      [...rows.params, ...lease.params],
    );
    return res.affectedRows === 2 * hashes.length;
  }
  const gone = await tx.execute(`DELETE FROM ${lease.table} WHERE ${lease.where('')}`, lease.params);
  if (gone.affectedRows !== hashes.length) return false;
  return (await release(tx, table, jobs)) === hashes.length;
}

/** DataJoint's `jobs.error(...)`: REPLACE the row with status `error`, the message and the stack blob. */
async function error(
  tx: DbSession,
  table: TableInfo,
  job: QueueKey,
  failure: { message: string; stack: string },
  who: WorkerIdentity,
): Promise<void> {
  const d = tx.dialect;
  const session = whoValues(d, who);
  await tx.execute(
    d.insert({
      into: jobsOf(tx, table.schema),
      columns: ['table_name', 'key_hash', 'status', 'key', 'error_message', 'error_stack', ...WHO_COLUMNS],
      values: `(?, ?, 'error', ?, ?, ?, ${session.sql})`,
      key: KEY,
      onConflict: 'replace',
    }),
    [
      table.table_name,
      job.keyHash,
      keyBlob(job.key, table),
      truncateErrorMessage(failure.message),
      errorStackBlob(failure.stack),
      ...session.params,
    ],
  );
}

/** DataJoint's `ignore`: REPLACE the row with status `ignore`. */
async function ignore(tx: DbSession, table: TableInfo, job: QueueKey, who: WorkerIdentity): Promise<void> {
  const d = tx.dialect;
  const session = whoValues(d, who);
  await tx.execute(
    d.insert({
      into: jobsOf(tx, table.schema),
      columns: ['table_name', 'key_hash', 'status', 'key', ...WHO_COLUMNS],
      values: `(?, ?, 'ignore', ?, ${session.sql})`,
      key: KEY,
      onConflict: 'replace',
    }),
    [table.table_name, job.keyHash, keyBlob(job.key, table), ...session.params],
  );
}

async function clear(
  tx: DbSession,
  table: QueueTable,
  { keyHash }: QueueKey,
  statuses: readonly QueueRow['status'][],
): Promise<number> {
  const q = (s: string) => tx.dialect.quoteIdent(s);
  const res = await tx.execute(
    `DELETE FROM ${jobsOf(tx, table.schema)} WHERE ${q('table_name')} = ? AND ${q('key_hash')} = ? AND ${q('status')} IN (${marks(statuses.length)})`,
    [table.table_name, keyHash, ...statuses],
  );
  return res.affectedRows;
}

async function read(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueRow[]> {
  if (!hidden.has(JOBS)) return [];
  const rows = await db.query<QueueRow>(
    `SELECT ${READ_COLUMNS.map((c) => db.dialect.quoteIdent(c)).join(', ')} FROM ${jobsOf(db, schema)} ORDER BY table_name, key_hash`,
  );
  return rows.map((r) => ({ ...r, pid: Number(r.pid), connection_id: Number(r.connection_id) }));
}

async function errors(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueError[]> {
  if (!hidden.has(JOBS)) return [];
  const q = (c: string) => db.dialect.quoteIdent(c);
  return db.query<QueueError>(
    `SELECT ${q('table_name')}, ${q('key_hash')}, ${q('error_message')} FROM ${jobsOf(db, schema)} WHERE ${q('status')} = 'error'`,
  );
}

async function held(db: DbSession, table: QueueTable): Promise<QueueHold> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const rows = await db.query<{ key_hash: string }>(
    `SELECT ${q('key_hash')} FROM ${jobsOf(db, table.schema)} WHERE ${q('table_name')} = ?`,
    [table.table_name],
  );
  return { held: new Set(rows.map((r) => r.key_hash)), urgency: new Map() };
}

/** DataJoint 0.14's `~jobs`, shared with DataJoint Python's `populate(reserve_jobs=True)`. */
export const datajointJobs: JobQueueProtocol = {
  label: 'DataJoint 0.14 ~jobs',
  conventions: '0.14',
  tables: (schema) => [jobsTable(schema)],
  prepare: () => Promise.resolve(), // the schema's one ~jobs is among tables()
  enqueue: () => Promise.resolve(), // 0.14 reserves by inserting the row
  refresh: () => Promise.resolve({ requeued: 0, removed: 0 }), // 0.14 has no orphan or stale rules
  exists: (hidden) => hidden.has(JOBS),
  reserve,
  release,
  complete,
  error,
  ignore,
  clear,
  read,
  errors,
  held,
  count: (dialect, schema, hidden) => {
    if (!hidden.has(JOBS)) return null;
    const name = dialect.quoteIdent('table_name');
    return {
      // rows are reported against the table they concern
      sql: `SELECT CONCAT_WS('.', ${dialect.asText('?')}, ${name}) AS t, COUNT(*) AS n FROM ${dialect.qualify(schema, JOBS)} GROUP BY ${name}`,
      params: [schema],
    };
  },
};
