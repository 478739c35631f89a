import type { StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../../shared/api/client';
import type { Envelope } from '../../shared/api/envelope';
import type { ConnectionSlice } from './connection-slice';
import type { PipelineSlice } from './pipeline-slice';
import type { SessionSlice } from './session-slice';
import type { UiSlice } from './ui-slice';
import type { WorkbenchSlice } from './workbench-slice';

/** The whole renderer state: one store made of slices (zustand's slices pattern). */
export type AppState = SessionSlice & ConnectionSlice & PipelineSlice & UiSlice & WorkbenchSlice;

/** How the page logs in; a no-op in the desktop app. Injected so slices stay testable. */
export interface SessionPort {
  transport: 'ipc' | 'web';
  takeLoginToken(): string | null;
  login(token: string): Promise<Envelope<unknown>>;
  onLoginRequired(listener: () => void): () => void;
}

/** Everything slices need from outside: the API client and the login hooks. */
export interface StoreDeps {
  api: ApiClient;
  session: SessionPort;
}

export type SetState = StoreApi<AppState>['setState'];
export type GetState = StoreApi<AppState>['getState'];

/** One slice: its state and actions, built with access to the whole store. */
export type SliceCreator<T> = (set: SetState, get: GetState, deps: StoreDeps) => T;
