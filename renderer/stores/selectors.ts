import type { ConnectionSummary } from '../../shared/api/schemas/connection';
import type { TableInfo } from '../../shared/api/schemas/pipeline';
import { tableKey } from './pipeline-slice';
import type { AppState } from './app-state';

/** The open connection the screens show, or null. */
export function selectCurrentConnection(s: AppState): ConnectionSummary | null {
  const { currentId, open } = s.connections;
  return currentId === null ? null : (open.find((c) => c.id === currentId) ?? null);
}

/** True while the connection screen must be shown (nothing open, or the user is switching). */
export function selectShowsConnectionScreen(s: AppState): boolean {
  return s.connections.currentId === null || s.connections.isPicking;
}

/** The selected table of the loaded pipeline, or null. */
export function selectSelectedTable(s: AppState): TableInfo | null {
  const { info, selected } = s.pipeline;
  if (!info || selected === null) return null;
  for (const schema of Object.values(info.schemas)) {
    const t = schema.tables.find((x) => tableKey(schema.database, x.table_name) === selected);
    if (t) return t;
  }
  return null;
}
