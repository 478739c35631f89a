import { isAppError } from '../../../shared/errors';
import type { BlobCodec } from '../data/values';
import type { DbDriver } from '../db/driver';
import type { Logger } from '../log';
import type { ClaimedJob } from './claim';
import { commitSuccesses, LeaseLostError, type Success } from './complete';
import { describeFailure } from './job-execute';
import type { WorkerIdentity } from './job-keys';
import { keysIn } from './job-sql';
import { recordFailure, releaseJobs, type Failure } from './lease';
import type { OutageGuard } from './outage';
import type { StoreLookup } from '../data/external-read';

/** How a job ended, once its outcome is committed. */
export type JobEnd = 'done' | 'cached' | 'retry' | 'error' | 'lost' | 'skipped';

/** Receives each job's end after its transaction committed. */
export type EndListener = (job: ClaimedJob, end: JobEnd, message: string | null) => void;

const MAX_GROUP = 256;
const TRANSIENT_TRIES = 6;

/** Runs `work`, retrying on deadlocks, lock waits and a busy SQLite file (another writer). */
export async function retryTransient<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await work();
    } catch (e) {
      if (!isAppError(e) || e.code !== 'DB_LOCKED' || i >= TRANSIENT_TRIES - 1) throw e;
      await new Promise((r) => setTimeout(r, 20 * 2 ** i + Math.random() * 20));
    }
  }
}

/**
 * Whether a commit failed because a lease was lost. A driver's transaction hands errors thrown
 * inside it back wrapped (MySQL's as a DB_QUERY AppError with the original as its cause).
 */
function isLeaseLost(e: unknown): boolean {
  return e instanceof LeaseLostError || (e instanceof Error && e.cause instanceof LeaseLostError);
}

/**
 * Group commit of finished jobs. Jobs that finish while a commit is in flight wait and go
 * together in the next transaction, so short jobs cost one disk flush per group instead of one
 * each, and long jobs are committed the moment they end. A group that fails is retried job by
 * job, so one bad result never holds back the others; a job whose own commit fails is recorded
 * as a failed attempt (its message names the cause).
 */
export class Committer {
  private queue: Success[] = [];
  private flushing: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: {
      db: DbDriver;
      who: WorkerIdentity;
      blobs: BlobCodec;
      stores?: StoreLookup;
      now(): number;
      onEnd: EndListener;
      /** Waits out a database restart before a commit or a failure record is given up. */
      guard?: OutageGuard;
      log: Logger;
    },
  ) {}

  /** Jobs waiting to be committed. */
  get backlog(): number {
    return this.queue.length;
  }

  /** Queues a finished job; its end is reported through `onEnd` once committed. */
  success(s: Success): void {
    this.queue.push(s);
    this.flushing ??= this.flushLoop();
  }

  /** Records a failed attempt at once (failures are rare; each gets its own transaction). */
  async failure(job: ClaimedJob, f: Failure): Promise<void> {
    try {
      const end = await this.ridden(
        () => retryTransient(() => recordFailure(this.deps.db, job, f, this.deps.who, this.deps.now())),
        'recording a failed job',
      );
      this.deps.onEnd(job, end, f.message);
    } catch (e) {
      this.deps.log.error('could not record a failed job', {
        table: job.tj.table.full_name,
        key: job.key,
        error: String(e),
      });
      this.deps.onEnd(job, 'lost', f.message);
    }
  }

  /** Resolves once everything queued so far is committed. */
  idle(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /**
   * The key's rows appeared meanwhile, written by a client that does not reserve (DataJoint's
   * populate without reserve_jobs, a manual insert): the result is dropped, the reservation released.
   */
  private async computedElsewhere(s: Success): Promise<boolean> {
    const { tj } = s.job;
    const { db } = this.deps;
    try {
      const cond = keysIn(db.dialect, tj.ksAttrs, [s.job.key]);
      const rows = await db.query(
        `SELECT 1 AS x FROM ${db.dialect.qualify(tj.table.schema, tj.table.table_name)} WHERE ${cond.sql} LIMIT 1`,
        cond.params,
      );
      if (rows.length === 0) return false;
      await retryTransient(() => releaseJobs(this.deps.db, [s.job], this.deps.who, new Map(), true));
      this.deps.onEnd(s.job, 'skipped', 'its rows were written by someone else meanwhile');
      return true;
    } catch {
      return false;
    }
  }

  private ridden<T>(work: () => Promise<T>, what: string): Promise<T> {
    return this.deps.guard ? this.deps.guard.run(work, what) : work();
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP);
        await this.commit(group);
      }
    } finally {
      this.flushing = null;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async commit(group: Success[]): Promise<void> {
    try {
      await this.ridden(
        () =>
          retryTransient(() => commitSuccesses(this.deps.db, group, this.deps.who, this.deps.blobs, this.deps.stores)),
        'committing finished jobs',
      );
      for (const s of group) this.deps.onEnd(s.job, s.cached ? 'cached' : 'done', null);
      return;
    } catch (e) {
      if (group.length > 1) {
        for (const s of group) await this.commit([s]);
        return;
      }
      const s = group[0]!;
      if (isLeaseLost(e)) {
        this.deps.log.warn('a finished job had lost its lease; its result was dropped', {
          table: s.job.tj.table.full_name,
          key: s.job.key,
        });
        this.deps.onEnd(s.job, 'lost', 'the lease expired before the result was committed');
        return;
      }
      if (isAppError(e) && e.code === 'CONFLICT' && (await this.computedElsewhere(s))) return;
      // said here: the failure recorded below may find the lease gone and end the job as lost, silently
      this.deps.log.warn('a finished job could not be committed', {
        table: s.job.tj.table.full_name,
        key: s.job.key,
        error: String(e),
      });
      const f = describeFailure(e);
      await this.failure(s.job, {
        ...f,
        final: false,
        run: { ...s.run, status: 'error', errorMessage: f.message, ended: this.deps.now() },
      });
    }
  }
}
