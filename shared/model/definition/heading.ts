import type { TableInfo } from '../../api/schemas/pipeline';
import { splitTypeComment, stripDisplayWidth } from '../table-info';
import type { DataType, DefaultValue } from './ast';
import { storedType } from './sql-types';
import { dataTypeFromText } from './types';
import type { Conventions } from '../conventions';

/**
 * The resolved heading of a table: what a definition means once its parents are known. Both
 * DDL writers (MySQL, SQLite) work from this one shape, so the engines cannot drift apart.
 */

/** One column of the table, in declaration order (foreign-key attributes where the `->` stood). */
export interface ResolvedColumn {
  name: string;
  /** The type that is stored: adapted types are replaced by their adapter's type. */
  type: DataType;
  /** The type DataJoint reports (`uuid`, `attach@raw`, `<graph>`, `int unsigned`). */
  datajointType: string;
  /** The type written in CREATE TABLE (`int unsigned`, `binary(16)`, `longblob`). */
  sqlType: string;
  /** MariaDB's COLUMN_TYPE for it (`int(10) unsigned`). */
  columnType: string;
  nullable: boolean;
  /** The DEFAULT clause; null writes none (NOT NULL columns then need a value, nullable ones default to NULL). */
  default: DefaultValue | null;
  /** The user's comment, without the `:type:` marker. */
  comment: string;
  /** The stored column comment, `:type:` marker included. */
  sqlComment: string;
  inKey: boolean;
  autoIncrement: boolean;
  /** External store for `blob@s`, `attach@s`, `filepath@s`. */
  store: string | null;
  /** Index in `foreignKeys` of the foreign key that brought this column, or null. */
  fromForeignKey: number | null;
}

/** A foreign key: to a parent table (CASCADE/RESTRICT) or to an external store's `~external_<store>`. */
export interface ResolvedForeignKey {
  kind: 'parent' | 'external';
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onUpdate: 'CASCADE' | 'RESTRICT';
  onDelete: 'RESTRICT';
  nullable: boolean;
  unique: boolean;
  /** All columns are in the primary key (DataJoint's "primary" dependency). */
  primary: boolean;
}

/** A secondary index, in declaration order; `origin` says which line made it. */
export interface ResolvedIndex {
  columns: string[];
  unique: boolean;
  origin: 'index' | 'foreign_key' | 'serial';
}

/** A table ready to declare. */
export interface ResolvedTable {
  schema: string;
  tableName: string;
  comment: string;
  columns: ResolvedColumn[];
  primaryKey: string[];
  foreignKeys: ResolvedForeignKey[];
  indexes: ResolvedIndex[];
  /** External stores the table refers to, in first-use order (their `~external_<store>` must exist). */
  stores: string[];
  /** DataJoint 2.x: stores its codecs use (`''`: the default store); they must be configured here. */
  codecStores?: string[];
  /** Whose conventions the table was resolved in (absent: 0.14). */
  conventions?: Conventions;
}

/** A primary-key attribute of a parent as DataJoint's heading gives it. */
export interface ParentKeyAttribute {
  name: string;
  /** The SQL type; integer display widths are dropped as DataJoint does (`int(10) unsigned` -> `int unsigned`). */
  sqlType: string;
  /** The raw stored comment, `:type:` marker included. */
  comment: string;
  /** The DataJoint type, for display; the resolver derives its own from `sqlType` and `comment`. */
  datajointType?: string;
}

/** What a foreign key needs from its parent: where it lives and its primary key in order. */
export interface ParentHeading {
  schema: string;
  tableName: string;
  primaryKey: ParentKeyAttribute[];
}

/** The parent view of a resolved table, for declaring its children next. */
export function parentFromResolved(t: ResolvedTable): ParentHeading {
  return {
    schema: t.schema,
    tableName: t.tableName,
    // 2.x's hidden `_singleton` is no key a child can refer to
    primaryKey: t.primaryKey
      .filter((name) => !name.startsWith('_'))
      .map((name) => {
        const c = t.columns.find((col) => col.name === name)!;
        return {
          name,
          sqlType: stripDisplayWidth(c.columnType),
          comment: c.sqlComment,
          datajointType: c.datajointType,
        };
      }),
  };
}

/** The parent view of a table read from a database (`toTableInfo`). */
export function parentFromTableInfo(t: TableInfo): ParentHeading {
  return {
    schema: t.schema,
    tableName: t.table_name,
    primaryKey: t.primary_key.map((name) => {
      const a = t.attributes.find((attr) => attr.name === name)!;
      return { name, sqlType: stripDisplayWidth(a.sql_type), comment: a.sql_comment, datajointType: a.datajoint_type };
    }),
  };
}

/**
 * The stored type of an existing column from its SQL type and raw comment: `:uuid:` makes
 * `binary(16)` a uuid, `:<adapter>:` keeps the adapter's type, SQL-only types stay `sql`.
 */
export function typeOfStoredColumn(sqlType: string, comment: string): { type: DataType; special: string | null } {
  const { special } = splitTypeComment(comment);
  if (special === 'uuid') return { type: { kind: 'uuid' }, special };
  if (special && /^(attach|blob|filepath)(@|$)/.test(special)) {
    const t = dataTypeFromText(special, { sqlFallback: true });
    if (t.kind !== 'sql') return { type: t, special };
  }
  return { type: dataTypeFromText(sqlType, { sqlFallback: true }), special };
}

/** MariaDB's COLUMN_TYPE of a stored type, falling back to the SQL text for SQL-only types. */
export function columnTypeOf(t: DataType): string {
  return t.kind === 'sql' ? t.sql : storedType(t).columnType;
}
