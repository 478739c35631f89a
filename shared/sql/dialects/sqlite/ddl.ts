import { appError } from '../../../errors';
import type { DefaultValue } from '../../../model/definition/ast';
import type { ResolvedColumn, ResolvedForeignKey, ResolvedTable } from '../../../model/definition/heading';
import type { CompiledSql } from '../../dialect';
import { qualifySqlite, quoteSqlite } from './quote';
import { serverIndexes } from '../../ddl/innodb-keys';
import { numberLiteral, sqliteString } from '../../ddl/literals';
import { sqliteAffinity, sqliteCheck } from './ddl-checks';
import { reportedDefault, SQLITE_META_TABLE, SQLITE_SCHEMA_TABLE, sqliteTableMeta } from './ddl-meta';

/**
 * SQLite DDL with DataJoint's semantics: one file, tables named `"schema.table"`, the same
 * foreign keys and actions (enforced with PRAGMA foreign_keys=ON), CHECKs for MySQL's type
 * rules, the indexes InnoDB would have, and a metadata row with MySQL's types and comments.
 * Statements are returned in order and must run in one transaction.
 */

const q = (name: string) => quoteSqlite(name);
const cols = (names: readonly string[]) => names.map(q).join(', ');

/** `~joinery_table_meta`: per-table JSON keyed by the SQLite table name. */
export function sqliteMetaTableDdl(): CompiledSql {
  return {
    sql: `CREATE TABLE IF NOT EXISTS ${q(SQLITE_META_TABLE)} (table_name TEXT PRIMARY KEY NOT NULL, meta TEXT NOT NULL)`,
    params: [],
  };
}

/** Registers a schema (SQLite has no databases: a schema exists once named here or used as a prefix). */
export function sqliteCreateSchema(schema: string): CompiledSql[] {
  qualifySqlite(schema, 'x'); // validates the name
  if (schema.includes('.'))
    throw appError('VALIDATION', `A schema name cannot contain "." on SQLite: ${schema}`, {
      details: { field: 'schema' },
    });
  return [
    { sql: `CREATE TABLE IF NOT EXISTS ${q(SQLITE_SCHEMA_TABLE)} (name TEXT PRIMARY KEY NOT NULL)`, params: [] },
    { sql: `INSERT OR IGNORE INTO ${q(SQLITE_SCHEMA_TABLE)} (name) VALUES (?)`, params: [schema] },
  ];
}

/** Options of {@link sqliteCreateTable}. */
export interface SqliteDdlOptions {
  /** `IF NOT EXISTS` (default true, as DataJoint's MySQL DDL). */
  ifNotExists?: boolean;
}

/** CREATE TABLE, its indexes and its metadata row. */
export function sqliteCreateTable(t: ResolvedTable, opts: SqliteDdlOptions = {}): CompiledSql[] {
  const name = qualifySqlite(t.schema, t.tableName);
  const rowid = rowidKey(t);
  const lines = [
    ...t.columns.map((c) => sqliteColumn(c, c === rowid)),
    ...(rowid ? [] : [`PRIMARY KEY (${cols(t.primaryKey)})`]),
    ...t.foreignKeys.map(sqliteForeignKey),
  ];
  const ine = opts.ifNotExists === false ? '' : 'IF NOT EXISTS ';
  const out: CompiledSql[] = [
    sqliteMetaTableDdl(),
    { sql: `CREATE TABLE ${ine}${name} (\n${lines.join(',\n')}\n)`, params: [] },
  ];
  // SQLite lists indexes newest first, so creating them in reverse gives MariaDB's SHOW KEYS order
  const indexes = serverIndexes(t);
  indexes.forEach((ix, i) => {
    const ixName = q(`${t.schema}.${t.tableName}/${i + 1}_${ix.columns[0]}`);
    out.splice(2, 0, {
      sql: `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ine}${ixName} ON ${name} (${cols(ix.columns)})`,
      params: [],
    });
  });
  out.push({
    sql: `INSERT OR REPLACE INTO ${q(SQLITE_META_TABLE)} (table_name, meta) VALUES (?, ?)`,
    params: [`${t.schema}.${t.tableName}`, JSON.stringify(sqliteTableMeta(t))],
  });
  return out;
}

/** The one auto_increment key column, which SQLite can only give as the rowid alias. */
function rowidKey(t: ResolvedTable): ResolvedColumn | null {
  const auto = t.columns.find((c) => c.autoIncrement);
  if (!auto) return null;
  if (t.primaryKey.length !== 1 || t.primaryKey[0] !== auto.name) {
    throw appError(
      'UNSUPPORTED',
      `SQLite can auto-increment only a primary key of one column; ${t.schema}.${t.tableName} has ${t.primaryKey.join(', ')}.`,
      {
        hint: 'Declare the auto_increment attribute as the only primary-key attribute, or use MySQL.',
        details: { table: `${t.schema}.${t.tableName}`, attribute: auto.name },
      },
    );
  }
  return auto;
}

/** One column: affinity, NOT NULL, DEFAULT and CHECK. */
export function sqliteColumn(c: ResolvedColumn, rowid = false): string {
  const quoted = q(c.name);
  const parts = [
    quoted,
    rowid ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : sqliteAffinity(c.type),
    c.nullable ? 'NULL' : 'NOT NULL',
  ];
  if (c.default) parts.push(`DEFAULT ${sqliteDefault(c, c.default)}`);
  const check = sqliteCheck(c, quoted);
  if (check) parts.push(`CHECK (${check})`);
  return parts.join(' ');
}

/** The DEFAULT expression; temporal and decimal values are stored as MySQL would store them. */
function sqliteDefault(c: ResolvedColumn, d: DefaultValue): string {
  switch (d.kind) {
    case 'null':
      return 'NULL';
    case 'number':
      return numberLiteral(d.kind === 'number' && c.type.kind === 'decimal' ? reportedDefault(c)! : d.text);
    case 'string':
      return sqliteString(c.type.kind === 'temporal' ? reportedDefault(c)! : d.value);
    case 'current_timestamp': {
      const p = d.precision ?? 0;
      // CURRENT_TIMESTAMP is UTC with whole seconds; %f gives milliseconds, padded to the precision
      return p === 0 ? 'CURRENT_TIMESTAMP' : `(substr(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000', 1, ${20 + p}))`;
    }
  }
}

/** `FOREIGN KEY (...) REFERENCES "schema.parent" (...)` with DataJoint's actions. */
export function sqliteForeignKey(fk: ResolvedForeignKey): string {
  return (
    `FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${qualifySqlite(fk.refSchema, fk.refTable)} (${cols(fk.refColumns)}) ` +
    `ON UPDATE ${fk.onUpdate} ON DELETE ${fk.onDelete}`
  );
}
