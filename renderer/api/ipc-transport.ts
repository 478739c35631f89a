import type { Transport } from '../../shared/api/client';
import { asEnvelope, transportFailure } from './envelopes';

/** What electron/preload exposes as `window.joinery`, and nothing more. */
export interface JoineryBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (data: unknown) => void): () => void;
}

declare global {
  interface Window {
    /** Present only inside the desktop app (set by the preload script). */
    joinery?: JoineryBridge;
  }
}

const RELAUNCH_HINT = 'Restart Joinery. If it happens again, run it from a terminal and report what it prints.';

/** Desktop transport: calls and events go through the preload bridge to the main process. */
export function createIpcTransport(bridge: JoineryBridge): Transport {
  return {
    async call(method, input) {
      let raw: unknown;
      try {
        raw = await bridge.invoke(method, input ?? {});
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return transportFailure('INTERNAL', `The app's core did not answer ${method}: ${why}`, RELAUNCH_HINT);
      }
      return (
        asEnvelope(raw) ??
        transportFailure('INTERNAL', `The app's core gave a malformed answer to ${method}.`, RELAUNCH_HINT)
      );
    },
    subscribe: (event, listener) => bridge.subscribe(event, listener),
  };
}
