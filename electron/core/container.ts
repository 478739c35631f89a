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
import { decodeJobKey, jsonBlobCodec } from './data/blob-values';
import { hashCanonicalKey } from './jobs/canonical-key-hash';
import { LocalSettings } from './settings/local-settings';

/** The assembled core: what transports, the CLI and tests use. */
export interface Core {
  handlers: Handlers<CallContext>;
  dispatch: Dispatch;
  events: EventBus;
  services: { connections: ConnectionService; pipeline: PipelineService; data: DataService; schema: SchemaService };
  dispose(): Promise<void>;
}

/** Composition root: the only place that chooses implementations and calls `new` on services. */
export function createCore(config: CoreConfig, platform: PlatformServices): Core {
  const events = new EventBus();
  const settings = new LocalSettings({ dataDir: config.dataDir, log: platform.log });
  const app = new AppService({ config, platform });
  const connections = new ConnectionService({ openDriver, secrets: platform.secrets, settings, events, log: platform.log });
  const pipeline = new PipelineService({ connections, jobKeys: { decodeKey: decodeJobKey, hashKey: hashCanonicalKey } });
  const data = new DataService({ connections, pipeline, events, blobs: jsonBlobCodec });
  const schema = new SchemaService({ connections, pipeline, events });

  const handlers: Handlers<CallContext> = {
    'app.info': async () => app.info(),
    'connection.test': (input) => connections.test(input),
    'connection.open': (input) => connections.open(input),
    'connection.close': async (input) => { await connections.close(input.connectionId); return { done: true }; },
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
  };

  return {
    handlers,
    dispatch: createDispatcher(handlers, platform.log),
    events,
    services: { connections, pipeline, data, schema },
    dispose: () => connections.closeAll(),
  };
}
