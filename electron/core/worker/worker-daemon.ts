import os from 'node:os';
import type Docker from 'dockerode';
import type { DonationPolicy, HardwareProfile } from '../../../shared/api/schemas/worker';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { Capacity } from '../../../shared/model/capacity';
import { decideDonation } from '../../../shared/model/donation';
import type { StoreLookup } from '../data/external-read';
import type { BlobCodec } from '../data/values';
import type { DbDriver } from '../db/driver';
import type { Logger } from '../log';
import { type CallbackFirer, JobEndCallbacks } from '../jobs/callbacks';
import { DbClock } from '../jobs/clock';
import { buildTableJobs } from '../jobs/job-context';
import { newWorkerIdentity } from '../jobs/job-keys';
import { ensureJobTables } from '../jobs/job-tables';
import { JobWorker, type WorkerListener } from '../jobs/job-worker';
import { isOutage } from '../jobs/outage';
import { readTasks, type StoredTask } from '../jobs/task-store';
import { CapacityGate } from './capacity-gate';
import { donatedCapacity, setContainersPaused } from './donated-resources';
import { describeWorker, type WorkerStatusLine } from './worker-status';

export type { WorkerStatusLine } from './worker-status';
import { removeOrphans } from './docker/container-run';
import { DockerJobRunner } from './docker/docker-runner';
import { GpuPool } from './docker/gpu-pool';
import { hardwareLabels, sampleLoad } from './probe';
import { ensureRegistry, heartbeat, registerWorker, unregisterWorker } from './registry';

/** The owner's hard limits on top of the policy's shares (`joinery worker --cpus 4 --memory 8G --gpus 0,1`). */
export interface WorkerLimits {
  cpus?: number;
  memoryBytes?: number;
  /** GPU indexes this worker may use; all probed GPUs when omitted. */
  gpus?: number[];
}

/** The parts a daemon is assembled from. */
export interface WorkerDaemonDeps {
  db: DbDriver;
  docker: Docker;
  workerId: string;
  version: string;
  hardware: HardwareProfile;
  tables(): Promise<TableInfo[]>;
  blobs: BlobCodec;
  stores?: StoreLookup;
  log: Logger;
  /** Seconds since the owner's last input, where the desktop can tell. */
  idleSeconds?: () => number | null;
  /** Called whenever the one-line status changes. */
  onStatus?: (status: WorkerStatusLine) => void;
  onJob?: WorkerListener['ended'];
  /** Delivers the tables' job success/failure callbacks; none are sent without it. */
  firer?: CallbackFirer;
}

/** Tuning. */
export interface WorkerDaemonOptions {
  policy: DonationPolicy;
  limits: WorkerLimits;
  /** Work until nothing claimable is left, then stop (`--once`). */
  once: boolean;
  /** Serve only these schemas; all schemas of the database when empty. */
  schemas?: string[];
  leaseS: number;
  tickMs: number;
  pollMs: number;
}

/**
 * A donated workstation (or a server) working for the lab: probes once, registers in the lab-wide
 * registry, heartbeats, and runs Docker jobs whose requests fit its donated capacity whenever the
 * owner's policy allows. When the owner comes back it pauses its containers, or hands the jobs
 * back without spending their retries; it always says in one line why it is or is not working.
 */
export class WorkerDaemon {
  private readonly gate: CapacityGate;
  private readonly runner: DockerJobRunner;
  private loop: JobWorker | null = null;
  private tickError: string | null = null;
  private loopDone: Promise<void> | null = null;
  private taskSignature = '';
  private timer: NodeJS.Timeout | null = null;
  /** Set when shutdown begins, so that no tick timer starts after it. */
  private shuttingDown = false;
  private status: WorkerStatusLine = { state: 'ready', reason: 'Starting.', running: 0 };
  private suspended = false;
  private readonly callbacks: JobEndCallbacks | null;
  private stopping: 'finish' | 'release' | null = null;
  private finished!: () => void;
  /** Resolves when the daemon has stopped. */
  readonly stopped = new Promise<void>((resolve) => {
    this.finished = resolve;
  });

  constructor(
    private readonly deps: WorkerDaemonDeps,
    private options: WorkerDaemonOptions,
  ) {
    const gpus = (options.limits.gpus ?? deps.hardware.gpus.map((g) => g.index)).filter((i) =>
      deps.hardware.gpus.some((g) => g.index === i),
    );
    const pool = new GpuPool(gpus);
    this.gate = new CapacityGate({
      donated: () => this.donated(gpus),
      labels: hardwareLabels(deps.hardware),
      refuse: () => this.options.policy.refuseLabels,
    });
    this.runner = new DockerJobRunner({
      docker: deps.docker,
      workerId: deps.workerId,
      gpus: pool,
      defaultMemoryBytes: () => Math.max(64 * 1024 ** 2, this.donated(gpus).memoryBytes),
    });
    this.callbacks = deps.firer ? new JobEndCallbacks({ db: deps.db, firer: deps.firer, log: deps.log }) : null;
  }

  /** Registers, cleans up after a crash, and starts working; returns at once. */
  async start(): Promise<void> {
    const removed = await removeOrphans(this.deps.docker, this.deps.workerId).catch(() => 0);
    if (removed) this.deps.log.info('removed containers left by an earlier run', { removed });
    await ensureRegistry(this.deps.db);
    await registerWorker(this.deps.db, {
      worker_id: this.deps.workerId,
      hostname: os.hostname(),
      owner: safeUser(),
      version: this.deps.version,
      hardware: this.deps.hardware,
      labels: hardwareLabels(this.deps.hardware),
      policy: this.options.policy,
      state: 'ready',
      reason: 'Starting.',
      running_jobs: 0,
    });
    sampleLoad(); // the baseline the first tick measures CPU use against
    await this.tick();
    // a shutdown (`--once` finding nothing, a stop) may have begun while the first tick ran: it
    // cleared no timer then, so one started now would outlive the daemon and keep the process alive
    if (this.shuttingDown) return;
    this.timer = setInterval(() => void this.safeTick(), this.options.tickMs);
  }

  /**
   * A tick that cannot reach the database (a restart) says so once, and the next ticks try again:
   * the worker keeps its registration, its job loop rides the outage, and a loop that gave up is
   * started again once the database answers.
   */
  private async safeTick(): Promise<void> {
    try {
      await this.tick();
      if (this.tickError) this.deps.log.warn('the database answers again; the worker goes on');
      this.tickError = null;
    } catch (e) {
      const message = String(e);
      if (message !== this.tickError)
        this.deps.log.warn(
          isOutage(e) ? 'the database is unreachable; the worker waits for it and tries again' : 'worker tick failed',
          { error: message },
        );
      this.tickError = message;
    }
  }

  /** The latest status line. */
  current(): WorkerStatusLine {
    return this.status;
  }

  /** New policy from the owner; applied at once and advertised with the next heartbeat. */
  setPolicy(policy: DonationPolicy): void {
    this.options = { ...this.options, policy };
    void this.tick();
  }

  /** Stops: `finish` lets running jobs end, `release` gives them back at once (no retry spent). */
  async stop(mode: 'finish' | 'release'): Promise<void> {
    this.stopping = mode;
    this.setStatus({
      state: 'stopping',
      reason:
        mode === 'finish' ? 'Finishing the jobs in hand, then stopping.' : 'Giving the jobs in hand back to the queue.',
      running: this.gate.runningCount,
    });
    if (this.suspended) await this.resumeContainers();
    this.loop?.stop(mode);
    await this.loopDone;
    await this.shutdown();
  }

  private async shutdown(reason = 'Stopped.'): Promise<void> {
    this.shuttingDown = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await unregisterWorker(this.deps.db, this.deps.workerId).catch(() => {});
    await this.deps.firer?.idle();
    this.setStatus({ state: 'stopped', reason, running: 0 });
    this.finished();
  }

  /** `--once`: the loop found nothing more it may take; say what was left and why. */
  private async onceDone(policyReason: string | null): Promise<void> {
    if (this.stopping) return;
    this.stopping = 'finish';
    const refusals = [...this.gate.takeRefusals()];
    const why =
      policyReason ??
      (refusals.length
        ? `pending jobs it cannot take: ${refusals.map(([table, reason]) => `${table} (${reason})`).join('; ')}`
        : 'no pending jobs');
    await this.shutdown(`Stopped (--once): ${why}.`);
  }

  /** Samples load, applies the policy, refreshes tasks, heartbeats. */
  private async tick(): Promise<void> {
    if (this.stopping && !this.loop) return;
    const load = sampleLoad(this.deps.idleSeconds);
    const decision = decideDonation(this.options.policy, {
      now: new Date(),
      idleSeconds: load.idleSeconds,
      otherCpuPercent: Math.max(0, load.cpuPercent - this.ourCpuPercent()),
      runningJobs: this.gate.runningCount,
    });
    this.gate.setDecision(decision);
    if (this.options.once && !decision.takeNewJobs && !this.loop) return this.onceDone(decision.reason);
    await this.applyOwnerReturn(decision);
    if (!this.stopping) await this.refreshLoop(decision.takeNewJobs);
    // the daemon may have stopped while this tick awaited: no status or heartbeat (which would re-register) after that
    if (this.status.state === 'stopped') return;
    this.setStatus(this.describe(decision));
    const alive = await heartbeat(this.deps.db, {
      worker_id: this.deps.workerId,
      state: this.status.state,
      reason: this.status.reason,
      running_jobs: this.status.running,
      policy: this.options.policy,
    }).catch((e) => {
      if (!isOutage(e)) this.deps.log.warn('heartbeat failed', { error: String(e) });
      return true;
    });
    if (!alive) await this.reRegister();
  }

  /** Owner back while jobs run: suspend the containers, or hand the jobs back (policy). */
  private async applyOwnerReturn(decision: { ownerIsBack: boolean; takeNewJobs: boolean }): Promise<void> {
    if (decision.ownerIsBack && this.gate.runningCount > 0) {
      if (this.options.policy.onOwnerReturn === 'suspend' && !this.suspended) await this.pauseContainers();
      if (this.options.policy.onOwnerReturn === 'requeue' && this.loop) {
        this.loop.stop('release'); // the lease rows go back; attempts are not counted against the budget
        await this.loopDone;
        this.loop = null;
      }
    } else if (this.suspended && decision.takeNewJobs) {
      await this.resumeContainers();
    }
  }

  /** Starts (or restarts, when the tasks changed) the job loop over every table with a Docker task. */
  private async refreshLoop(allowed: boolean): Promise<void> {
    const only = this.options.schemas?.length ? new Set(this.options.schemas) : null;
    const tables = (await this.deps.tables()).filter((t) => !only || only.has(t.schema));
    const tasks = await this.readAllTasks(tables);
    const signature = [...tasks.values()]
      .map((t) => `${t.schema}.${t.table}@${t.version}`)
      .sort()
      .join(',');
    await this.callbacks?.refresh(tables.map((t) => t.schema));
    if (this.loop && signature === this.taskSignature) return;
    if (!allowed && !this.loop) return;
    if (this.loop) this.loop.stop('finish'); // the old loop ends its running jobs; the gate's ledger is shared
    this.taskSignature = signature;
    const { jobs } = buildTableJobs(this.deps.db.dialect, tables, tasks, {});
    const checked = jobs.filter((tj) => this.runner.check(tj.task.spec) === null);
    const skipped = new Set<string>();
    for (const s of new Set(checked.map((j) => j.table.schema))) {
      try {
        await ensureJobTables(this.deps.db, s);
      } catch (e) {
        // a schema whose job tables cannot be made here (no rights): the others still run
        skipped.add(s);
        this.deps.log.warn('schema skipped', { schema: s, error: String(e) });
      }
    }
    const runnable = checked.filter((tj) => !skipped.has(tj.table.schema)).map((tj, order) => ({ ...tj, order }));
    const runner = this.gate.track(this.runner);
    const loop = new JobWorker({
      db: this.deps.db,
      who: this.leaseIdentity(),
      clock: new DbClock(),
      jobs: runnable,
      tables: new Map(tables.map((t) => [t.full_name, t])),
      runnerFor: () => runner,
      blobs: this.deps.blobs,
      stores: this.deps.stores,
      gate: this.gate,
      listener: {
        ended: (job, end, message) => {
          this.callbacks?.jobEnded(job, end, message, { worker_id: this.deps.workerId });
          this.deps.onJob?.(job, end, message);
        },
        skipped: () => {},
        executed: () => {},
      },
      log: this.deps.log,
      options: {
        leaseMs: this.options.leaseS * 1000,
        batch: 1,
        slots: 64,
        pollMs: this.options.pollMs,
        drain: this.options.once,
        waitForOthers: this.options.once,
      },
    });
    this.loop = loop;
    const done = loop.run().catch((e) => {
      this.deps.log.error('job loop failed', { error: String(e) });
      // a loop that gave up (a database outage longer than it waits) is started again by a later tick
      if (this.loop === loop && !this.stopping) this.loop = null;
    });
    this.loopDone = done;
    if (this.options.once)
      void done.then(() => {
        if (this.loop === loop) void this.onceDone(null);
      });
  }

  private async readAllTasks(tables: readonly TableInfo[]): Promise<Map<string, StoredTask>> {
    const out = new Map<string, StoredTask>();
    for (const schema of new Set(tables.map((t) => t.schema))) {
      for (const [table, task] of await readTasks(this.deps.db, schema)) out.set(`${schema}.${table}`, task);
    }
    return out;
  }

  /** A loop's identity, prefixed with the registered worker id so a lease names the worker that holds it. */
  private leaseIdentity() {
    const who = newWorkerIdentity();
    return { ...who, id: `${this.deps.workerId}@${who.id}` };
  }

  /** The one line: the policy's reason, or why pending jobs do not fit, or what it is doing. */
  private describe(decision: { takeNewJobs: boolean; reason: string }): WorkerStatusLine {
    return describeWorker(decision, {
      running: this.gate.runningCount,
      suspended: this.suspended,
      hasTasks: this.taskSignature !== '',
      refusals: () => [...this.gate.takeRefusals()],
    });
  }

  private setStatus(s: WorkerStatusLine): void {
    if (this.status.state === 'stopped') return; // stopped is final
    const changed = s.reason !== this.status.reason || s.state !== this.status.state;
    this.status = s;
    if (changed) this.deps.onStatus?.(s);
  }

  /** Donated capacity: the policy's shares and the owner's limits. */
  private donated(gpus: readonly number[]): Capacity {
    return donatedCapacity(this.deps.hardware, this.options.policy, this.options.limits, gpus);
  }

  /** A rough share of CPU our own jobs use, so they do not count as the owner's load. */
  private ourCpuPercent(): number {
    return Math.min(100, (100 * this.gate.heldCpus) / (this.deps.hardware.cpu.threads || 1));
  }

  private async pauseContainers(): Promise<void> {
    await setContainersPaused(this.deps.docker, this.deps.workerId, true);
    this.suspended = true;
  }

  private async resumeContainers(): Promise<void> {
    await setContainersPaused(this.deps.docker, this.deps.workerId, false);
    this.suspended = false;
  }

  private async reRegister(): Promise<void> {
    await registerWorker(this.deps.db, {
      worker_id: this.deps.workerId,
      hostname: os.hostname(),
      owner: safeUser(),
      version: this.deps.version,
      hardware: this.deps.hardware,
      labels: hardwareLabels(this.deps.hardware),
      policy: this.options.policy,
      state: this.status.state,
      reason: this.status.reason,
      running_jobs: this.status.running,
    });
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
