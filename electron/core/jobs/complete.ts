import { insertRows } from '../data/insert';
import type { BlobCodec } from '../data/values';
import type { DbDriver, DbSession } from '../db/driver';
import type { ClaimedJob } from './claim';
import { keyJson, type WorkerIdentity } from './job-keys';
import { jobMetadata } from './job-metadata';
import { columns, marks, tuples } from './job-sql';
import { CACHE_TABLE, LEASE_TABLE, PROVENANCE_TABLE, RUN_TABLE } from './job-tables';
import { resolveQueue } from './queue';
import type { CheckedResult } from './result-check';
import type { StoreLookup } from '../data/external-read';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { JobQueueProtocol } from './queue';

/** One attempt's record for `~joinery_run`. */
export interface RunRecord {
  /** Every attempt goes to `~joinery_run`; a success also becomes its key's provenance. */
  status: 'success' | 'error' | 'lost' | 'cancelled' | 'released';
  runner: string;
  started: number;
  ended: number;
  exitCode: number | null;
  peakMemory: number | null;
  errorMessage: string;
  logTail: string | null;
}

/** A finished job ready to commit: its checked result (none in legacy mode), provenance and run. */
export interface Success {
  job: ClaimedJob;
  result: CheckedResult | null;
  fingerprint: string;
  codeHash: string;
  cached: boolean;
  run: RunRecord;
  /** result.json text to store in the cache (cached tasks only). */
  cacheEntry: string | null;
}

/** The worker no longer holds the lease of a job it finished (it expired and was swept): nothing written. */
export class LeaseLostError extends Error {
  constructor(readonly keyHashes: string[]) {
    super(`lost the lease of ${keyHashes.length} job(s) before committing`);
  }
}

/**
 * Commits finished jobs in ONE transaction: per job, its rows and parts, its provenance (which is
 * the record of its successful run), and its end (the `~jobs` row and the lease row deleted). Several jobs may share the transaction
 * (group commit: one disk flush for many short jobs); each job's writes still stand or fall
 * together. The lease rows are deleted first: if any is no longer this worker's, the whole
 * transaction rolls back with LeaseLostError and the caller retries the jobs one by one.
 */
export async function commitSuccesses(
  db: DbDriver,
  list: readonly Success[],
  who: WorkerIdentity,
  blobs: BlobCodec,
  stores?: StoreLookup,
): Promise<void> {
  const groups = new Map<string, Success[]>();
  for (const s of [...list].sort((a, b) => a.job.tj.order - b.job.tj.order)) {
    const k = s.job.tj.table.full_name;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const queues = new Map<string, JobQueueProtocol>();
  for (const s of new Set(list.map((x) => x.job.tj.table.schema))) queues.set(s, await resolveQueue(db, s));
  await db.transaction(async (tx) => {
    for (const group of groups.values())
      await commitGroup(tx, db, group, who, queues.get(group[0]!.job.tj.table.schema)!, blobs, stores);
  });
}

async function commitGroup(
  tx: DbSession,
  db: DbDriver,
  group: Success[],
  who: WorkerIdentity,
  queue: JobQueueProtocol,
  blobs: BlobCodec,
  stores: StoreLookup | undefined,
): Promise<void> {
  const { tj } = group[0]!.job;
  const { schema, table_name: name } = tj.table;
  await endReservations(tx, queue, tj.table, group, who);
  // 2.x's optional `_job_*` columns, where the table has them (the task never writes hidden columns)
  const rows = group.flatMap((s) => {
    const meta = jobMetadata(tj.table, s.run);
    return (s.result?.rows ?? []).map((r) => ({ ...r, ...meta }));
  });
  if (rows.length) await insertRows(db, tj.table, rows, { tx, blobs, stores });
  const parts = new Map<string, { table: CheckedResult['parts'][number]['table']; rows: CheckedResult['rows'] }>();
  for (const s of group)
    for (const p of s.result?.parts ?? []) {
      const entry = parts.get(p.table.full_name) ?? { table: p.table, rows: [] };
      entry.rows.push(...p.rows);
      parts.set(p.table.full_name, entry);
    }
  for (const p of parts.values()) if (p.rows.length) await insertRows(db, p.table, p.rows, { tx, blobs, stores });
  await writeProvenance(tx, group, who);
  // the attempt itself, with a run id like every other attempt (provenance keeps one row per key)
  await writeRuns(tx, schema, name, group, who);
  const cache = group.filter((s) => s.cacheEntry !== null);
  if (cache.length) {
    await tx.execute(
      tx.dialect.insert({
        into: tx.dialect.qualify(schema, CACHE_TABLE),
        columns: ['table_name', 'task_version', 'input_fingerprint', 'result'],
        values: tuples(cache.length, 4),
        key: ['table_name', 'task_version', 'input_fingerprint'],
        onConflict: 'replace',
      }),
      cache.flatMap((s) => [name, tj.task.version, s.fingerprint, s.cacheEntry]),
    );
  }
}

/**
 * Ends the reservations of jobs this worker holds: deletes their lease rows and their queue
 * reservations (the job protocol does both, in one statement where the engine can; a 2.x task
 * with `keep_completed` keeps its queue rows as `success`). Throws
 * LeaseLostError, so the transaction writes nothing, when any lease is no longer this worker's
 * (it expired and was swept) or its reservation is gone.
 */
async function endReservations(
  tx: DbSession,
  queue: JobQueueProtocol,
  table: TableInfo,
  group: readonly Success[],
  who: WorkerIdentity,
): Promise<void> {
  const { schema, table_name: name } = table;
  const jobs = group.map((s) => s.job);
  const hashes = jobs.map((j) => j.keyHash);
  const seconds = new Map(group.map((s) => [s.job.keyHash, Math.max(0, s.run.ended - s.run.started) / 1000]));
  const keep = group[0]?.job.tj.task.spec.keep_completed ? { seconds: (h: string) => seconds.get(h) ?? 0 } : undefined;
  const q = (s: string) => tx.dialect.quoteIdent(s);
  const lease = {
    table: tx.dialect.qualify(schema, LEASE_TABLE),
    where: (p: string) =>
      `${p}${q('table_name')} = ? AND ${p}${q('worker')} = ? AND ${p}${q('state')} IN ('running', 'cancel') AND ${p}${q('key_hash')} IN (${marks(hashes.length)})`,
    params: [name, who.id, ...hashes],
  };
  if (!(await queue.complete(tx, table, jobs, lease, keep))) throw new LeaseLostError([...hashes]);
}

const PROVENANCE_COLUMNS = [
  'table_name',
  'key_hash',
  'key_json',
  'attempt',
  'task_version',
  'code_hash',
  'input_fingerprint',
  'runner',
  'worker',
  'started',
  'ended',
  'peak_memory',
  'exit_code',
  'cached',
  'log_tail',
];

async function writeProvenance(tx: DbSession, group: Success[], who: WorkerIdentity): Promise<void> {
  const { tj } = group[0]!.job;
  const params = group.flatMap((s) => [
    tj.table.table_name,
    s.job.keyHash,
    keyJson(s.job.key),
    s.job.attempt,
    tj.task.version,
    s.codeHash,
    s.fingerprint,
    s.run.runner,
    who.id,
    s.run.started,
    s.run.ended,
    s.run.peakMemory,
    s.run.exitCode,
    s.cached ? 1 : 0,
    s.run.logTail,
  ]);
  await tx.execute(
    tx.dialect.insert({
      into: tx.dialect.qualify(tj.table.schema, PROVENANCE_TABLE),
      columns: PROVENANCE_COLUMNS,
      values: tuples(group.length, PROVENANCE_COLUMNS.length),
      key: ['table_name', 'key_hash'],
      onConflict: 'replace',
    }),
    params,
  );
}

const RUN_COLUMNS = [
  'table_name',
  'key_hash',
  'attempt',
  'status',
  'runner',
  'worker',
  'started',
  'ended',
  'exit_code',
  'peak_memory',
  'error_message',
  'log_tail',
];

/** Appends attempts to `~joinery_run` (run ids come from its auto_increment). */
export async function writeRuns(
  tx: DbSession,
  schema: string,
  table: string,
  runs: readonly { job: Pick<ClaimedJob, 'keyHash' | 'attempt'>; run: RunRecord; worker?: string }[],
  who: WorkerIdentity,
): Promise<void> {
  if (runs.length === 0) return;
  const params = runs.flatMap(({ job, run, worker }) => [
    table,
    job.keyHash,
    job.attempt,
    run.status,
    run.runner,
    worker ?? who.id,
    run.started,
    run.ended,
    run.exitCode,
    run.peakMemory,
    run.errorMessage.slice(0, 2047),
    run.logTail,
  ]);
  await tx.execute(
    `INSERT INTO ${tx.dialect.qualify(schema, RUN_TABLE)} (${columns(tx.dialect, RUN_COLUMNS)}) VALUES ${tuples(runs.length, RUN_COLUMNS.length)}`,
    params,
  );
}
