import type { MigrationChange, MigrationLiteral, MigrationPlanView } from '../api/schemas/migration';
import type { ResolvedTable } from '../model/definition/heading';

/**
 * The planner's output as the executor needs it: for every table of the affected set, its new
 * heading (final names), its shadow (hidden name, foreign keys to the other shadows) and how each
 * new column is filled from the old rows. Plain JSON, so the journal stores it verbatim.
 */

/** A table's address. */
export interface TableRef {
  schema: string;
  tableName: string;
}

/** Where a new column's values come from. */
export type ColumnSource =
  | { kind: 'column'; column: string }
  | { kind: 'literal'; value: MigrationLiteral }
  | { kind: 'parent'; join: number; column: string }
  | { kind: 'default' }
  | { kind: 'null' };

/** A join of the source rows to a parent (already copied shadow, or a live table) on the old key. */
export interface CopyJoin {
  /** Index in `MigrationPlan.tables` of a parent in the affected set, or null for a live table. */
  planIndex: number | null;
  table: TableRef;
  /** parentColumn = source.sourceColumn, for each pair. */
  on: Array<{ parentColumn: string; sourceColumn: string }>;
}

/** One table of the affected set. */
export interface PlanTable {
  role: 'changed' | 'dependent' | 'split';
  /** The live table rows are read from (for a split table: the table it is split from). */
  source: TableRef;
  /** The live table that this one replaces; null for a new (split) table. */
  replaces: TableRef | null;
  sourceKey: string[];
  sourceColumns: string[];
  target: ResolvedTable;
  shadow: ResolvedTable;
  /** Hidden name the replaced table gets after the swap (kept for rollback). */
  oldName: string | null;
  columns: Array<{ name: string; from: ColumnSource }>;
  joins: CopyJoin[];
  /** Columns carried with the same stored type: compared by checksum (old name -> new name). */
  carried: Array<{ from: string; to: string }>;
  keyChanged: boolean;
  /** Old attribute -> new attribute, explicit and cascaded from renamed parent keys. */
  renames: Record<string, string>;
  rows: number;
}

/** A whole plan. */
export interface MigrationPlan {
  id: string;
  /** Schema whose `~joinery_migration` journal holds this migration. */
  homeSchema: string;
  changes: MigrationChange[];
  tables: PlanTable[];
  view: MigrationPlanView;
}
