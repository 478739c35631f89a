import type { Handlers } from '../../shared/api/contract';
import type { CoreConfig, PlatformServices } from './config';
import { openDriver } from './db/open-driver';
import { EventBus } from './events/event-bus';
import type { CallContext } from './rpc/call-context';
import { createDispatcher, type Dispatch } from './rpc/dispatcher';
import { AppService } from './services/app-service';
import { ConnectionService } from './services/connection-service';
import { PipelineService } from './services/pipeline-service';
import { LocalSettings } from './settings/local-settings';

/** The assembled core: what transports, the CLI and tests use. */
export interface Core {
  handlers: Handlers<CallContext>;
  dispatch: Dispatch;
  events: EventBus;
  services: { connections: ConnectionService; pipeline: PipelineService };
  dispose(): Promise<void>;
}

/** Composition root: the only place that chooses implementations and calls `new` on services. */
export function createCore(config: CoreConfig, platform: PlatformServices): Core {
  const events = new EventBus();
  const settings = new LocalSettings({ dataDir: config.dataDir, log: platform.log });
  const app = new AppService({ config, platform });
  const connections = new ConnectionService({ openDriver, secrets: platform.secrets, settings, events, log: platform.log });
  const pipeline = new PipelineService({ connections });

  const handlers: Handlers<CallContext> = {
    'app.info': async () => app.info(),
    'connection.test': (input) => connections.test(input),
    'connection.open': (input) => connections.open(input),
    'connection.close': async (input) => { await connections.close(input.connectionId); return { done: true }; },
    'connection.list': async () => connections.list(),
    'pipeline.inspect': (input) => pipeline.inspect(input),
  };

  return {
    handlers,
    dispatch: createDispatcher(handlers, platform.log),
    events,
    services: { connections, pipeline },
    dispose: () => connections.closeAll(),
  };
}
