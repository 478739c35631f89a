import type { ConnectionSummary } from '../../shared/api/schemas/connection';
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
