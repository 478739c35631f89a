import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { DbDriver } from '../db/driver';
import type { Logger } from '../log';
import { hiddenTables } from '../db/catalog/hidden-tables';
import { readerQueue } from './queue';

/** What the watcher reports: tables whose row count (or `~jobs` state) changed since the last look. */
export type CountsChanged = (tables: string[]) => void | Promise<void>;

/**
 * Notices writes made by other clients (DataJoint Python, other Joinery processes) by polling
 * cheap counts: one UNION ALL of COUNT(*) per table plus the `~jobs` status counts, every
 * `intervalMs`. No broker, no triggers in the database; an insert made through this process is
 * announced at once instead (data.inserted).
 */
export class CountWatcher {
  private timer: NodeJS.Timeout | null = null;
  private last = new Map<string, string>();
  private busy = false;

  constructor(
    private readonly deps: {
      db: DbDriver;
      tables: () => Promise<readonly TableInfo[]>;
      schemas: readonly string[] | undefined;
      onChange: CountsChanged;
      log: Logger;
    },
  ) {}

  /**
   * (Re)starts polling every `intervalMs`; 0 stops. Resolves once the first look has learned the
   * counts, so a write made after the watch started is always noticed as a change.
   */
  async setInterval(intervalMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = intervalMs > 0 ? setInterval(() => void this.tick(), intervalMs) : null;
    if (this.timer && this.last.size === 0) {
      while (this.busy) await new Promise((r) => setTimeout(r, 10));
      await this.tick();
    }
  }

  /** Stops polling. */
  stop(): void {
    void this.setInterval(0);
  }

  /** One look; resolves with the tables that changed (the first look only learns the counts). */
  async tick(): Promise<string[]> {
    if (this.busy) return [];
    this.busy = true;
    try {
      const counts = await this.counts();
      const first = this.last.size === 0;
      const changed = [...counts].filter(([t, n]) => this.last.get(t) !== n).map(([t]) => t);
      this.last = counts;
      if (!first && changed.length) await this.deps.onChange(changed);
      return first ? [] : changed;
    } catch (e) {
      this.deps.log.warn('polling counts failed', { error: String(e) });
      return [];
    } finally {
      this.busy = false;
    }
  }

  private async counts(): Promise<Map<string, string>> {
    const { db } = this.deps;
    const tables = (await this.deps.tables()).filter((t) => !this.deps.schemas || this.deps.schemas.includes(t.schema));
    const out = new Map<string, string>();
    const parts = tables.map((t) => `SELECT ? AS t, COUNT(*) AS n FROM ${db.dialect.qualify(t.schema, t.table_name)}`);
    const params: unknown[] = tables.map((t) => t.full_name);
    for (const schema of new Set(tables.map((t) => t.schema))) {
      const hidden = await hiddenTables(db, schema);
      // queue changes are reported against the table they concern
      const count = readerQueue(hidden).count(
        db.dialect,
        schema,
        hidden,
        tables.filter((t) => t.schema === schema),
      );
      if (!count) continue;
      parts.push(count.sql);
      params.push(...count.params);
    }
    if (parts.length === 0) return out;
    const rows = await db.query<{ t: string; n: number | string }>(parts.join(' UNION ALL '), params);
    for (const r of rows) out.set(String(r.t), `${out.get(String(r.t)) ?? ''}${Number(r.n)}/`);
    return out;
  }
}
