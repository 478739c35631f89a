import type { EventData, EventName } from '../../../shared/api/contract';

/** Receives every event: transports forward them to clients. */
export type AnyEventListener = (event: EventName, data: unknown) => void;

/**
 * The core's push channel. Services emit typed events; each transport subscribes once and
 * forwards to its clients, so services never know who listens or how.
 */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, data: EventData<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, data);
      } catch {
        // one broken subscriber (a closed socket) must not stop the others
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
