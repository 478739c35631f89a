import type { Transport } from '../../../shared/api/client';
import type { EventBus } from '../events/event-bus';
import type { CallContext } from './call-context';
import type { Dispatch } from './dispatcher';

/**
 * A transport for a host that runs the core in its own process (the CLI, Electron's main
 * process): calls go through the same dispatcher, validation and error mapping as IPC and HTTP,
 * so `createClient(inProcess(core, 'cli'))` is the same typed API the renderer uses.
 */
export function inProcess(core: { dispatch: Dispatch; events: EventBus }, host: CallContext['host']): Transport {
  return {
    call: (method, input) => core.dispatch(method, input, { transport: 'in-process', host }),
    subscribe: (event, listener) =>
      core.events.subscribe((name, data) => {
        if (name === event) listener(data);
      }),
  };
}
