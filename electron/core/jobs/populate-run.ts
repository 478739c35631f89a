import { randomUUID } from 'node:crypto';
import type { PopulateInput, PopulateSummary, PopulateTableCounts } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { BlobCodec } from '../data/values';
import type { DbDriver } from '../db/driver';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { JobRunner } from './runner';
import { JobEndCallbacks, type CallbackFirer } from './callbacks';
import type { ClaimedJob } from './claim';
import { DbClock } from './clock';
import type { JobEnd } from './committer';
import { buildTableJobs, type TableJob } from './job-context';
import { newWorkerIdentity } from './job-keys';
import { ensureJobTables } from './job-tables';
import { JobWorker, type ClaimGate, type WorkerListener } from './job-worker';
import type { StoredTask } from './task-store';
import type { StoreLookup } from '../data/external-read';

/** What a populate run is built from. */
export interface PopulateRunDeps {
  db: DbDriver;
  connectionId: string;
  /** Every table of the connection, in dependency order. */
  tables: readonly TableInfo[];
  /** Tasks by full table name. */
  tasks: ReadonlyMap<string, StoredTask>;
  runner: JobRunner;
  blobs: BlobCodec;
  /** Store locations, for external attributes of inputs and results. */
  stores?: StoreLookup;
  events: EventBus;
  firer: CallbackFirer;
  log: Logger;
  gate?: ClaimGate;
}

const PROGRESS_EVERY_MS = 200;
const MAX_ERRORS = 100;

/**
 * One `populate`: N worker loops in this process over the selected tables, with per-table tallies,
 * throttled `jobs.progress` events, success/failure callbacks, and a final `jobs.finished`.
 */
export class PopulateRun {
  readonly id = randomUUID();
  private readonly counts = new Map<string, PopulateTableCounts>();
  private readonly dirty = new Set<string>();
  private workers: JobWorker[] = [];
  private readonly callbacks: JobEndCallbacks;
  private progressTimer: NodeJS.Timeout | null = null;
  private readonly summary: PopulateSummary;
  /** Settles with the final summary (never rejects). */
  readonly done: Promise<PopulateSummary>;

  constructor(
    private readonly deps: PopulateRunDeps,
    private readonly input: PopulateInput,
  ) {
    this.callbacks = new JobEndCallbacks({ db: deps.db, firer: deps.firer, log: deps.log });
    this.summary = {
      populateId: this.id,
      state: 'running',
      started: Date.now(),
      ended: null,
      tables: [],
      executed: 0,
      errors: [],
      message: null,
    };
    const { jobs, withoutTask } = buildTableJobs(deps.db.dialect, deps.tables, deps.tasks, {
      schema: input.schema,
      table: input.table,
      tables: input.tables,
      restriction: input.restriction,
    });
    const runnable: TableJob[] = [];
    const notes = withoutTask.length ? [`No task for ${withoutTask.join(', ')}: skipped.`] : [];
    for (const tj of jobs) {
      const why = deps.runner.check(tj.task.spec);
      if (why && input.table)
        throw appError('VALIDATION', `${tj.table.full_name} cannot run on the ${deps.runner.kind} runner: ${why}.`, {
          details: { table: tj.table.full_name, runner: deps.runner.kind },
        });
      if (why) {
        notes.push(`${tj.table.full_name} skipped: ${why} (${deps.runner.kind} runner).`);
        continue;
      }
      runnable.push({ ...tj, order: runnable.length });
      this.count(tj.table.full_name);
    }
    this.summary.message = notes.length ? notes.join(' ') : null;
    this.done = this.run(runnable);
  }

  /** The tallies so far. */
  status(): PopulateSummary {
    return {
      ...this.summary,
      tables: [...this.counts.values()].map((c) => ({ ...c })),
      errors: [...this.summary.errors],
    };
  }

  /** Stops the workers: `finish` lets running jobs end, `release` gives them back at once. */
  stop(mode: 'finish' | 'release'): void {
    if (this.summary.state === 'running') this.summary.state = 'stopping';
    for (const w of this.workers) w.stop(mode);
  }

  /** Rows were inserted into `table`: workers look for new keys at once. */
  wake(table?: string): void {
    for (const w of this.workers) w.wake(table);
  }

  private async run(jobs: TableJob[]): Promise<PopulateSummary> {
    try {
      const schemas = [...new Set(jobs.map((j) => j.table.schema))];
      for (const s of schemas) await ensureJobTables(this.deps.db, s);
      await this.callbacks.refresh(schemas);
      await this.countPending(jobs);
      const tables = new Map(this.deps.tables.map((t) => [t.full_name, t]));
      const listener = this.listener();
      this.workers = Array.from(
        { length: this.input.workers },
        (_, index) =>
          new JobWorker({
            db: this.deps.db,
            who: newWorkerIdentity(),
            clock: new DbClock(),
            jobs,
            tables,
            runnerFor: () => this.deps.runner,
            blobs: this.deps.blobs,
            stores: this.deps.stores,
            gate: this.deps.gate,
            listener,
            log: this.deps.log,
            options: {
              leaseMs: this.input.lease_s * 1000,
              batch: this.input.batch,
              slots: 1,
              pollMs: Math.min(2000, this.input.lease_s * 500),
              drain: true,
              waitForOthers: this.input.wait_for_others,
              stripe: { index, of: this.input.workers },
            },
          }),
      );
      if (this.summary.state === 'stopping') for (const w of this.workers) w.stop('finish');
      this.progressTimer = setInterval(() => this.emitProgress(), PROGRESS_EVERY_MS);
      await Promise.all(this.workers.map((w) => w.run()));
      await this.countPending(jobs);
      this.summary.state = 'finished';
    } catch (e) {
      this.summary.state = 'failed';
      this.summary.message = e instanceof Error ? e.message : String(e);
      this.deps.log.error('populate failed', { populateId: this.id, error: String(e) });
    } finally {
      if (this.progressTimer) clearInterval(this.progressTimer);
      await this.deps.firer.idle();
      this.summary.ended = Date.now();
      for (const c of this.counts.values()) this.dirty.add(c.full_name);
      this.emitProgress();
      this.deps.events.emit('jobs.finished', { connectionId: this.deps.connectionId, summary: this.status() });
    }
    return this.status();
  }

  private listener(): WorkerListener {
    return {
      ended: (job, end, message) => this.ended(job, end, message),
      skipped: (tj, n) => {
        this.count(tj.table.full_name).skipped += n;
        this.dirty.add(tj.table.full_name);
      },
      executed: () => {
        this.summary.executed++;
      },
    };
  }

  private ended(job: ClaimedJob, end: JobEnd | 'released', message: string | null): void {
    const name = job.tj.table.full_name;
    const c = this.count(name);
    this.dirty.add(name);
    if (end === 'done') c.done++;
    else if (end === 'cached') {
      c.done++;
      c.cached++;
    } else if (end === 'retry') c.retried++;
    else if (end === 'lost') c.lost++;
    else if (end === 'skipped') c.skipped++;
    else if (end === 'error') {
      c.failed++;
      if (this.summary.errors.length < MAX_ERRORS)
        this.summary.errors.push({ full_name: name, key: job.key, message: message ?? '' });
      this.deps.events.emit('jobs.failed', {
        connectionId: this.deps.connectionId,
        table: name,
        key: job.key,
        message: message ?? '',
        workerId: null,
      });
    }
    this.callbacks.jobEnded(job, end, message, { populate_id: this.id });
  }

  private count(name: string): PopulateTableCounts {
    let c = this.counts.get(name);
    if (!c)
      this.counts.set(
        name,
        (c = { full_name: name, done: 0, failed: 0, retried: 0, cached: 0, skipped: 0, lost: 0, pending: 0 }),
      );
    return c;
  }

  /** Pending keys (key source minus table, restricted) per table, with DataJoint's meaning. */
  private async countPending(jobs: readonly TableJob[]): Promise<void> {
    for (const tj of jobs) {
      const [r] = await this.deps.db.query<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM (${tj.pendingSql.sql}) AS pending_keys`,
        tj.pendingSql.params,
      );
      this.count(tj.table.full_name).pending = Number(r?.n ?? 0);
      this.dirty.add(tj.table.full_name);
    }
  }

  private emitProgress(): void {
    for (const name of this.dirty) {
      const c = this.counts.get(name);
      if (c)
        this.deps.events.emit('jobs.progress', {
          connectionId: this.deps.connectionId,
          populateId: this.id,
          table: { ...c },
        });
    }
    this.dirty.clear();
  }
}
