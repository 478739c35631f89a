import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The migration run the Migrations page shows, per connection. */
export interface ShownRun {
  id: string;
  /** The plan's new tables, known before the first status answer. */
  tables: string[];
}

interface ShownRuns {
  byConnection: Record<string, ShownRun>;
  show(connectionId: string, run: ShownRun): void;
  forget(connectionId: string): void;
}

/**
 * Which run the page shows until the scientist starts another migration. Kept in sessionStorage,
 * so leaving the page or reloading the tab brings back the same run (and its outcome, if it
 * ended meanwhile) instead of an empty wizard.
 */
export const useShownRuns = create<ShownRuns>()(
  persist(
    (set) => ({
      byConnection: {},
      show(connectionId, run) {
        set((s) => ({ byConnection: { ...s.byConnection, [connectionId]: run } }));
      },
      forget(connectionId) {
        set((s) => {
          const { [connectionId]: _gone, ...rest } = s.byConnection;
          return { byConnection: rest };
        });
      },
    }),
    { name: 'joinery.migration-run', version: 1, storage: createJSONStorage(() => sessionStorage) },
  ),
);
