import { createStore, type StoreApi } from 'zustand/vanilla';
import { createConnectionSlice } from './connection-slice';
import { createPipelineSlice } from './pipeline-slice';
import { createSessionSlice } from './session-slice';
import type { AppState } from './app-state';
import type { StoreDeps } from './store-types';
import { createUiSlice } from './ui-slice';
import { createWorkbenchSlice } from './workbench-slice';

/** Builds the renderer's store from its slices; tests pass a fake API client. */
export function createAppStore(deps: StoreDeps): StoreApi<AppState> {
  return createStore<AppState>()((set, get) => ({
    ...createSessionSlice(set, get, deps),
    ...createConnectionSlice(set, get, deps),
    ...createPipelineSlice(set, get, deps),
    ...createUiSlice(set, get, deps),
    ...createWorkbenchSlice(set, get, deps),
  }));
}
