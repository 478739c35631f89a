import type { Dialect } from '../../api/schemas/connection';
import type { RQuery } from '../../query/resolved';
import type { CompiledQuery } from '../expr-compiler';
import type { SelectOptions } from '../query-compiler';
import { mysqlDialect } from './mysql';
import { MysqlQueryCompiler } from './mysql-query';
import { sqliteDialect } from './sqlite';
import { SqliteQueryCompiler } from './sqlite-query';

/**
 * Entry points of the query compilers. A compiler instance holds the aliases and parameters of
 * one statement, so each call makes a fresh one.
 */
function compiler(dialect: Dialect) {
  return dialect === 'mysql' ? new MysqlQueryCompiler(mysqlDialect) : new SqliteQueryCompiler(sqliteDialect);
}

/** The SELECT of a resolved query for `dialect`, ordered and paged as asked. */
export function compileSelect(dialect: Dialect, query: RQuery, options?: SelectOptions): CompiledQuery {
  return compiler(dialect).compileSelect(query, options);
}

/** `SELECT COUNT(*) AS n` of a resolved query for `dialect`. */
export function compileCount(dialect: Dialect, query: RQuery): CompiledQuery {
  return compiler(dialect).compileCount(query);
}
