import type { SliceCreator } from './store-types';

/** A tier as the diagram filters it (`none`: a name that follows no tier rule). */
export type TierChoice = 'Lookup' | 'Manual' | 'Imported' | 'Computed' | 'Part' | 'none';

/**
 * Client state of the pipeline diagram (its server state, pipeline.inspect, lives in TanStack
 * Query): the selected table and what the user chose to see.
 */
export interface PipelineState {
  /** The connection the view belongs to; another connection starts from a fresh view. */
  connectionId: string | null;
  /** `<schema>.<table_name>` of the selected table. */
  selected: string | null;
  /** Schemas shown (null: every schema of the connection). */
  schemas: string[] | null;
  hiddenTiers: TierChoice[];
  /** Schemas drawn as one node. */
  collapsed: string[];
}

export interface PipelineSlice {
  pipeline: PipelineState;
  /** Starts a fresh view (showing `schemas`, default all) when the diagram shows another connection than before. */
  viewConnection(connectionId: string, schemas?: string[] | null): void;
  selectTable(key: string | null): void;
  showSchemas(schemas: string[] | null): void;
  toggleTier(tier: TierChoice): void;
  toggleCollapsed(schema: string): void;
}

const FRESH = { selected: null, schemas: null, hiddenTiers: [], collapsed: [] };

const toggle = <T>(list: readonly T[], item: T): T[] =>
  list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

export const createPipelineSlice: SliceCreator<PipelineSlice> = (set, get) => {
  const patch = (p: Partial<PipelineState>) => set((s) => ({ pipeline: { ...s.pipeline, ...p } }));
  return {
    pipeline: { connectionId: null, ...FRESH },
    viewConnection(connectionId, schemas = null) {
      if (get().pipeline.connectionId !== connectionId) patch({ connectionId, ...FRESH, schemas });
    },
    selectTable(key) {
      patch({ selected: key });
    },
    showSchemas(schemas) {
      patch({ schemas });
    },
    toggleTier(tier) {
      patch({ hiddenTiers: toggle(get().pipeline.hiddenTiers, tier) });
    },
    toggleCollapsed(schema) {
      patch({ collapsed: toggle(get().pipeline.collapsed, schema) });
    },
  };
};
