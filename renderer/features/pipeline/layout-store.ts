import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Point } from './layout';

/** The pipeline a layout belongs to: the connection's URL and the set of schemas shown. */
export function pipelineLayoutKey(connectionUrl: string, schemas: readonly string[]): string {
  return `${connectionUrl}|${[...schemas].sort().join(',')}`;
}

interface LayoutMemory {
  /** Positions the user dragged, per pipeline (pipelineLayoutKey), per node id. */
  moved: Record<string, Record<string, Point>>;
  move(pipeline: string, nodeId: string, at: Point): void;
  /** Forgets the dragged positions of one pipeline (the "Reset layout" action). */
  reset(pipeline: string): void;
  /** The schemas chosen per connection URL (absent: every schema). */
  chosenSchemas: Record<string, string[]>;
  chooseSchemas(connectionUrl: string, schemas: string[] | null): void;
}

/** Where the user put nodes and which schemas they chose, kept in localStorage so it survives a reload. */
export const useLayoutMemory = create<LayoutMemory>()(
  persist(
    (set) => ({
      moved: {},
      move(pipeline, nodeId, at) {
        set((s) => ({ moved: { ...s.moved, [pipeline]: { ...s.moved[pipeline], [nodeId]: at } } }));
      },
      chosenSchemas: {},
      chooseSchemas(connectionUrl, schemas) {
        set((s) => {
          const { [connectionUrl]: _old, ...rest } = s.chosenSchemas;
          return { chosenSchemas: schemas === null ? rest : { ...rest, [connectionUrl]: schemas } };
        });
      },
      reset(pipeline) {
        set((s) => {
          const { [pipeline]: _gone, ...rest } = s.moved;
          return { moved: rest };
        });
      },
    }),
    { name: 'joinery.diagram-layout', version: 1, storage: createJSONStorage(() => localStorage) },
  ),
);
