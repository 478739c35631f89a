import { decodeRow } from '../data/values';
import type { DbDriver, DbSession, Row } from '../db/driver';
import { hashCanonicalKey } from './canonical-key-hash';
import type { TableJob } from './job-context';
import { keyJson, type WorkerIdentity } from './job-keys';
import { claimUpsert, columns, keysIn, marks } from './job-sql';
import { LEASE_TABLE } from './job-tables';
import { resolveQueue } from './queue';
import type { Candidate } from './todo';

/** A job this worker holds: its `~jobs` row says reserved, its lease row names this worker. */
export interface ClaimedJob {
  tj: TableJob;
  key: Row;
  keyHash: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Failed attempts so far (against the retry budget). */
  failures: number;
  losses: number;
  claimedAt: number;
}

/** Outcome of one claim round trip. */
export interface ClaimResult {
  claimed: ClaimedJob[];
  /** Candidates someone else reserved first. */
  taken: number;
  /** Candidates already computed by the time they were reserved (released again at once). */
  done: number;
}

const JOB_COLUMNS = [
  'table_name',
  'key_hash',
  'key_json',
  'state',
  'worker',
  'lease_until',
  'reserved_host',
  'reserved_pid',
  'started',
  'attempts',
];

/**
 * Claims candidates in ONE short transaction. The claim itself is DataJoint's: an INSERT of a
 * `reserved` row into `~jobs`, where a duplicate key means someone else (a Joinery worker or
 * DataJoint Python's `populate(reserve_jobs=True)`) has it. Keys are inserted in key_hash order
 * so concurrent claimers never deadlock. Keys whose rows already exist are released again
 * (DataJoint does the same check after reserving); the rest get a lease row naming this worker.
 */
export async function claimJobs(
  db: DbDriver,
  tj: TableJob,
  candidates: readonly Candidate[],
  who: WorkerIdentity,
  now: number,
  leaseMs: number,
): Promise<ClaimResult> {
  const sorted = [...candidates].sort((a, b) => (a.keyHash < b.keyHash ? -1 : a.keyHash > b.keyHash ? 1 : 0));
  if (sorted.length === 0) return { claimed: [], taken: 0, done: 0 };
  const queue = await resolveQueue(db, tj.table.schema);
  await queue.prepare(db, tj.table);
  await queue.enqueue(db, tj.table, sorted);
  return db.transaction(async (tx) => {
    const reserved = await queue.reserve(tx, tj.table, sorted, who);
    const won = sorted.filter((c) => reserved.has(c.keyHash));
    if (won.length === 0) return { claimed: [], taken: sorted.length, done: 0 };
    const doneHashes = await alreadyComputed(tx, tj, won);
    const live = won.filter((c) => !doneHashes.has(c.keyHash));
    const lease = tx.dialect.qualify(tj.table.schema, LEASE_TABLE);
    const q = (s: string) => tx.dialect.quoteIdent(s);
    if (doneHashes.size) {
      const list = [...doneHashes];
      await queue.release(
        tx,
        tj.table,
        won.filter((c) => doneHashes.has(c.keyHash)),
      );
      // only the lease rows there are, each by its primary key: a list with absent keys takes
      // next-key locks on the neighbours, other workers' lease rows (seen deadlocking with a commit)
      const there = await tx.query<{ key_hash: string }>(
        `SELECT ${q('key_hash')} FROM ${lease} WHERE ${q('table_name')} = ? AND ${q('key_hash')} IN (${marks(list.length)})`,
        [tj.table.table_name, ...list],
      );
      for (const { key_hash: h } of there)
        await tx.execute(`DELETE FROM ${lease} WHERE ${q('table_name')} = ? AND ${q('key_hash')} = ?`, [
          tj.table.table_name,
          h,
        ]);
    }
    if (live.length === 0) return { claimed: [], taken: sorted.length - won.length, done: doneHashes.size };
    const params: unknown[] = [];
    for (const c of live)
      params.push(
        tj.table.table_name,
        c.keyHash,
        keyJson(c.key),
        'running',
        who.id,
        now + leaseMs,
        who.host,
        who.pid,
        now,
        1,
      );
    await tx.execute(claimUpsert(tx.dialect, lease, JOB_COLUMNS, live.length), params);
    const counters = await readCounters(
      tx,
      tj,
      live.filter((c) => c.known).map((c) => c.keyHash),
    );
    const claimed = live.map((c) => {
      const n = counters.get(c.keyHash);
      return {
        tj,
        key: c.key,
        keyHash: c.keyHash,
        attempt: n?.attempts ?? 1,
        failures: n?.failures ?? 0,
        losses: n?.losses ?? 0,
        claimedAt: now,
      };
    });
    return { claimed, taken: sorted.length - won.length, done: doneHashes.size };
  });
}

/** Hashes of the keys whose rows are already in the table. */
async function alreadyComputed(tx: DbSession, tj: TableJob, won: readonly Candidate[]): Promise<Set<string>> {
  const cond = keysIn(
    tx.dialect,
    tj.ksAttrs,
    won.map((c) => c.key),
  );
  const cols = columns(tx.dialect, tj.ks.attributes);
  const rows = await tx.query(
    `SELECT DISTINCT ${cols} FROM ${tx.dialect.qualify(tj.table.schema, tj.table.table_name)} WHERE ${cond.sql}`,
    cond.params,
  );
  return new Set(rows.map((r) => hashCanonicalKey(decodeRow(tj.ksAttrs, r), tj.table)));
}

async function readCounters(
  tx: DbSession,
  tj: TableJob,
  hashes: readonly string[],
): Promise<Map<string, { attempts: number; failures: number; losses: number }>> {
  const out = new Map<string, { attempts: number; failures: number; losses: number }>();
  if (hashes.length === 0) return out;
  const q = (s: string) => tx.dialect.quoteIdent(s);
  const rows = await tx.query<{ key_hash: string; attempts: number; failures: number; losses: number }>(
    `SELECT ${columns(tx.dialect, ['key_hash', 'attempts', 'failures', 'losses'])} FROM ${tx.dialect.qualify(tj.table.schema, LEASE_TABLE)} ` +
      `WHERE ${q('table_name')} = ? AND ${q('key_hash')} IN (${marks(hashes.length)})`,
    [tj.table.table_name, ...hashes],
  );
  for (const r of rows)
    out.set(r.key_hash, { attempts: Number(r.attempts), failures: Number(r.failures), losses: Number(r.losses) });
  return out;
}
