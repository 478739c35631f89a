import type { Handlers } from '../../shared/api/contract';
import { type Conventions, parseConventions } from '../../shared/model/conventions';
import type { CoreConfig, PlatformServices } from './config';
import { openDriver } from './db/open-driver';
import { EventBus } from './events/event-bus';
import type { CallContext } from './rpc/call-context';
import { createDispatcher, type Dispatch } from './rpc/dispatcher';
import { AppService } from './services/app-service';
import { ConnectionService } from './services/connection-service';
import { PipelineService } from './services/pipeline-service';
import { DataService } from './services/data-service';
import { DockerJobRunner } from './worker/docker/docker-runner';
import { GpuPool } from './worker/docker/gpu-pool';
import { lazyDocker } from './worker/docker/lazy-docker';
import { SampleService } from './services/sample-service';
import { SchemaService } from './services/schema-service';
import { WorkerService, type WorkerRunOptions } from './services/worker-service';
import type { WorkerDaemon } from './worker/worker-daemon';
import { QueryService } from './services/query-service';
import { CallbackService } from './services/callback-service';
import { ChangeWatchService } from './services/change-watch-service';
import { JobHistoryService } from './services/job-history-service';
import { JobQueueService } from './services/job-queue-service';
import { PopulateService } from './services/populate-service';
import { TaskService } from './services/task-service';
import { ClusterService } from './services/cluster-service';
import { SlurmCli } from './cluster/slurm-cli';
import os from 'node:os';
import path from 'node:path';
import { grantedGpus } from './worker/docker/granted-gpus';
import { InlineJobRunner } from './worker/inline-runner';
import { ProcessJobRunner } from './worker/process-runner';
import { SettingsService } from './services/settings-service';
import { decodeErrorStack, decodeJobKey, jsonBlobCodec } from './data/blob-values';
import { MigrationService } from './services/migration-service';
import { hashCanonicalKey } from './jobs/canonical-key-hash';
import { LocalSettings } from './settings/local-settings';

/**
 * What a host may do beyond the API contract, because it runs the core in its own process:
 * register functions that tasks name in `inline` (CLI `--inline` modules, tests), and run the
 * worker daemon here (`joinery worker`).
 */
export interface CoreHooks {
  /** Where inline functions are registered. */
  inline: InlineJobRunner;
  /** Starts the worker daemon in this process; the caller prints its status and stops it. */
  runWorker(options: WorkerRunOptions): Promise<WorkerDaemon>;
  /**
   * This machine's donation state and preferences, read synchronously: the desktop tray and the
   * window-closing rule need them at once, in event handlers that cannot wait for a call.
   */
  desktop: {
    workerStatus(): ReturnType<WorkerService['status']>;
    workerSettings(): ReturnType<WorkerService['settings']>;
    preferences(): ReturnType<SettingsService['preferences']>;
  };
}

/**
 * The assembled core. Hosts (web server, CLI, Electron main) call it through the typed client
 * (`createClient(inProcess(core, host))`) or a transport over `dispatch`, plus {@link CoreHooks};
 * `services` is for the composition and tests (lint keeps hosts out of it).
 */
export interface Core {
  handlers: Handlers<CallContext>;
  dispatch: Dispatch;
  events: EventBus;
  hooks: CoreHooks;
  services: {
    connections: ConnectionService;
    pipeline: PipelineService;
    data: DataService;
    schema: SchemaService;
    query: QueryService;
    populate: PopulateService;
    jobQueue: JobQueueService;
    history: JobHistoryService;
    callbacks: CallbackService;
    watch: ChangeWatchService;
    cluster: ClusterService;
    task: TaskService;
    worker: WorkerService;
    settings: SettingsService;
    migration: MigrationService;
  };
  dispose(): Promise<void>;
}

/**
 * The Docker runner of `jobs.populate` in this process (`joinery populate --runner docker`, the UI's
 * populate of the sample): no GPUs, tasks without a memory request get 512 MiB. dockerode connects
 * only when a job runs, so a machine without Docker fails that populate with DOCKER_UNAVAILABLE only.
 */

/** Composition root: the only place that chooses implementations and calls `new` on services. */
export function createCore(config: CoreConfig, platform: PlatformServices): Core {
  const events = new EventBus();
  const settings = new LocalSettings({ dataDir: config.dataDir, log: platform.log });
  const app = new AppService({ config, platform });
  const connections = new ConnectionService({
    openDriver,
    secrets: platform.secrets,
    settings,
    events,
    log: platform.log,
  });
  const pipeline = new PipelineService({
    connections,
    jobKeys: { decodeKey: decodeJobKey, hashKey: hashCanonicalKey },
    conventions: conventionsSetting(process.env.JOINERY_CONVENTIONS),
  });
  const settingsService = new SettingsService({ settings, events, storesOverride: config.storesOverride });
  const data = new DataService({ connections, pipeline, events, blobs: jsonBlobCodec, stores: settingsService });
  const schema = new SchemaService({ connections, pipeline, events, stores: settingsService });
  const sample = new SampleService({ connections, pipeline, schema, data });
  const query = new QueryService({ connections, blobs: jsonBlobCodec, events });
  const runners = {
    inline: new InlineJobRunner(),
    process: new ProcessJobRunner(),
    // populate, run-job (a cluster node) and task.test run image tasks here; donated workers have their own
    docker: new DockerJobRunner({
      docker: lazyDocker(),
      workerId: `populate:${os.hostname()}:${process.pid}`,
      gpus: new GpuPool(grantedGpus(process.env)),
      defaultMemoryBytes: () => Math.floor(os.totalmem() / 2),
    }),
  };
  const task = new TaskService({ connections, pipeline, blobs: jsonBlobCodec, stores: settingsService, runners });
  // command callbacks come from the database, so only the local user can allow them
  const allowCommandCallbacks = process.env.JOINERY_ALLOW_COMMAND_CALLBACKS === '1';
  const callbacks = new CallbackService({ connections, pipeline, events, log: platform.log, allowCommandCallbacks });
  const populate = new PopulateService({
    connections,
    pipeline,
    events,
    blobs: jsonBlobCodec,
    stores: settingsService,
    log: platform.log,
    callbacks,
    runners,
  });
  const jobQueue = new JobQueueService({
    connections,
    pipeline,
    events,
    decodeKey: decodeJobKey,
    decodeStack: decodeErrorStack,
  });
  const history = new JobHistoryService({ connections, pipeline, blobs: jsonBlobCodec, stores: settingsService });
  const watch = new ChangeWatchService({ connections, pipeline, events, log: platform.log, populate, callbacks });

  const cluster = new ClusterService({
    connections,
    pipeline,
    events,
    log: platform.log,
    slurm: new SlurmCli(),
    spool: path.join(config.dataDir, 'cluster'),
  });

  const worker = new WorkerService({
    connections,
    pipeline,
    settings,
    events,
    blobs: jsonBlobCodec,
    stores: settingsService,
    log: platform.log,
    dataDir: config.dataDir,
    version: config.version,
    idleSeconds: platform.idleSeconds,
    allowCommandCallbacks,
  });

  const migration = new MigrationService({ connections, pipeline, events });

  const handlers: Handlers<CallContext> = {
    'app.info': async () => app.info(),
    'connection.test': (input) => connections.test(input),
    'connection.open': (input) => connections.open(input),
    'connection.close': async (input) => {
      await connections.close(input.connectionId);
      return { done: true };
    },
    'connection.list': async () => connections.list(),
    'pipeline.inspect': (input) => pipeline.inspect(input),
    'schema.create': (input) => schema.createSchema(input),
    'table.declare': (input) => schema.declare(input),
    'table.describe': (input) => schema.describe(input),
    'table.preview': (input) => schema.preview(input),
    'pipeline.createSample': (input) => sample.create(input),
    'table.dropPreview': (input) => schema.dropPreview(input),
    'table.drop': (input) => schema.drop(input),
    'data.insert': (input) => data.insert(input),
    'data.fetch': (input) => data.fetch(input),
    'data.deletePreview': (input) => data.deletePreview(input),
    'data.delete': (input) => data.delete(input),
    'data.update': (input) => data.update(input),
    'data.import': (input, ctx) => data.import(input, ctx.host !== 'web'),
    'data.unusedExternal': (input) => data.unusedExternal(input),
    'data.cleanExternal': (input) => data.cleanExternal(input),
    'settings.stores': async () => settingsService.stores(),
    'settings.setStore': async (input) => settingsService.setStore(input),
    'settings.preferences': async () => settingsService.preferences(),
    'settings.setPreferences': async (input) => settingsService.setPreferences(input),
    'query.preview': (input) => query.preview(input),
    'query.fetch': (input) => query.fetch(input),
    'query.count': (input) => query.count(input),
    'task.set': (input) => task.set(input),
    'task.get': (input) => task.get(input),
    'task.list': (input) => task.list(input),
    'task.validate': (input) => task.validate(input),
    'task.test': (input) => task.test(input),
    'task.delete': (input) => task.remove(input),
    'jobs.pending': (input) => jobQueue.pending(input),
    'jobs.list': (input) => jobQueue.list(input),
    'jobs.errorGroups': (input) => jobQueue.errorGroups(input),
    'jobs.liveLog': async (input) => populate.liveLog(input),
    'jobs.populate': (input) => populate.populate(input),
    'jobs.stop': async (input) => populate.stop(input),
    'jobs.populateStatus': async (input) => populate.status(input),
    'jobs.retry': (input) => jobQueue.retry(input),
    'jobs.ignore': (input) => jobQueue.ignore(input),
    'jobs.cancel': async (input) => {
      // a key may be running in this lab's workers or queued at the cluster's scheduler, or both
      const [held, queued] = [await jobQueue.cancel(input), await cluster.cancel(input)];
      return { count: held.count + queued.count };
    },
    'jobs.setPriority': (input) => jobQueue.setPriority(input),
    'jobs.runs': (input) => history.runs(input),
    'jobs.provenance': (input) => history.provenance(input),
    'jobs.stale': (input) => history.stale(input),
    'jobs.plan': (input) => history.plan(input),
    'jobs.addCallback': (input) => callbacks.add(input),
    'jobs.listCallbacks': (input) => callbacks.list(input),
    'jobs.removeCallback': (input) => callbacks.remove(input),
    'jobs.watch': async (input) => watch.watch(input),
    'cluster.populate': (input) => cluster.populate(input),
    'cluster.status': async (input) => cluster.status(input.runId),
    'cluster.jobs': (input) => cluster.jobs(input),
    'workers.probe': () => worker.probe(),
    'workers.list': async (input) => ({ workers: await worker.list(input.connectionId) }),
    'workers.load': async () => worker.load(),
    'workers.status': async () => worker.status(),
    'workers.settings': async () => worker.settings(),
    'workers.start': (input) => worker.start(input),
    'workers.stop': (input) => worker.stop(input.mode),
    'workers.setPolicy': async (input) => worker.setPolicy(input.policy, input.limits),
    'migration.plan': (input) => migration.plan(input),
    'migration.dryRun': (input) => migration.dryRun(input),
    'migration.apply': (input) => migration.apply(input),
    'migration.status': (input) => migration.status(input),
    'migration.rollback': (input) => migration.rollback(input),
    'migration.discard': (input) => migration.discard(input),
    'migration.history': (input) => migration.history(input),
    'migration.active': (input) => migration.active(input),
  };

  return {
    handlers,
    dispatch: createDispatcher(handlers, platform.log),
    events,
    hooks: {
      inline: populate.inline,
      runWorker: (options) => worker.run(options),
      desktop: {
        workerStatus: () => worker.status(),
        workerSettings: () => worker.settings(),
        preferences: () => settingsService.preferences(),
      },
    },
    services: {
      connections,
      pipeline,
      data,
      schema,
      query,
      populate,
      jobQueue,
      history,
      callbacks,
      watch,
      task,
      worker,
      cluster,
      settings: settingsService,
      migration,
    },
    dispose: async () => {
      await worker.dispose();
      watch.dispose();
      await populate.dispose();
      await callbacks.dispose();
      await connections.closeAll();
    },
  };
}

/** The lab's DataJoint generation for new schemas (`JOINERY_CONVENTIONS`); unset: each database decides. */
function conventionsSetting(value: string | undefined): Conventions | undefined {
  return value ? parseConventions(value, 'JOINERY_CONVENTIONS') : undefined;
}
