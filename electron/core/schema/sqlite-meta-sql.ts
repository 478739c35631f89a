import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { CompiledSql, SqlDialect } from '../../../shared/sql/dialect';
import { SQLITE_META_TABLE } from '../../../shared/sql/ddl';

/** On SQLite, the metadata row of a dropped table goes with it (MySQL keeps it in the table itself). */
export function sqliteDropMetaSql(dialect: SqlDialect, t: TableInfo): CompiledSql | null {
  if (dialect.name !== 'sqlite') return null;
  return {
    sql: `DELETE FROM ${dialect.quoteIdent(SQLITE_META_TABLE)} WHERE table_name = ?`,
    params: [`${t.schema}.${t.table_name}`],
  };
}
