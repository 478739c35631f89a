import type { Dialect } from '../../api/schemas/connection';
import type { ResolvedTable } from '../../model/definition/heading';
import { externalTable } from '../../model/definition/hidden-tables';
import type { CompiledSql } from '../dialect';
import { type MysqlDdlOptions, mysqlCreateDatabase, mysqlCreateTable } from './mysql';
import { sqliteCreateSchema, sqliteCreateTable } from './sqlite';

/**
 * DDL for either engine behind one call, so services and the renderer's SQL preview do not
 * branch on the engine. Each list runs in order; on SQLite in one transaction.
 */
export {
  fixedDecimal,
  reportedDefault,
  SQLITE_META_TABLE,
  SQLITE_SCHEMA_TABLE,
  sqliteTableMeta,
  type SqliteTableMetaJson,
} from './sqlite-meta';
export {
  mysqlColumn,
  mysqlCreateDatabase,
  mysqlCreateTable,
  mysqlForeignKey,
  mysqlIndex,
  type MysqlDdlOptions,
} from './mysql';
export {
  sqliteColumn,
  sqliteCreateSchema,
  sqliteCreateTable,
  sqliteForeignKey,
  sqliteMetaTableDdl,
  type SqliteDdlOptions,
} from './sqlite';
export { serverIndexes, type ServerIndex } from './innodb-keys';
export { mysqlString, sqliteString } from './literals';

/** Statements that create a schema: `CREATE DATABASE` on MySQL, a registration row on SQLite. */
export function createSchemaDdl(dialect: Dialect, schema: string, opts: MysqlDdlOptions = {}): CompiledSql[] {
  return dialect === 'mysql' ? [{ sql: mysqlCreateDatabase(schema, opts), params: [] }] : sqliteCreateSchema(schema);
}

/** Statements that create a resolved table (and on SQLite its indexes and metadata row). */
export function createTableDdl(dialect: Dialect, table: ResolvedTable, opts: MysqlDdlOptions = {}): CompiledSql[] {
  return dialect === 'mysql' ? [{ sql: mysqlCreateTable(table, opts), params: [] }] : sqliteCreateTable(table, opts);
}

/** Statements that create `~external_<store>` in a schema; run before tables that use the store. */
export function createExternalTableDdl(
  dialect: Dialect,
  schema: string,
  store: string,
  opts: MysqlDdlOptions = {},
): CompiledSql[] {
  return createTableDdl(dialect, externalTable(schema, store), opts);
}
