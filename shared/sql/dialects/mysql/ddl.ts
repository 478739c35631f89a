import type {
  ResolvedColumn,
  ResolvedForeignKey,
  ResolvedIndex,
  ResolvedTable,
} from '../../../model/definition/heading';
import { qualifyMysql, quoteMysql } from './quote';
import { type MysqlLiteralOptions, mysqlDefault, mysqlString } from '../../ddl/literals';

/**
 * MySQL/MariaDB DDL in the shape of DataJoint's declare (declare.py:291): columns, PRIMARY KEY,
 * foreign keys, then indexes, `ENGINE=InnoDB, COMMENT`. Differences are of spelling only:
 * literals use single quotes (valid under ANSI_QUOTES too), nullable columns say `NULL`
 * explicitly (so timestamps stay nullable whatever explicit_defaults_for_timestamp says), and
 * numeric defaults are not quoted.
 */

/** Options of the MySQL DDL writers. */
export interface MysqlDdlOptions extends MysqlLiteralOptions {
  /** `IF NOT EXISTS`, as DataJoint writes it (default true). */
  ifNotExists?: boolean;
}

const q = (name: string) => quoteMysql(name);
const cols = (names: readonly string[]) => names.map(q).join(',');

/** `CREATE DATABASE`: a DataJoint schema is a MySQL database (schemas.py:140). */
export function mysqlCreateDatabase(schema: string, opts: MysqlDdlOptions = {}): string {
  return `CREATE DATABASE ${opts.ifNotExists === false ? '' : 'IF NOT EXISTS '}${q(schema)}`;
}

/** `CREATE TABLE` for a resolved table, equal in meaning to what DataJoint 0.14 declares. */
export function mysqlCreateTable(t: ResolvedTable, opts: MysqlDdlOptions = {}): string {
  const lines = [
    ...t.columns.map((c) => mysqlColumn(c, opts)),
    `PRIMARY KEY (${cols(t.primaryKey)})`,
    ...t.foreignKeys.map(mysqlForeignKey),
    ...t.indexes.filter((ix) => ix.origin !== 'serial').map(mysqlIndex),
  ];
  const head = `CREATE TABLE ${opts.ifNotExists === false ? '' : 'IF NOT EXISTS '}${qualifyMysql(t.schema, t.tableName)}`;
  return `${head} (\n${lines.join(',\n')}\n) ENGINE=InnoDB, COMMENT ${mysqlString(t.comment, opts)}`;
}

/** One column clause: `` `name` type NOT NULL [AUTO_INCREMENT] [DEFAULT ...] [COMMENT '...'] ``. */
export function mysqlColumn(c: ResolvedColumn, opts: MysqlLiteralOptions = {}): string {
  const parts = [q(c.name), c.sqlType, c.nullable ? 'NULL' : 'NOT NULL'];
  // serial already means NOT NULL AUTO_INCREMENT UNIQUE
  if (c.autoIncrement && c.type.kind !== 'serial') parts.push('AUTO_INCREMENT');
  if (c.default) parts.push(`DEFAULT ${mysqlDefault(c.default, opts)}`);
  if (c.sqlComment) parts.push(`COMMENT ${mysqlString(c.sqlComment, opts)}`);
  return parts.join(' ');
}

/** `FOREIGN KEY (...) REFERENCES db.parent (...) ON UPDATE ... ON DELETE ...`. */
export function mysqlForeignKey(fk: ResolvedForeignKey): string {
  return (
    `FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${qualifyMysql(fk.refSchema, fk.refTable)} (${cols(fk.refColumns)}) ` +
    `ON UPDATE ${fk.onUpdate} ON DELETE ${fk.onDelete}`
  );
}

/** `UNIQUE INDEX (...)` or `INDEX (...)`; the server names it after its first column as for DataJoint. */
export function mysqlIndex(ix: ResolvedIndex): string {
  return `${ix.unique ? 'UNIQUE ' : ''}INDEX (${cols(ix.columns)})`;
}
