import type { Dialect } from '../api/schemas/connection';
import type { Conventions } from './conventions';

/**
 * What the database itself says about its tables, before any DataJoint interpretation. Both
 * engines are read into this one shape; `shared/model/heading` turns it into DataJoint's model.
 */
export interface CatalogColumn {
  name: string;
  /** The column type as MySQL's COLUMN_TYPE would print it (SQLite: from Joinery's metadata). */
  sqlType: string;
  nullable: boolean;
  /** The default as the server reports it, or null for none. */
  default: string | null;
  /** The raw column comment, `:type:` prefix included. */
  comment: string;
  inKey: boolean;
  autoIncrement: boolean;
  /** MariaDB stores `json` as longtext with a json_valid CHECK; true when that check exists. */
  jsonChecked: boolean;
  /** DataJoint 2.x: the attribute's row of the schema's `~lineage`, where it has one. */
  lineage?: string;
}

/** A foreign key constraint, columns in constraint order. */
export interface CatalogForeignKey {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onUpdate: string;
  onDelete: string;
}

/** An index other than the primary key. */
export interface CatalogIndex {
  name: string;
  columns: string[];
  unique: boolean;
  /**
   * The name MariaDB gives such an index (after its first column), where the engine keeps
   * names of its own (SQLite's are unique per file): DataJoint 2.x lists indexes by this name.
   */
  serverName?: string;
}

/** One table as stored. */
export interface CatalogTable {
  schema: string;
  name: string;
  comment: string;
  columns: CatalogColumn[];
  primaryKey: string[];
  foreignKeys: CatalogForeignKey[];
  indexes: CatalogIndex[];
  rowCount: number;
}

/** All tables of the schemas read. */
export interface Catalog {
  dialect: Dialect;
  /** `conventions`: which DataJoint version's the schema follows (filled by the catalog reader). */
  schemas: { name: string; tables: CatalogTable[]; conventions?: Conventions }[];
}

/** How much a catalog read does: exact row counts cost a scan of every visible table. */
export interface CatalogOptions {
  /** Count the rows of every visible table (default true); hidden (`~`) tables are never counted. */
  rowCounts?: boolean;
}
