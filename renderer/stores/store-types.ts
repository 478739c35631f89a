import type { StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../../shared/api/client';
import type { Envelope } from '../../shared/api/envelope';

/** How the page logs in; a no-op in the desktop app. Injected so slices stay testable. */
export interface SessionPort {
  transport: 'ipc' | 'web';
  takeLoginToken(): string | null;
  login(token: string): Promise<Envelope<unknown>>;
  /** Logs in with a database account (`joinery serve --auth mysql`). */
  loginWithPassword(user: string, password: string): Promise<Envelope<unknown>>;
  logout(): Promise<Envelope<unknown>>;
  onLoginRequired(listener: () => void): () => void;
}

/** Everything slices need from outside: the API client and the login hooks. */
export interface StoreDeps {
  api: ApiClient;
  session: SessionPort;
}

/**
 * One slice: its state and actions, built with access to the store. `S` is what the slice reads
 * and writes: its own state plus the parts of sibling slices it uses (the whole state, AppState,
 * is assembled in app-state.ts, so no slice depends on it).
 */
export type SliceCreator<T, S extends T = T> = (
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
  deps: StoreDeps,
) => T;
