/**
 * The syntax tree of DataJoint's table definition language (declare.py of DataJoint 0.14).
 * Items keep the order of their lines, so a foreign key's attributes land where its `->` stood
 * and printing gives back the author's layout in DataJoint's canonical spelling.
 */

/** A 1-based place in the definition text, for error messages and editors. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Integer base types; `integer` is read as `int`. */
export type IntegerBase = 'tinyint' | 'smallint' | 'mediumint' | 'int' | 'bigint';
/** Size prefixes shared by the blob and text families (`''` is plain `blob` / `text`). */
export type LobSize = 'tiny' | '' | 'medium' | 'long';
/** Temporal base types. */
export type TemporalBase = 'date' | 'datetime' | 'time' | 'timestamp' | 'year';

/**
 * One attribute type as DataJoint accepts it. Special types (uuid, attach, external stores,
 * adapters) stay special here; `shared/model/definition/sql-types` says how each is stored.
 */
export type DataType =
  | { kind: 'integer'; base: IntegerBase; width: number | null; unsigned: boolean; autoIncrement: boolean }
  | { kind: 'serial' }
  | { kind: 'decimal'; precision: number | null; scale: number | null; unsigned: boolean }
  | {
      kind: 'float';
      base: 'float' | 'double' | 'real';
      precision: number | null;
      scale: number | null;
      unsigned: boolean;
    }
  | { kind: 'char'; varying: boolean; length: number }
  | { kind: 'text'; size: LobSize }
  | { kind: 'enum'; values: string[] }
  | { kind: 'temporal'; base: TemporalBase; precision: number | null }
  | { kind: 'bool' }
  | { kind: 'json' }
  | { kind: 'uuid' }
  | { kind: 'blob'; size: LobSize; store: string | null }
  | { kind: 'attach'; store: string | null }
  | { kind: 'filepath'; store: string }
  | { kind: 'adapted'; adapter: string }
  /** Only from a parent's stored column: `binary(n)` and other SQL types DataJoint does not declare. */
  | { kind: 'sql'; sql: string };

/** A default value; `current_timestamp` covers `CURRENT_TIMESTAMP[(n)]` and MariaDB's `current_timestamp()`. */
export type DefaultValue =
  | { kind: 'null' }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'current_timestamp'; precision: number | null };

/** `name [= default] : type [# comment]`. */
export interface AttributeItem {
  kind: 'attribute';
  inKey: boolean;
  name: string;
  type: DataType;
  default: DefaultValue | null;
  comment: string;
  /**
   * DataJoint 2.x only: the type as declared (`int32`, `<blob@store>`), written as the column's
   * `:marker:`; `type` is then how it is stored. Absent for 0.14 and for native SQL types.
   */
  marker?: string;
  at?: SourcePosition;
  typeAt?: SourcePosition;
  defaultAt?: SourcePosition;
}

/** The table a foreign key names: `Class`, `Master.Part`, `schema.Class`, or `master` in a part. */
export interface ForeignKeyRef {
  schema: string | null;
  name: string;
}

/** `-> [nullable, unique] schema.Parent.proj(new="old") [# comment]`. */
export interface ForeignKeyItem {
  kind: 'foreign_key';
  inKey: boolean;
  ref: ForeignKeyRef;
  nullable: boolean;
  unique: boolean;
  /** `proj` renames as [new name, parent's name] pairs, in written order; null without `.proj`. */
  renames: Array<[string, string]> | null;
  comment: string;
  at?: SourcePosition;
  refAt?: SourcePosition;
}

/** `[unique] index (a, b) [# comment]`. */
export interface IndexItem {
  kind: 'index';
  inKey: boolean;
  unique: boolean;
  attributes: string[];
  comment: string;
  at?: SourcePosition;
  attributesAt?: SourcePosition[];
}

/** A `# ...` line other than the table comment; DataJoint ignores it, Joinery keeps it in place. */
export interface CommentItem {
  kind: 'comment';
  inKey: boolean;
  text: string;
  at?: SourcePosition;
}

/** One line of a definition. */
export type DefinitionItem = AttributeItem | ForeignKeyItem | IndexItem | CommentItem;

/**
 * A parsed definition: the table comment and the items in line order. Items with `inKey` come
 * first (the primary section), then the items after `---`.
 */
export interface TableDefinition {
  comment: string;
  items: DefinitionItem[];
}

/** A copy of the tree without source positions, for comparing two definitions. */
export function withoutPositions(def: TableDefinition): TableDefinition {
  return {
    comment: def.comment,
    items: def.items.map((item) => {
      const copy: Record<string, unknown> = { ...item };
      for (const k of ['at', 'typeAt', 'defaultAt', 'refAt', 'attributesAt']) delete copy[k];
      return copy as unknown as DefinitionItem;
    }),
  };
}
