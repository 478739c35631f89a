import { useState } from 'react';
import type { MigrationState } from '../../../shared/api/schemas/migration';
import { useCoreEvent } from '../../api/hooks';

/** What `migration.progress` and `migration.finished` events said about one migration so far. */
export interface RunProgress {
  phase: string;
  /** Per table (`<schema>.<table_name>` of the target): rows copied of total. */
  tables: Record<string, { rows: number; total: number }>;
  /** When (Date.now()) the latest event of this migration arrived. */
  at: number;
  /** Set by `migration.finished` (cleared again when a resumed run reports progress). */
  ended?: { state: MigrationState; error: string | null };
}

/**
 * Collects `migration.progress` of every migration of the connection, by id: on SQLite a small
 * migration may finish before apply's answer (with the id) arrives, so events are kept for any
 * id and the screen picks its own once known. The final state comes from migration.status,
 * which `migration.finished` makes stale (query-keys.ts); the event itself says the run ended.
 */
export function useMigrationProgress(connectionId: string): Record<string, RunProgress> {
  const [byId, setById] = useState<Record<string, RunProgress>>({});
  useCoreEvent('migration.progress', (e) => {
    if (e.connectionId !== connectionId) return;
    setById((all) => {
      const before = all[e.id] ?? { phase: e.phase, tables: {}, at: 0 };
      const tables = e.table ? { ...before.tables, [e.table]: { rows: e.rows, total: e.total } } : before.tables;
      return { ...all, [e.id]: { phase: e.phase, tables, at: Date.now() } };
    });
  });
  useCoreEvent('migration.finished', (e) => {
    if (e.connectionId !== connectionId) return;
    setById((all) => {
      const before = all[e.id] ?? { phase: 'done', tables: {}, at: 0 };
      return { ...all, [e.id]: { ...before, at: Date.now(), ended: { state: e.state, error: e.error } } };
    });
  });
  return byId;
}
