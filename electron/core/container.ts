import type { Handlers } from '../../shared/api/contract';
import type { CoreConfig, PlatformServices } from './config';
import { openDriver } from './db/open-driver';
import { EventBus } from './events/event-bus';
import type { CallContext } from './rpc/call-context';
import { createDispatcher, type Dispatch } from './rpc/dispatcher';
import { AppService } from './services/app-service';
import { ConnectionService } from './services/connection-service';
import { PipelineService } from './services/pipeline-service';
import { DataService } from './services/data-service';
import { SchemaService } from './services/schema-service';
import { WorkerService } from './services/worker-service';
import { QueryService } from './services/query-service';
import { JobsService } from './services/jobs-service';
import { TaskService } from './services/task-service';
import { InlineJobRunner } from './worker/inline-runner';
import { ProcessJobRunner } from './worker/process-runner';
import { SettingsService } from './services/settings-service';
import { MigrationService } from './services/migration-service';
import { decodeJobKey, jsonBlobCodec } from './data/blob-values';
import { hashCanonicalKey } from './jobs/canonical-key-hash';
import { LocalSettings } from './settings/local-settings';

/** The assembled core: what transports, the CLI and tests use. */
export interface Core {
  handlers: Handlers<CallContext>;
  dispatch: Dispatch;
  events: EventBus;
  services: {
    connections: ConnectionService;
    pipeline: PipelineService;
    data: DataService;
    schema: SchemaService;
    query: QueryService;
    jobs: JobsService;
    task: TaskService;
    worker: WorkerService;
    migration: MigrationService;
  };
  dispose(): Promise<void>;
}

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
  });
  const settingsService = new SettingsService({ settings, storesOverride: config.storesOverride });
  const data = new DataService({ connections, pipeline, events, blobs: jsonBlobCodec, stores: settingsService });
  const schema = new SchemaService({ connections, pipeline, events });
  const query = new QueryService({ connections, blobs: jsonBlobCodec, events });
  const task = new TaskService({ connections, pipeline });
  // command callbacks come from the database, so only the local user can allow them
  const allowCommandCallbacks = process.env.JOINERY_ALLOW_COMMAND_CALLBACKS === '1';
  const jobs = new JobsService({
    connections,
    pipeline,
    events,
    blobs: jsonBlobCodec,
    stores: settingsService,
    log: platform.log,
    decodeKey: decodeJobKey,
    runners: { inline: new InlineJobRunner(), process: new ProcessJobRunner() },
    allowCommandCallbacks,
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
    'query.preview': (input) => query.preview(input),
    'query.fetch': (input) => query.fetch(input),
    'query.count': (input) => query.count(input),
    'task.set': (input) => task.set(input),
    'task.get': (input) => task.get(input),
    'task.list': (input) => task.list(input),
    'task.validate': (input) => task.validate(input),
    'task.delete': (input) => task.remove(input),
    'jobs.pending': (input) => jobs.pending(input),
    'jobs.list': (input) => jobs.list(input),
    'jobs.populate': (input) => jobs.populate(input),
    'jobs.stop': async (input) => jobs.stop(input),
    'jobs.populateStatus': async (input) => jobs.status(input),
    'jobs.retry': (input) => jobs.retry(input),
    'jobs.ignore': (input) => jobs.ignore(input),
    'jobs.cancel': (input) => jobs.cancel(input),
    'jobs.setPriority': (input) => jobs.setPriority(input),
    'jobs.runs': (input) => jobs.runsOf(input),
    'jobs.provenance': (input) => jobs.provenance(input),
    'jobs.stale': (input) => jobs.stale(input),
    'jobs.plan': (input) => jobs.plan(input),
    'jobs.addCallback': (input) => jobs.addCallback(input),
    'jobs.listCallbacks': (input) => jobs.listCallbacks(input),
    'jobs.removeCallback': (input) => jobs.removeCallback(input),
    'jobs.watch': async (input) => jobs.watch(input),
    'workers.probe': () => worker.probe(),
    'workers.list': async (input) => ({ workers: await worker.list(input.connectionId) }),
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
  };

  return {
    handlers,
    dispatch: createDispatcher(handlers, platform.log),
    events,
    services: { connections, pipeline, data, schema, query, jobs, task, worker, migration },
    dispose: async () => {
      await worker.dispose();
      await jobs.dispose();
      await connections.closeAll();
    },
  };
}
