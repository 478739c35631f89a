import type { SliceCreator } from './store-types';
import type { UiSlice } from './ui-slice';

/** Where the table designer was asked for: a new table (optionally as a child of `parent`), or an edit. */
export interface DesignerRequest {
  mode: 'create' | 'edit';
  /** Schema of the new table, or of the edited one. */
  schema?: string;
  /** `<schema>.<table_name>` of the table to edit (mode 'edit'). */
  table?: string;
  /** `<schema>.<table_name>` of the parent a new child table references (drag from a parent node). */
  parent?: string;
  /** Diagram coordinates where the new node should appear. */
  position?: { x: number; y: number };
}

/**
 * Hand-offs between screens, so features stay apart (a feature never imports another): the diagram
 * asks for the designer or for a table's data here, and app.tsx shows what was asked for.
 */
export interface WorkbenchSlice {
  workbench: {
    designer: DesignerRequest | null;
    /** `<schema>.<table_name>` the data browser shows (null: its own choice). */
    browse: string | null;
  };
  openDesigner(request: DesignerRequest): void;
  closeDesigner(): void;
  /** Shows a table in the data browser (switches to the Data page). */
  browseTable(key: string): void;
}

export const createWorkbenchSlice: SliceCreator<WorkbenchSlice, WorkbenchSlice & UiSlice> = (set, get) => ({
  workbench: { designer: null, browse: null },
  openDesigner(request) {
    set((s) => ({ workbench: { ...s.workbench, designer: request } }));
  },
  closeDesigner() {
    set((s) => ({ workbench: { ...s.workbench, designer: null } }));
  },
  browseTable(key) {
    set((s) => ({ workbench: { ...s.workbench, browse: key } }));
    get().navigate('data');
  },
});
