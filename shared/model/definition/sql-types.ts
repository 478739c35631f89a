import type { DataType, IntegerBase } from './ast';
import { formatDataType } from './types';

/**
 * How each DataJoint type is stored in MySQL (declare.py substitute_special_type): uuid and
 * external types become `binary(16)`, internal attach `longblob`, special types keep their name
 * in a `:type:` comment prefix. `columnType` is what MariaDB then reports as COLUMN_TYPE, which
 * Joinery also records for SQLite so both engines read back the same attributes.
 */

/** One type's storage. */
export interface StoredType {
  /** The type written in CREATE TABLE (without auto_increment, which is a column option). */
  sqlType: string;
  /** MariaDB's COLUMN_TYPE for it (`int(10) unsigned`, `tinyint(1)`, `year(4)`). */
  columnType: string;
  /** The `:type:` comment marker without colons (`uuid`, `attach@raw`), or null for plain types. */
  special: string | null;
  /** The external store, for `blob@s`, `attach@s`, `filepath@s`. */
  store: string | null;
}

const DISPLAY_WIDTH: Record<IntegerBase, [number, number]> = {
  tinyint: [4, 3],
  smallint: [6, 5],
  mediumint: [9, 8],
  int: [11, 10],
  bigint: [20, 20],
};

const UUID_SQL = 'binary(16)';

/** The enum type with values quoted the SQL way (`''` doubles a quote); backslashes are refused at parse. */
export function enumSql(values: readonly string[]): string {
  return `enum(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')})`;
}

/** Storage of a type; adapted types must be replaced by their adapter's type first. */
export function storedType(t: DataType): StoredType {
  const plain = (sqlType: string, columnType = sqlType): StoredType => ({
    sqlType,
    columnType,
    special: null,
    store: null,
  });
  const special = (sqlType: string, name: string, store: string | null = null): StoredType => ({
    sqlType,
    columnType: sqlType,
    special: name,
    store,
  });
  const u = (unsigned: boolean) => (unsigned ? ' unsigned' : '');
  switch (t.kind) {
    case 'integer': {
      const width = t.width ?? DISPLAY_WIDTH[t.base][t.unsigned ? 1 : 0];
      return plain(
        `${t.base}${t.width !== null ? `(${t.width})` : ''}${u(t.unsigned)}`,
        `${t.base}(${width})${u(t.unsigned)}`,
      );
    }
    case 'serial':
      return plain('serial', 'bigint(20) unsigned');
    case 'bool':
      return plain('bool', 'tinyint(1)');
    case 'decimal':
      return plain(formatDataType(t), `decimal(${t.precision ?? 10},${t.scale ?? 0})${u(t.unsigned)}`);
    case 'float':
      return plain(formatDataType(t), floatColumnType(t));
    case 'enum':
      return plain(enumSql(t.values));
    case 'temporal': {
      const columnType = t.base === 'year' ? 'year(4)' : `${t.base}${t.precision ? `(${t.precision})` : ''}`;
      return plain(formatDataType(t), columnType);
    }
    case 'uuid':
      return special(UUID_SQL, 'uuid');
    case 'attach':
      return t.store ? special(UUID_SQL, `attach@${t.store}`, t.store) : special('longblob', 'attach');
    case 'blob':
      return t.store ? special(UUID_SQL, `blob@${t.store}`, t.store) : plain(formatDataType(t));
    case 'filepath':
      return special(UUID_SQL, `filepath@${t.store}`, t.store);
    case 'adapted':
      throw new RangeError(`adapted type <${t.adapter}> must be resolved to its adapter's type first`);
    default:
      return plain(formatDataType(t));
  }
}

function floatColumnType(t: Extract<DataType, { kind: 'float' }>): string {
  const u = t.unsigned ? ' unsigned' : '';
  if (t.scale !== null) return `${t.base === 'float' ? 'float' : 'double'}(${t.precision},${t.scale})${u}`;
  const single = t.base === 'float' && (t.precision === null || t.precision <= 24);
  return `${single ? 'float' : 'double'}${u}`;
}
