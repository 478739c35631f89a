import { useStore } from 'zustand';
import {
  api,
  login,
  loginWithPassword,
  logout,
  onLoginRequired,
  takeStartupLoginToken,
  transportKind,
} from '../api/client';
import { createAppStore } from './app-store';
import type { AppState } from './app-state';

/** The page's one store, wired to the real API client. */
export const appStore = createAppStore({
  api,
  session: {
    transport: transportKind,
    takeLoginToken: takeStartupLoginToken,
    login,
    loginWithPassword,
    logout,
    onLoginRequired,
  },
});

/** Reads from the store; select narrowly (one value, or `useShallow` for a few). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
