import type { ConnectionSlice } from './connection-slice';
import type { SliceCreator } from './store-types';

/** The screens of the left navigation, in order. */
export const PAGE_IDS = ['pipeline', 'data', 'jobs', 'workers', 'migrations', 'settings'] as const;
export type PageId = (typeof PAGE_IDS)[number];

/** True for a known page id (the id came from the address bar). */
export function isPageId(value: string): value is PageId {
  return (PAGE_IDS as readonly string[]).includes(value);
}

export interface UiSlice {
  ui: { page: PageId };
  /** Shows a page; leaves the connection screen if it was shown over an open connection. */
  navigate(page: PageId): void;
}

export const createUiSlice: SliceCreator<UiSlice, UiSlice & ConnectionSlice> = (set) => ({
  ui: { page: 'pipeline' },
  navigate(page) {
    set((s) => {
      const leavesSwitch = s.connections.isPicking && s.connections.currentId !== null;
      if (s.ui.page === page && !leavesSwitch) return s;
      return {
        ui: { ...s.ui, page },
        ...(leavesSwitch ? { connections: { ...s.connections, isPicking: false, error: null, probe: null } } : {}),
      };
    });
  },
});
