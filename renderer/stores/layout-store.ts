import { create } from 'zustand';

/** A point in the diagram's coordinates. */
export interface DiagramPoint {
  x: number;
  y: number;
}

/**
 * Positions of diagram nodes that do not exist yet: the designer records where a new table was
 * dropped (`<schema>.<table_name>` -> point) when it declares the table, and the diagram takes the
 * point into its remembered positions when the node first appears. Client state only.
 */
export interface LayoutStore {
  pendingPositions: Record<string, DiagramPoint>;
  setPendingPosition(table: string, point: DiagramPoint): void;
  /** Returns and forgets the position waiting for `table`, if any. */
  takePendingPosition(table: string): DiagramPoint | undefined;
}

export const useLayoutStore = create<LayoutStore>()((set, get) => ({
  pendingPositions: {},
  setPendingPosition(table, point) {
    set((s) => ({ pendingPositions: { ...s.pendingPositions, [table]: point } }));
  },
  takePendingPosition(table) {
    const point = get().pendingPositions[table];
    if (point) {
      set((s) => {
        const rest = { ...s.pendingPositions };
        delete rest[table];
        return { pendingPositions: rest };
      });
    }
    return point;
  },
}));
