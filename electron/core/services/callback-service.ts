import type { z } from 'zod';
import type {
  AddCallbackInput,
  CallbackInfo,
  ListCallbacksInput,
  RemoveCallbackInput,
} from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { EventBus } from '../events/event-bus';
import { addCallback, announceInserts, CallbackFirer, listCallbacks, removeCallback } from '../jobs/callbacks';
import type { Logger } from '../log';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  log: Logger;
  /** Shell-command callbacks run in this process only when allowed (by the user, not by a database row). */
  allowCommandCallbacks: boolean;
}

/**
 * Callbacks on insert and on job success or failure: the API to add, list and remove them, and
 * announcing new rows (from inserts in this process, finished populates and polled changes).
 * Announcing runs in the background; {@link idle} waits for it.
 */
export class CallbackService {
  private readonly firer: CallbackFirer;
  private readonly unsubscribe: () => void;
  /** Insert announcements in flight (awaited by idle). */
  private readonly announcing = new Set<Promise<void>>();

  constructor(private readonly deps: Deps) {
    this.firer = new CallbackFirer({ allowCommands: deps.allowCommandCallbacks, log: deps.log });
    this.unsubscribe = deps.events.subscribe((event, data) => {
      if (event === 'data.inserted') this.onInserted(data as { connectionId: string; table: string });
    });
  }

  /** The firer of job-end callbacks; one that may run commands when a populate's user allowed them. */
  firerFor(allowCommands: boolean | undefined): CallbackFirer {
    return allowCommands && !this.deps.allowCommandCallbacks
      ? new CallbackFirer({ allowCommands: true, log: this.deps.log })
      : this.firer;
  }

  async add(input: z.infer<typeof AddCallbackInput>): Promise<CallbackInfo> {
    const db = this.deps.connections.driver(input.connectionId);
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    const added = await addCallback(db, table, input);
    this.deps.events.emit('callbacks.changed', { connectionId: input.connectionId, schema: input.schema });
    return added;
  }

  async list(input: z.infer<typeof ListCallbacksInput>): Promise<{ callbacks: CallbackInfo[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    return { callbacks: (await listCallbacks(db, input.schema, input.table)).map(({ seen_rows: _s, ...c }) => c) };
  }

  async remove(input: z.infer<typeof RemoveCallbackInput>): Promise<{ done: true }> {
    await removeCallback(this.deps.connections.driver(input.connectionId), input.schema, input.callback_id);
    this.deps.events.emit('callbacks.changed', { connectionId: input.connectionId, schema: input.schema });
    return { done: true };
  }

  /** Fires the insert callbacks of tables whose row count grew; in the background, awaited by {@link idle}. */
  announce(connectionId: string, tables: readonly TableInfo[]): Promise<void> {
    return this.track(this.announceNow(connectionId, tables));
  }

  /** Waits for insert announcements and callback deliveries in flight. */
  async idle(): Promise<void> {
    while (this.announcing.size) await Promise.allSettled([...this.announcing]);
    await this.firer.idle();
  }

  async dispose(): Promise<void> {
    this.unsubscribe();
    await this.idle();
  }

  private onInserted(data: { connectionId: string; table: string }): void {
    void this.track(
      (async () => {
        try {
          const tables = await this.deps.pipeline.tables(data.connectionId);
          await this.announceNow(
            data.connectionId,
            tables.filter((t) => t.full_name === data.table),
          );
        } catch (e) {
          this.deps.log.warn('could not announce an insert', { table: data.table, error: String(e) });
        }
      })(),
    );
  }

  private async announceNow(connectionId: string, tables: readonly TableInfo[]): Promise<void> {
    const db = this.deps.connections.driver(connectionId);
    for (const t of tables) await announceInserts(db, t, this.firer);
  }

  /** Keeps background work (announcing, here or by a sibling service) awaitable by {@link idle}, its failures logged. */
  track(work: Promise<void>): Promise<void> {
    const p: Promise<void> = work
      .catch((e: unknown) => this.deps.log.warn('could not announce new rows', { error: String(e) }))
      .finally(() => this.announcing.delete(p));
    this.announcing.add(p);
    return p;
  }
}
