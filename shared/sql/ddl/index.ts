import type { Dialect } from '../../api/schemas/connection';
import type { ResolvedTable } from '../../model/definition/heading';
import { externalTable } from '../../model/definition/hidden-tables';
import type { CompiledSql, DdlOptions, SqlDialect } from '../dialect';
import { DIALECTS } from '../dialects';

/**
 * DDL for any engine behind one call, so services and the renderer's SQL preview do not branch
 * on the engine: each dialect writes its own (`shared/sql/dialects/<engine>/ddl.ts`). Each list
 * runs in order; where DDL is transactional, in one transaction.
 */
export {
  fixedDecimal,
  reportedDefault,
  SQLITE_META_TABLE,
  SQLITE_SCHEMA_TABLE,
  sqliteTableMeta,
  type SqliteTableMetaJson,
} from '../dialects/sqlite/ddl-meta';
export {
  mysqlColumn,
  mysqlCreateDatabase,
  mysqlCreateTable,
  mysqlForeignKey,
  mysqlIndex,
  type MysqlDdlOptions,
} from '../dialects/mysql/ddl';
export {
  sqliteColumn,
  sqliteCreateSchema,
  sqliteCreateTable,
  sqliteForeignKey,
  sqliteMetaTableDdl,
  type SqliteDdlOptions,
} from '../dialects/sqlite/ddl';
export { serverIndexes, type ServerIndex } from './innodb-keys';
export { mysqlString, sqliteString } from './literals';

const dialectOf = (d: Dialect | SqlDialect): SqlDialect => (typeof d === 'string' ? DIALECTS[d] : d);

/** Statements that create a schema: `CREATE DATABASE` on MySQL, a registration row on SQLite. */
export function createSchemaDdl(dialect: Dialect | SqlDialect, schema: string, opts: DdlOptions = {}): CompiledSql[] {
  return dialectOf(dialect).ddl.createSchema(schema, opts);
}

/** Statements that create a resolved table (and on SQLite its indexes and metadata row). */
export function createTableDdl(
  dialect: Dialect | SqlDialect,
  table: ResolvedTable,
  opts: DdlOptions = {},
): CompiledSql[] {
  return dialectOf(dialect).ddl.createTable(table, opts);
}

/** Statements that create `~external_<store>` in a schema; run before tables that use the store. */
export function createExternalTableDdl(
  dialect: Dialect | SqlDialect,
  schema: string,
  store: string,
  opts: DdlOptions = {},
): CompiledSql[] {
  return createTableDdl(dialect, externalTable(schema, store), opts);
}
