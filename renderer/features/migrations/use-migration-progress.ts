import { useState } from 'react';
import { useCoreEvent } from '../../api/hooks';

/** What `migration.progress` events said about one migration so far. */
export interface RunProgress {
  phase: string;
  /** Per table (`<schema>.<table_name>` of the target): rows copied of total. */
  tables: Record<string, { rows: number; total: number }>;
}

/**
 * Collects `migration.progress` of every migration of the connection, by id: on SQLite a small
 * migration may finish before apply's answer (with the id) arrives, so events are kept for any
 * id and the screen picks its own once known. The final state comes from migration.status,
 * which `migration.finished` makes stale (query-keys.ts).
 */
export function useMigrationProgress(connectionId: string): Record<string, RunProgress> {
  const [byId, setById] = useState<Record<string, RunProgress>>({});
  useCoreEvent('migration.progress', (e) => {
    if (e.connectionId !== connectionId) return;
    setById((all) => {
      const before = all[e.id] ?? { phase: e.phase, tables: {} };
      const tables = e.table ? { ...before.tables, [e.table]: { rows: e.rows, total: e.total } } : before.tables;
      return { ...all, [e.id]: { phase: e.phase, tables } };
    });
  });
  return byId;
}
