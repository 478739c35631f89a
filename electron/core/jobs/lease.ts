import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { DbDriver } from '../db/driver';
import type { ClaimedJob } from './claim';
import { writeRuns, type RunRecord } from './complete';
import { parseKeyJson, truncateErrorMessage, type WorkerIdentity } from './job-keys';
import { columns, marks } from './job-sql';
import { LEASE_TABLE } from './job-tables';
import { resolveQueue } from './queue';

/** Lost leases after which a job is marked as an error instead of being requeued again (a job that kills its workers). */
export const MAX_LOSSES = 3;

/** A failed attempt: DataJoint's error_message (`Kind: text`) and stack, and whether retrying is allowed. */
export interface Failure {
  message: string;
  stack: string;
  run: RunRecord;
  /** Cancelled by a user: final at once, whatever the budget. */
  final: boolean;
}

/**
 * Records a failed attempt. Within the retry budget the key returns to the queue after a backoff
 * (its `~jobs` row removed, so DataJoint Python may take it too); past it, the `~jobs` row becomes
 * DataJoint's `error` row (REPLACE with message and stack blob), which both Joinery and DataJoint
 * skip until someone retries it. Nothing happens when the lease is no longer ours.
 */
export async function recordFailure(
  db: DbDriver,
  job: ClaimedJob,
  f: Failure,
  who: WorkerIdentity,
  now: number,
): Promise<'retry' | 'error' | 'lost'> {
  const spec = job.tj.task.spec;
  const failures = job.failures + 1;
  const retry = !f.final && failures <= spec.retries;
  const delay = Math.min(spec.backoff_s * 2 ** (failures - 1), spec.backoff_max_s) * 1000;
  const { schema, table_name: name } = job.tj.table;
  const q = (s: string) => db.dialect.quoteIdent(s);
  const message = truncateErrorMessage(f.message);
  const queue = await resolveQueue(db, schema);
  return db.transaction(async (tx) => {
    const upd = await tx.execute(
      `UPDATE ${tx.dialect.qualify(schema, LEASE_TABLE)} SET ${q('state')} = ?, ${q('worker')} = '', ${q('failures')} = ${q('failures')} + 1, ` +
        `${q('not_before')} = ?, ${q('lease_until')} = 0, ${q('last_error')} = ? ` +
        `WHERE ${q('table_name')} = ? AND ${q('key_hash')} = ? AND ${q('worker')} = ? AND ${q('state')} IN ('running', 'cancel')`,
      [retry ? 'waiting' : 'failed', retry ? now + delay : 0, message, name, job.keyHash, who.id],
    );
    if (upd.affectedRows === 0) return 'lost';
    if (retry) {
      await queue.release(tx, job.tj.table, [job]);
    } else {
      await queue.error(tx, job.tj.table, job, { message, stack: f.stack }, who);
    }
    await writeRuns(tx, schema, name, [{ job, run: f.run }], who);
    return retry ? 'retry' : 'error';
  });
}

/**
 * Gives jobs back without counting them as failures (the worker stops, or its owner needs the
 * machine): the reservation goes, the key returns to the queue at once. `forget` also drops
 * Joinery's row (the key was computed by someone else: nothing is left to remember).
 * `started` holds the run records of jobs that had started, by `schema.table` + NUL + key hash.
 */
export async function releaseJobs(
  db: DbDriver,
  jobs: readonly ClaimedJob[],
  who: WorkerIdentity,
  started: ReadonlyMap<string, RunRecord>,
  forget = false,
): Promise<void> {
  const byTable = new Map<string, ClaimedJob[]>();
  for (const j of jobs) byTable.set(j.tj.table.full_name, [...(byTable.get(j.tj.table.full_name) ?? []), j]);
  for (const list of byTable.values()) {
    const { schema, table_name: name } = list[0]!.tj.table;
    const hashes = list.map((j) => j.keyHash);
    const q = (s: string) => db.dialect.quoteIdent(s);
    const queue = await resolveQueue(db, schema);
    await db.transaction(async (tx) => {
      const upd = await tx.query<{ key_hash: string }>(
        `SELECT ${q('key_hash')} FROM ${tx.dialect.qualify(schema, LEASE_TABLE)} WHERE ${q('table_name')} = ? AND ${q('worker')} = ? AND ${q('key_hash')} IN (${marks(hashes.length)})`,
        [name, who.id, ...hashes],
      );
      const mine = upd.map((r) => r.key_hash);
      if (mine.length === 0) return;
      const where = `WHERE ${q('table_name')} = ? AND ${q('key_hash')} IN (${marks(mine.length)})`;
      await tx.execute(
        forget
          ? `DELETE FROM ${tx.dialect.qualify(schema, LEASE_TABLE)} ${where}`
          : `UPDATE ${tx.dialect.qualify(schema, LEASE_TABLE)} SET ${q('state')} = 'waiting', ${q('worker')} = '', ${q('lease_until')} = 0, ${q('not_before')} = 0 ${where}`,
        [name, ...mine],
      );
      await queue.release(
        tx,
        list[0]!.tj.table,
        list.filter((j) => mine.includes(j.keyHash)),
      );
      const runOf = (j: ClaimedJob) => started.get(`${j.tj.table.full_name}\0${j.keyHash}`);
      const runs = list
        .filter((j) => mine.includes(j.keyHash) && runOf(j))
        .map((j) => ({ job: j, run: { ...runOf(j)!, ended: runOf(j)!.ended || Date.now() } }));
      await writeRuns(tx, schema, name, runs, who);
    });
  }
}

/** Renews this worker's leases in `schemas`; returns the jobs whose cancel a user requested. */
export async function renewLeases(
  db: DbDriver,
  schemas: Iterable<string>,
  who: WorkerIdentity,
  until: number,
): Promise<{ schema: string; table: string; keyHash: string }[]> {
  const cancel: { schema: string; table: string; keyHash: string }[] = [];
  const q = (s: string) => db.dialect.quoteIdent(s);
  for (const schema of schemas) {
    const t = db.dialect.qualify(schema, LEASE_TABLE);
    const res = await db.execute(
      `UPDATE ${t} SET ${q('lease_until')} = ? WHERE ${q('worker')} = ? AND ${q('state')} IN ('running', 'cancel')`,
      [until, who.id],
    );
    if (res.affectedRows === 0) continue;
    const rows = await db.query<{ table_name: string; key_hash: string }>(
      `SELECT ${q('table_name')}, ${q('key_hash')} FROM ${t} WHERE ${q('worker')} = ? AND ${q('state')} = 'cancel'`,
      [who.id],
    );
    for (const r of rows) cancel.push({ schema, table: r.table_name, keyHash: r.key_hash });
  }
  return cancel;
}

type Expired = {
  table_name: string;
  key_hash: string;
  key_json: string;
  state: string;
  worker: string;
  reserved_host: string;
  reserved_pid: number;
  attempts: number;
  losses: number;
  started: number | string;
  last_error: string;
};

/**
 * Returns jobs whose worker stopped renewing its lease (killed, crashed, cut off) to the queue:
 * the lease row goes back to waiting and the `~jobs` row that worker wrote is deleted: only a
 * reservation Joinery made (same host and pid as recorded), never DataJoint Python's. A job lost
 * {@link MAX_LOSSES} times becomes an error instead. Each expired job is taken over by exactly
 * one sweeper (the UPDATE's condition re-checks the expiry).
 */
export async function sweepExpiredLeases(
  db: DbDriver,
  schema: string,
  tables: ReadonlyMap<string, TableInfo>,
  who: WorkerIdentity,
  now: number,
): Promise<number> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const t = db.dialect.qualify(schema, LEASE_TABLE);
  const expired = await db.query<Expired>(
    `SELECT ${columns(db.dialect, ['table_name', 'key_hash', 'key_json', 'state', 'worker', 'reserved_host', 'reserved_pid', 'attempts', 'losses', 'started', 'last_error'])} ` +
      `FROM ${t} WHERE ${q('state')} IN ('running', 'cancel') AND ${q('lease_until')} < ? LIMIT 500`,
    [now],
  );
  let swept = 0;
  const queue = expired.length ? await resolveQueue(db, schema) : null;
  for (const e of expired) {
    const table = tables.get(`${schema}.${e.table_name}`);
    const lost = Number(e.losses) + 1;
    const final = e.state === 'cancel' || lost >= MAX_LOSSES;
    const done = await db.transaction(async (tx) => {
      const upd = await tx.execute(
        `UPDATE ${t} SET ${q('state')} = ?, ${q('worker')} = '', ${q('losses')} = ${q('losses')} + 1, ${q('lease_until')} = 0, ${q('not_before')} = 0 ` +
          `WHERE ${q('table_name')} = ? AND ${q('key_hash')} = ? AND ${q('state')} IN ('running', 'cancel') AND ${q('lease_until')} < ?`,
        [final && table ? 'failed' : 'waiting', e.table_name, e.key_hash, now],
      );
      if (upd.affectedRows === 0) return false;
      const job = { key: parseKeyJson(e.key_json), keyHash: e.key_hash };
      // a table dropped meanwhile: its key columns are unknown (0.14 needs only the hash)
      await queue!.release(tx, table ?? { schema, table_name: e.table_name, attributes: [] }, [job], {
        host: e.reserved_host,
        pid: Number(e.reserved_pid),
      });
      const message =
        e.state === 'cancel'
          ? 'CancelledError: cancelled by a user; its worker stopped before it could stop the job'
          : `WorkerLost: worker ${e.worker} stopped renewing its lease (${lost} time${lost > 1 ? 's' : ''})`;
      if (final && table) await queue!.error(tx, table, job, { message, stack: message }, who);
      const run: RunRecord = {
        status: e.state === 'cancel' ? 'cancelled' : 'lost',
        runner: '',
        started: Number(e.started),
        ended: now,
        exitCode: null,
        peakMemory: null,
        errorMessage: message,
        logTail: null,
      };
      await writeRuns(
        tx,
        schema,
        e.table_name,
        [{ job: { keyHash: e.key_hash, attempt: Number(e.attempts) }, run, worker: e.worker }],
        who,
      );
      return true;
    });
    if (done) swept++;
  }
  return swept;
}
