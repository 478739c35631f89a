import { create } from 'zustand';
import type { JobListStatus, JobSortColumn } from '../../../shared/api/schemas/jobs';

/** The filters of the Jobs view (client state; the server does the filtering). */
export interface JobFilters {
  statuses: JobListStatus[];
  /** `<schema>.<table_name>`, or '' for every table. */
  table: string;
  worker: string;
  errorText: string;
  /** `YYYY-MM-DDTHH:MM` as a datetime-local input gives it, or ''. */
  from: string;
  to: string;
  sort: { by: JobSortColumn; desc: boolean };
}

export const NO_FILTERS: JobFilters = {
  statuses: [],
  table: '',
  worker: '',
  errorText: '',
  from: '',
  to: '',
  sort: { by: 'timestamp', desc: true },
};

export type JobsTab = 'progress' | 'jobs' | 'timeline';

interface JobsUiState {
  tab: JobsTab;
  filters: JobFilters;
  /** The job open in the detail pane (`<schema>.<table_name>:<key_hash>`). */
  openJob: string | null;
  /** Jobs ticked for a bulk action. */
  selected: ReadonlySet<string>;
  /** The jobs list has shown its first rows (slower panels wait for it, so rows come first). */
  listReady: boolean;
  /** Populates started from this window, newest first. */
  populates: { id: string; connectionId: string; label: string }[];
  setTab(tab: JobsTab): void;
  setListReady(ready: boolean): void;
  setFilters(patch: Partial<JobFilters>): void;
  open(id: string | null): void;
  toggle(id: string, on: boolean): void;
  setSelected(ids: Iterable<string>): void;
  addPopulate(p: { id: string; connectionId: string; label: string }): void;
}

/** Client state of the job monitor: tab, filters, the open job, the selection and this window's populates. */
export const useJobsUi = create<JobsUiState>((set) => ({
  tab: 'progress',
  filters: NO_FILTERS,
  openJob: null,
  selected: new Set(),
  populates: [],
  listReady: false,
  setTab: (tab) => set({ tab }),
  setListReady: (listReady) => set({ listReady }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch }, selected: new Set() })),
  open: (openJob) => set({ openJob }),
  toggle: (id, on) =>
    set((s) => {
      const next = new Set(s.selected);
      if (on) next.add(id);
      else next.delete(id);
      return { selected: next };
    }),
  setSelected: (ids) => set({ selected: new Set(ids) }),
  addPopulate: (p) => set((s) => ({ populates: [p, ...s.populates].slice(0, 20) })),
}));
