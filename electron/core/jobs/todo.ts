import { decodeRow } from '../data/values';
import type { DbDriver, Row } from '../db/driver';
import { hashCanonicalKey } from './canonical-key-hash';
import type { TableJob } from './job-context';
import { LEASE_TABLE } from './job-tables';
import { resolveQueue, type JobQueueProtocol } from './queue';
import { retryTransient } from './committer';

/** A pending key that nobody holds: worth trying to claim. */
export interface Candidate {
  key: Row;
  keyHash: string;
  priority: number;
  /** Joinery already has a row for this key (earlier attempts): read its counters when claimed. */
  known: boolean;
}

/** What a look at a table's pending keys found. */
export interface TodoScan {
  candidates: Candidate[];
  /** Earliest time a key waiting for a retry becomes claimable (DB clock), or null. */
  nextRetryAt: number | null;
  /** Keys leased by Joinery workers right now, and the earliest of their lease ends. */
  leased: number;
  leaseEndsAt: number | null;
}

type JobRowLite = {
  key_hash: string;
  state: string;
  priority: number | string;
  not_before: number | string;
  lease_until: number | string;
};

/**
 * Pending keys of a table minus those held in the job queue (by anyone: Joinery, DataJoint Python,
 * error and ignore rows) and those waiting for their retry backoff. Ordered by priority, then
 * from a random starting point, so that several workers starting together rarely collide.
 */
export async function scanTodo(
  db: DbDriver,
  tj: TableJob,
  now: number,
  stripe?: { index: number; of: number },
): Promise<TodoScan> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const schema = tj.table.schema;
  const queue = await resolveQueue(db, schema);
  await queue.prepare(db, tj.table); // a 2.x table's queue, made on first use as 2.x does
  const readLeases = () =>
    db.query<JobRowLite>(
      `SELECT ${q('key_hash')}, ${q('state')}, ${q('priority')}, ${q('not_before')}, ${q('lease_until')} FROM ${db.dialect.qualify(schema, LEASE_TABLE)} WHERE ${q('table_name')} = ?`,
      [tj.table.table_name],
    );
  if (refreshDue(tj, now)) await refreshQueue(db, queue, tj, await readLeases());
  const [pendingRows, hold, jobs] = await Promise.all([
    db.query(tj.pendingSql.sql, tj.pendingSql.params),
    queue.held(db, tj.table),
    readLeases(),
  ] as const);
  const known = new Map(jobs.map((r) => [r.key_hash, r]));
  let nextRetryAt: number | null = null;
  let leased = 0;
  let leaseEndsAt: number | null = null;
  for (const r of known.values()) {
    if (r.state === 'running' || r.state === 'cancel') {
      leased++;
      leaseEndsAt = Math.min(leaseEndsAt ?? Infinity, Number(r.lease_until));
    }
  }
  const candidates: Candidate[] = [];
  for (const raw of pendingRows) {
    const key = decodeRow(tj.ksAttrs, raw);
    const keyHash = hashCanonicalKey(key, tj.table);
    if (hold.held.has(keyHash)) continue;
    const j = known.get(keyHash);
    if (j && j.state === 'waiting' && Number(j.not_before) > now) {
      nextRetryAt = Math.min(nextRetryAt ?? Infinity, Number(j.not_before));
      continue;
    }
    // Joinery's own priority for the key wins; else the task's, moved by the queue's (2.x: lower first)
    const priority = j ? Number(j.priority) : tj.task.spec.priority + (hold.urgency.get(keyHash) ?? 0);
    candidates.push({ key, keyHash, priority, known: j !== undefined });
  }
  return { candidates: order(candidates, stripe), nextRetryAt, leased, leaseEndsAt };
}

/** How often a worker applies the queue's whole-table refresh rules (2.x: orphans, stale rows). */
const REFRESH_EVERY_MS = 60_000;
const refreshedAt = new WeakMap<TableJob, number>();

/**
 * Whether the queue of `tj` is due for its whole-table refresh: at the first look of a populate
 * or worker (each builds its own TableJob, as each 2.x `populate()` call refreshes first), then
 * once a minute.
 */
function refreshDue(tj: TableJob, now: number): boolean {
  const last = refreshedAt.get(tj);
  if (last !== undefined && now - last < REFRESH_EVERY_MS) return false;
  refreshedAt.set(tj, now);
  return true;
}

/** The queue's refresh rules with the task's settings; keys Joinery holds live leases on are left alone. */
async function refreshQueue(db: DbDriver, queue: JobQueueProtocol, tj: TableJob, leases: JobRowLite[]) {
  const spec = tj.task.spec;
  const leased = new Set(leases.filter((l) => l.state === 'running' || l.state === 'cancel').map((l) => l.key_hash));
  const settings = {
    keepCompleted: spec.keep_completed,
    staleTimeoutS: spec.stale_timeout_s,
    orphanTimeoutS: spec.orphan_timeout_s,
  };
  // single-row statements beside other workers' reservations: a deadlock or lock wait is retried
  await retryTransient(() => queue.refresh(db, tj.table, tj.ks, settings, leased));
}

/**
 * Highest priority first; within a priority, rotated to start at this worker's stripe (workers of
 * one populate) or at a random point (workers that do not know each other).
 */
function order(list: Candidate[], stripe?: { index: number; of: number }): Candidate[] {
  const byPriority = new Map<number, Candidate[]>();
  for (const c of list) {
    let l = byPriority.get(c.priority);
    if (!l) byPriority.set(c.priority, (l = []));
    l.push(c);
  }
  return [...byPriority.keys()]
    .sort((a, b) => b - a)
    .flatMap((p) => {
      const l = byPriority.get(p)!;
      const at = Math.floor((stripe ? stripe.index / stripe.of : Math.random()) * l.length);
      return [...l.slice(at), ...l.slice(0, at)];
    });
}
