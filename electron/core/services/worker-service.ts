import type Docker from 'dockerode';
import { lazyDocker } from '../worker/docker/lazy-docker';
import type { z } from 'zod';
import type {
  DonationPolicy,
  HardwareProfile,
  LoadSample,
  WorkerInfo,
  WorkerLimits,
  WorkerSettings,
  WorkerStartInput,
  WorkerStatus,
} from '../../../shared/api/schemas/worker';
import { appError } from '../../../shared/errors';
import type { StoreLookup } from '../data/external-read';
import type { BlobCodec } from '../data/values';
import type { EventBus } from '../events/event-bus';
import { CallbackFirer } from '../jobs/callbacks';
import type { Logger } from '../log';
import type { LocalSettings } from '../settings/local-settings';
import { createLoadSampler, probeHardware } from '../worker/probe';
import { ensureRegistry, listWorkers } from '../worker/registry';
import { stableWorkerId } from '../worker/worker-id';
import { WorkerDaemon, type WorkerStatusLine } from '../worker/worker-daemon';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  settings: LocalSettings;
  events: EventBus;
  blobs: BlobCodec;
  stores: StoreLookup;
  log: Logger;
  dataDir: string;
  version: string;
  /** Seconds since the owner's last input (desktop: Electron's powerMonitor); null elsewhere. */
  idleSeconds?: () => number | null;
  docker?: () => Docker;
  /** Whether command callbacks may run here (a local choice; webhooks always may). */
  allowCommandCallbacks: boolean;
}

/** Options of a worker started from the CLI (`joinery worker`). */
export interface WorkerRunOptions {
  connectionId: string;
  policy: DonationPolicy;
  limits: WorkerLimits;
  once: boolean;
  /** Serve only these schemas (all when omitted). */
  schemas?: string[];
  workerId?: string;
  leaseS?: number;
  tickMs?: number;
  /** Let this run execute command callbacks (the local user's choice, as `populate --allow-command-callbacks`). */
  allowCommandCallbacks?: boolean;
  onStatus?: (s: WorkerStatusLine) => void;
  /** Each job's end, once committed (`done`, `error`, `retry`, `released`...). */
  onJob?: (table: string, key: Record<string, unknown>, end: string, message: string | null) => void;
}

/**
 * This machine as a worker: hardware probe (once), the daemon that donates it, its persisted
 * settings, and the lab-wide registry of every worker.
 */
export class WorkerService {
  private daemon: { d: WorkerDaemon; workerId: string; connectionId: string } | null = null;
  private hardware: Promise<HardwareProfile> | null = null;
  /** Sends the success/failure callbacks of the jobs this machine runs. */
  private readonly firer: CallbackFirer;
  /** The Workers screen's own load sampler (the daemon keeps its own baseline). */
  private readonly sampler: () => LoadSample;

  constructor(private readonly deps: Deps) {
    this.firer = new CallbackFirer({ allowCommands: deps.allowCommandCallbacks, log: deps.log });
    this.sampler = createLoadSampler(deps.idleSeconds);
  }

  /** This machine's use now: CPU since the previous call, available memory, the owner's idle time. */
  load(): LoadSample {
    return this.sampler();
  }

  /** The hardware profile, probed on first use. */
  probe(): Promise<HardwareProfile> {
    this.hardware ??= probeHardware(async () => {
      const v = await this.docker().version();
      return { version: v.Version };
    });
    return this.hardware;
  }

  /** Every registered worker of the connection's lab, online or not. */
  async list(connectionId: string): Promise<WorkerInfo[]> {
    const db = this.deps.connections.driver(connectionId);
    await ensureRegistry(db);
    return listWorkers(db);
  }

  settings(): WorkerSettings {
    return this.deps.settings.read().worker;
  }

  status(): WorkerStatus {
    if (!this.daemon)
      return { running: false, workerId: null, state: 'stopped', reason: 'Not donating this machine.', runningJobs: 0 };
    const s = this.daemon.d.current();
    return {
      running: s.state !== 'stopped',
      workerId: this.daemon.workerId,
      state: s.state,
      reason: s.reason,
      runningJobs: s.running,
    };
  }

  /** Donate this machine (the desktop's switch); the choice is remembered unless told otherwise. */
  async start(input: z.infer<typeof WorkerStartInput>): Promise<WorkerStatus> {
    const saved = this.settings();
    const policy = input.policy ?? saved.policy;
    const limits = input.limits ?? saved.limits;
    if (input.remember) {
      const url = this.deps.connections.list().open.find((c) => c.id === input.connectionId)?.url ?? null;
      this.deps.settings.update((s) => ({ ...s, worker: { policy, limits, donateTo: url } }));
    }
    await this.run({ connectionId: input.connectionId, policy, limits, once: false });
    return this.status();
  }

  /** Starts the daemon in this process; resolves once it is registered and working. */
  async run(o: WorkerRunOptions): Promise<WorkerDaemon> {
    if (this.daemon && this.daemon.d.current().state !== 'stopped') {
      throw appError('CONFLICT', 'This machine is already donating.', {
        hint: 'Stop it first, or change its policy instead.',
      });
    }
    const db = this.deps.connections.driver(o.connectionId);
    const docker = this.docker();
    await docker.ping().catch((e: Error) => {
      throw appError('DOCKER_UNAVAILABLE', `Docker does not answer (${e.message}).`, {
        hint: 'Start the Docker engine; workers run every job in a container.',
      });
    });
    const workerId = stableWorkerId(this.deps.dataDir, o.workerId ?? process.env.JOINERY_WORKER_ID);
    const d = new WorkerDaemon(
      {
        db,
        docker,
        workerId,
        version: this.deps.version,
        hardware: await this.probe(),
        blobs: this.deps.blobs,
        stores: this.deps.stores,
        log: this.deps.log,
        firer:
          o.allowCommandCallbacks && !this.deps.allowCommandCallbacks
            ? new CallbackFirer({ allowCommands: true, log: this.deps.log })
            : this.firer,
        tables: () => {
          this.deps.pipeline.invalidate(o.connectionId);
          return this.deps.pipeline.tables(o.connectionId);
        },
        idleSeconds: this.deps.idleSeconds,
        onJob: (job, end, message) => {
          o.onJob?.(job.tj.table.full_name, job.key, end, message);
          if (end === 'error')
            this.deps.events.emit('jobs.failed', {
              connectionId: o.connectionId,
              table: job.tj.table.full_name,
              key: job.key,
              message: message ?? '',
              workerId,
            });
        },
        onStatus: (s) => {
          o.onStatus?.(s);
          this.deps.events.emit('workers.status', {
            workerId,
            state: s.state,
            reason: s.reason,
            runningJobs: s.running,
            running: s.state !== 'stopped',
          });
        },
      },
      {
        policy: o.policy,
        limits: o.limits,
        once: o.once,
        schemas: o.schemas,
        leaseS: o.leaseS ?? 60,
        tickMs: o.tickMs ?? 5000,
        pollMs: 2000,
      },
    );
    this.daemon = { d, workerId, connectionId: o.connectionId };
    await d.start();
    return d;
  }

  /** Stops donating: `finish` the jobs in hand, or `release` them at once; donation stays off. */
  async stop(mode: 'finish' | 'release', remember = true): Promise<WorkerStatus> {
    if (remember) this.deps.settings.update((s) => ({ ...s, worker: { ...s.worker, donateTo: null } }));
    await this.daemon?.d.stop(mode);
    return this.status();
  }

  /** New donation policy: saved, and applied at once when the worker runs. */
  setPolicy(given: DonationPolicy, limits?: WorkerLimits): WorkerSettings {
    // a timed pause's end belongs to that pause: resuming forgets it, so a later plain pause holds until resumed
    const policy = given.paused ? given : { ...given, pausedUntil: null };
    this.deps.settings.update((s) => ({ ...s, worker: { ...s.worker, policy, ...(limits ? { limits } : {}) } }));
    this.daemon?.d.setPolicy(policy);
    // every client's Workers screen and the tray show the new policy (query-keys: workers.status)
    this.deps.events.emit('workers.status', this.status());
    return this.settings();
  }

  async dispose(): Promise<void> {
    if (this.daemon && this.daemon.d.current().state !== 'stopped') await this.daemon.d.stop('release');
  }

  private docker(): Docker {
    return this.deps.docker ? this.deps.docker() : lazyDocker();
  }
}
