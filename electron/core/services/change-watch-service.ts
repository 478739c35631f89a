import type { z } from 'zod';
import type { WatchInput } from '../../../shared/api/schemas/jobs';
import type { EventBus } from '../events/event-bus';
import { CountWatcher } from '../jobs/watcher';
import type { Logger } from '../log';
import type { CallbackService } from './callback-service';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';
import type { PopulateService } from './populate-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  log: Logger;
  populate: PopulateService;
  callbacks: CallbackService;
}

/**
 * Noticing changes: `jobs.changed` events for rows inserted in this process (with the tables
 * downstream), and for other clients' writes found by polling cheap counts. A polled change
 * also wakes this process's populates and fires insert callbacks.
 */
export class ChangeWatchService {
  private readonly watchers = new Map<string, CountWatcher>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: Deps) {
    this.unsubscribe = deps.events.subscribe((event, data) => {
      if (event === 'data.inserted')
        void deps.callbacks.track(this.onInserted(data as { connectionId: string; table: string }));
    });
  }

  /** Polls cheap counts of a connection every `interval_ms` (0 stops) to notice other clients' writes. */
  async watch(input: z.infer<typeof WatchInput>): Promise<{ done: true }> {
    let w = this.watchers.get(input.connectionId);
    if (!w && input.interval_ms > 0) {
      w = new CountWatcher({
        db: this.deps.connections.driver(input.connectionId),
        schemas: input.schemas,
        log: this.deps.log,
        tables: () => this.deps.pipeline.tables(input.connectionId),
        onChange: (tables) => this.onPolled(input.connectionId, tables),
      });
      this.watchers.set(input.connectionId, w);
    }
    await w?.setInterval(input.interval_ms);
    if (w && input.interval_ms === 0) this.watchers.delete(input.connectionId);
    return { done: true };
  }

  /** One poll of a connection's watcher now (tests, and the UI's refresh button). */
  async pollNow(connectionId: string): Promise<string[]> {
    return (await this.watchers.get(connectionId)?.tick()) ?? [];
  }

  dispose(): void {
    this.unsubscribe();
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
  }

  private async onInserted(data: { connectionId: string; table: string }): Promise<void> {
    try {
      const tables = await this.deps.pipeline.tables(data.connectionId);
      const downstream = tables
        .filter((t) => t.foreign_keys.some((fk) => fk.parent === data.table))
        .map((t) => t.full_name);
      this.deps.events.emit('jobs.changed', {
        connectionId: data.connectionId,
        tables: [data.table, ...downstream],
        source: 'insert',
      });
    } catch (e) {
      this.deps.log.warn('could not announce an insert', { table: data.table, error: String(e) });
    }
  }

  private async onPolled(connectionId: string, changed: string[]): Promise<void> {
    this.deps.populate.wake(connectionId, changed);
    this.deps.events.emit('jobs.changed', { connectionId, tables: changed, source: 'poll' });
    const tables = await this.deps.pipeline.tables(connectionId);
    await this.deps.callbacks.announce(
      connectionId,
      tables.filter((t) => changed.includes(t.full_name)),
    );
  }
}
