import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { BlobCodec } from '../data/values';
import type { DbDriver } from '../db/driver';
import type { Logger } from '../log';
import { JobRunError, type JobRunner } from './runner';
import { claimJobs, type ClaimedJob } from './claim';
import type { DbClock } from './clock';
import { Committer, retryTransient, type JobEnd } from './committer';
import type { RunRecord } from './complete';
import type { TableJob } from './job-context';
import { executeJob } from './job-execute';
import type { WorkerIdentity } from './job-keys';
import { releaseJobs, renewLeases, sweepExpiredLeases } from './lease';
import { isOutage, OutageGuard } from './outage';
import type { StoredTask } from './task-store';
import { scanTodo, type Candidate, type TodoScan } from './todo';
import type { StoreLookup } from '../data/external-read';
import { WakeTimer } from './wake-timer';

/**
 * Decides whether this worker may start one more job of a task now. The default allows `slots`
 * jobs at once; the Workers issue plugs in hardware matching (the task's resource request
 * against free capacity) and the owner's policy here. A non-null answer says why not.
 */
export interface ClaimGate {
  admit(task: StoredTask, running: readonly StoredTask[]): string | null;
  /** How many more jobs of `task` fit now (capacity-based gates); unlimited when absent. */
  room?(task: StoredTask, running: readonly StoredTask[]): number;
}

/** What a worker reports while it works. */
export interface WorkerListener {
  /** A job's outcome was committed. */
  ended(job: ClaimedJob, end: JobEnd | 'released', message: string | null): void;
  /** Keys found already computed when claimed (someone else made them). */
  skipped(tj: TableJob, count: number): void;
  /** The runner was invoked (cache hits are not). */
  executed(tj: TableJob): void;
}

/** Tuning of one worker loop. */
export interface WorkerOptions {
  leaseMs: number;
  /** Keys per claim for runners that batch (inline). */
  batch: number;
  /** Jobs run at once. */
  slots: number;
  /** Idle wait between looks for new work when not draining. */
  pollMs: number;
  /** Stop when nothing is left to claim (populate) instead of waiting for new work (daemon). */
  drain: boolean;
  /** While draining, also wait for jobs other Joinery workers lease (and take them over if they expire). */
  waitForOthers: boolean;
  /** Worker `index` of `of` started together: each starts at its own part of the pending keys. */
  stripe?: { index: number; of: number };
}

/** The parts a worker is assembled from. */
export interface WorkerDeps {
  db: DbDriver;
  who: WorkerIdentity;
  clock: DbClock;
  /** Tables to work on, in dependency order. */
  jobs: readonly TableJob[];
  /** Every table of the pipeline, for cleaning up expired leases of any of them. */
  tables: ReadonlyMap<string, TableInfo>;
  runnerFor(tj: TableJob): JobRunner;
  blobs: BlobCodec;
  /** Store locations, for external attributes of inputs and results. */
  stores?: StoreLookup;
  options: WorkerOptions;
  gate?: ClaimGate;
  listener: WorkerListener;
  log: Logger;
}

interface TableState {
  tj: TableJob;
  todo: Candidate[];
  dirty: boolean;
  scan: TodoScan | null;
}

const RELEASE = new JobRunError('CancelledError', 'released: the worker is stopping');

/** Jobs of different tables may share a key hash (siblings keyed alike), so maps go by both. */
const idOf = (job: Pick<ClaimedJob, 'tj' | 'keyHash'>) => `${job.tj.table.full_name}\0${job.keyHash}`;

/**
 * One worker loop: claims pending keys (in batches for inline jobs), runs them on the runner with
 * at most `slots` at once, and hands finished jobs to the group committer, while a heartbeat renews
 * the leases it holds and a sweeper returns other workers' expired leases to the queue. Tables are
 * visited in dependency order, so a key becomes runnable as soon as its upstream rows exist.
 */
export class JobWorker {
  private readonly states: TableState[];
  private readonly local: ClaimedJob[] = [];
  private readonly running = new Map<string, { job: ClaimedJob; ctrl: AbortController; done: Promise<void> }>();
  private readonly startedRuns = new Map<string, RunRecord>();
  private readonly toRelease: ClaimedJob[] = [];
  private readonly committer: Committer;
  private stopMode: 'finish' | 'release' | null = null;
  private readonly timer = new WakeTimer();
  private lastSweep = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly guard: OutageGuard;

  constructor(private readonly deps: WorkerDeps) {
    // after a database restart, renew the leases of the jobs in hand at once (lost ones are dropped at commit)
    this.guard = new OutageGuard(deps.log, undefined, () => void this.beat());
    this.states = deps.jobs.map((tj) => ({ tj, todo: [], dirty: true, scan: null }));
    this.committer = new Committer({
      db: deps.db,
      who: deps.who,
      blobs: deps.blobs,
      stores: deps.stores,
      now: () => deps.clock.now(),
      log: deps.log,
      onEnd: (job, end, message) => this.onEnd(job, end, message),
      guard: this.guard,
    });
  }

  /** Runs until drained (or stopped); never rejects because of one job. */
  async run(): Promise<void> {
    await this.guard.run(() => this.deps.clock.sync(this.deps.db), 'reading the database clock');
    this.heartbeat = setInterval(() => void this.beat(), Math.max(100, this.deps.options.leaseMs / 3));
    try {
      await this.loop();
    } finally {
      if (this.stopMode === 'release') for (const r of this.running.values()) r.ctrl.abort(RELEASE);
      await Promise.all([...this.running.values()].map((r) => r.done));
      await this.committer.idle();
      await this.releaseHeld();
      clearInterval(this.heartbeat);
    }
  }

  /** Stops taking jobs: `finish` lets running jobs end, `release` gives them back at once. */
  stop(mode: 'finish' | 'release'): void {
    if (this.stopMode !== 'release') this.stopMode = mode;
    if (mode === 'release') for (const r of this.running.values()) r.ctrl.abort(RELEASE);
    this.wake();
  }

  /** New rows may have arrived in `table` (or anywhere, when omitted): look again at once. */
  wake(table?: string): void {
    for (const s of this.states)
      if (!table || s.tj.upstream.has(table) || s.tj.table.full_name === table) s.dirty = true;
    this.timer.wake();
  }

  private async loop(): Promise<void> {
    const { slots } = this.deps.options;
    while (!this.stopMode) {
      await this.maybeSweep();
      if (this.running.size >= slots) {
        await Promise.race([...this.running.values()].map((r) => r.done));
        continue;
      }
      if (this.committer.backlog > 4 * this.deps.options.batch) {
        await this.committer.idle();
        continue;
      }
      const job = this.local.shift() ?? (await this.claimNext());
      if (job) {
        this.launch(job);
        continue;
      }
      if (this.running.size > 0) {
        await Promise.race([...this.running.values()].map((r) => r.done));
        continue;
      }
      await this.committer.idle();
      const wait = await this.idleWait();
      if (wait === null) return;
      if (wait > 0) await this.timer.sleep(wait);
    }
  }

  private launch(job: ClaimedJob): void {
    const ctrl = new AbortController();
    const spec = job.tj.task.spec;
    const timer = setTimeout(
      () =>
        ctrl.abort(
          new JobRunError('TimeoutError', `the job ran longer than its limit of ${spec.timeout_s} s and was stopped`),
        ),
      spec.timeout_s * 1000,
    );
    const runner = this.deps.runnerFor(job.tj);
    this.startedRuns.set(idOf(job), {
      status: 'released',
      runner: runner.kind,
      started: this.deps.clock.now(),
      ended: 0,
      exitCode: null,
      peakMemory: null,
      errorMessage: 'released',
      logTail: null,
    });
    const done = (async () => {
      const execute = () =>
        executeJob(job, {
          db: this.deps.db,
          runner,
          blobs: this.deps.blobs,
          stores: this.deps.stores,
          now: () => this.deps.clock.now(),
          signal: ctrl.signal,
        });
      let attempt = await execute();
      // the database went away while the job read its inputs: wait for it, then run the job again
      while (!attempt.ok && attempt.outage && !ctrl.signal.aborted) {
        await this.guard.run(() => this.deps.db.query('SELECT 1'), 'running a job');
        attempt = await execute();
      }
      clearTimeout(timer);
      if (attempt.executed) this.deps.listener.executed(job.tj);
      if (ctrl.signal.reason === RELEASE) {
        this.toRelease.push(job);
        return;
      }
      this.startedRuns.delete(idOf(job));
      if (attempt.ok) this.committer.success(attempt.success);
      else await this.committer.failure(job, attempt.failure);
    })()
      .catch((e: unknown) =>
        this.deps.log.error('a job could not be finished', {
          table: job.tj.table.full_name,
          key: job.key,
          error: String(e),
        }),
      )
      .finally(() => this.running.delete(idOf(job)));
    this.running.set(idOf(job), { job, ctrl, done });
  }

  /** Claims from the first table in dependency order that has claimable keys; null when none has. */
  private async claimNext(): Promise<ClaimedJob | null> {
    const { db, who, clock, options, gate } = this.deps;
    const runningTasks = [...this.running.values()].map((r) => r.job.tj.task);
    for (const st of this.states) {
      if (gate && gate.admit(st.tj.task, runningTasks) !== null) continue;
      // a second pass re-reads the pending keys when the first found its list out of date
      for (let pass = 0; pass < 2 && !this.stopMode; pass++) {
        if (st.todo.length === 0) {
          if (!st.dirty) break;
          await this.refresh(st);
        }
        while (st.todo.length && !this.stopMode) {
          const runner = this.deps.runnerFor(st.tj);
          const free = runner.batches ? options.batch : Math.max(1, options.slots - this.running.size);
          const n = Math.max(1, Math.min(free, gate?.room?.(st.tj.task, runningTasks) ?? free));
          const batch = st.todo.splice(0, n);
          const res = await this.guard.run(
            () => retryTransient(() => claimJobs(db, st.tj, batch, who, clock.now(), options.leaseMs)),
            'claiming jobs',
          );
          if (res.done) {
            // another worker got here first: its part of the list is done, so read the list again
            this.deps.listener.skipped(st.tj, res.done);
            st.todo = [];
            st.dirty = true;
          }
          if (res.claimed.length) {
            this.local.push(...res.claimed.slice(1));
            return res.claimed[0]!;
          }
        }
      }
    }
    return null;
  }

  private async refresh(st: TableState): Promise<void> {
    st.dirty = false;
    st.scan = await this.guard.run(
      () => scanTodo(this.deps.db, st.tj, this.deps.clock.now(), this.deps.options.stripe),
      'reading the pending keys',
    );
    st.todo = st.scan.candidates;
  }

  /** Nothing claimable and nothing running: how long to wait before looking again, or null to stop. */
  private async idleWait(): Promise<number | null> {
    const { options } = this.deps;
    if (!options.drain) {
      for (const s of this.states) s.dirty = true;
      return options.pollMs;
    }
    for (const s of this.states) await this.refresh(s);
    // keys of a task the gate refuses (no GPU here, policy) are not claimable by this worker
    const running = [...this.running.values()].map((r) => r.job.tj.task);
    const admitted = (s: TableState) => !this.deps.gate || this.deps.gate.admit(s.tj.task, running) === null;
    if (this.states.some((s) => s.todo.length > 0 && admitted(s))) return 0;
    const now = this.deps.clock.now();
    const waits: number[] = [];
    for (const s of this.states) {
      if (s.scan?.nextRetryAt != null) waits.push(s.scan.nextRetryAt - now);
      if (options.waitForOthers && s.scan?.leased)
        waits.push(Math.min(options.pollMs, (s.scan.leaseEndsAt ?? now) - now + 50));
    }
    if (waits.length === 0) return null;
    for (const s of this.states) s.dirty = true;
    this.lastSweep = 0;
    return Math.max(10, Math.min(...waits));
  }

  private async maybeSweep(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastSweep < Math.max(250, this.deps.options.leaseMs / 2)) return;
    this.lastSweep = now;
    for (const schema of new Set(this.states.map((s) => s.tj.table.schema))) {
      try {
        const swept = await this.guard.run(
          () => retryTransient(() => sweepExpiredLeases(this.deps.db, schema, this.deps.tables, this.deps.who, now)),
          'returning expired leases',
        );
        if (swept) for (const s of this.states) if (s.tj.table.schema === schema) s.dirty = true;
      } catch (e) {
        this.deps.log.warn('could not clean up expired leases', { schema, error: String(e) });
      }
    }
  }

  /** Renews every lease this worker holds and stops jobs whose cancel was requested. */
  private async beat(): Promise<void> {
    const { db, who, clock, options } = this.deps;
    try {
      await clock.sync(db);
      const cancels = await renewLeases(
        db,
        new Set(this.states.map((s) => s.tj.table.schema)),
        who,
        clock.now() + options.leaseMs,
      );
      for (const c of cancels) this.cancel(`${c.schema}.${c.table}`, c.keyHash);
    } catch (e) {
      // during a database restart the outage guard says what is going on, once
      if (!isOutage(e))
        this.deps.log.warn('heartbeat failed; leases will expire if this goes on', { error: String(e) });
    }
  }

  private cancel(fullName: string, keyHash: string): void {
    const run = this.running.get(`${fullName}\0${keyHash}`);
    if (run) {
      run.ctrl.abort(new JobRunError('CancelledError', 'cancelled by a user'));
      return;
    }
    const i = this.local.findIndex((j) => j.keyHash === keyHash && j.tj.table.full_name === fullName);
    if (i < 0) return;
    const [job] = this.local.splice(i, 1);
    const now = this.deps.clock.now();
    const message = 'CancelledError: cancelled by a user';
    void this.committer.failure(job!, {
      message,
      stack: message,
      final: true,
      run: {
        status: 'cancelled',
        runner: '',
        started: now,
        ended: now,
        exitCode: null,
        peakMemory: null,
        errorMessage: message,
        logTail: null,
      },
    });
  }

  private onEnd(job: ClaimedJob, end: JobEnd, message: string | null): void {
    if (end === 'done' || end === 'cached') {
      for (const s of this.states) if (s.tj.upstream.has(job.tj.table.full_name)) s.dirty = true;
    }
    if (end === 'retry') {
      const own = this.states.find((s) => s.tj === job.tj);
      if (own) own.dirty = true;
    }
    this.deps.listener.ended(job, end, message);
  }

  /** Gives back jobs claimed but not started, and running jobs stopped by a release. */
  private async releaseHeld(): Promise<void> {
    const held = [...this.local.splice(0), ...this.toRelease.splice(0)];
    if (held.length === 0) return;
    try {
      await this.guard.run(
        () => retryTransient(() => releaseJobs(this.deps.db, held, this.deps.who, this.startedRuns)),
        'giving jobs back',
      );
      for (const j of held) this.deps.listener.ended(j, 'released', null);
    } catch (e) {
      this.deps.log.warn('could not release jobs; their leases will expire', { error: String(e) });
    }
  }
}
