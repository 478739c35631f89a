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

/** One table of the migration being drafted: its new definition and what the change file adds to it. */
export interface MigrationDraftTable {
  /** `<schema>.<table_name>` of the existing table. */
  table: string;
  /** The whole new definition, as typed. */
  definition: string;
  /** Values of new attributes for the existing rows, as typed (attribute -> text). */
  values: Record<string, string>;
  /** Attribute renames, old name -> new name. */
  renames: Record<string, string>;
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
    /** The migration being drafted (the Migrations page edits it; the designer hands an edit over). */
    migrationDraft: MigrationDraftTable[];
    /** `<schema>.<table_name>` of tables the diagram draws highlighted (a migration's affected set, a jobs plan). */
    highlight: string[];
    /** Why they are highlighted, as the diagram says it (null: a migration being planned). */
    highlightNote: string | null;
    /** A short label drawn on highlighted nodes, by table (e.g. "+12 jobs"). */
    highlightBadges: Record<string, string>;
  };
  openDesigner(request: DesignerRequest): void;
  closeDesigner(): void;
  /** Shows a table in the data browser (switches to the Data page). */
  browseTable(key: string): void;
  /** Adds (or replaces) a table of the migration draft with a new definition and shows the Migrations page. */
  openMigration(request: { table: string; definition: string }): void;
  setMigrationDraft(tables: MigrationDraftTable[]): void;
  /** Tables the diagram highlights ([] for none), with why and a label per table. */
  highlightTables(keys: string[], opts?: { note?: string; badges?: Record<string, string> }): void;
}

export const createWorkbenchSlice: SliceCreator<WorkbenchSlice, WorkbenchSlice & UiSlice> = (set, get) => ({
  workbench: {
    designer: null,
    browse: null,
    migrationDraft: [],
    highlight: [],
    highlightNote: null,
    highlightBadges: {},
  },
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
  openMigration({ table, definition }) {
    set((s) => {
      const others = s.workbench.migrationDraft.filter((t) => t.table !== table);
      const entry: MigrationDraftTable = { table, definition, values: {}, renames: {} };
      return { workbench: { ...s.workbench, designer: null, migrationDraft: [...others, entry] } };
    });
    get().navigate('migrations');
  },
  setMigrationDraft(tables) {
    set((s) => ({ workbench: { ...s.workbench, migrationDraft: tables } }));
  },
  highlightTables(keys, opts = {}) {
    set((s) => ({
      workbench: {
        ...s.workbench,
        highlight: keys,
        highlightNote: keys.length ? (opts.note ?? null) : null,
        highlightBadges: keys.length ? (opts.badges ?? {}) : {},
      },
    }));
  },
});
