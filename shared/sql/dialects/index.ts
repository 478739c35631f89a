import type { Dialect } from '../../api/schemas/connection';
import type { SqlDialect } from '../dialect';
import { mysqlDialect } from './mysql';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';

/** Every engine Joinery speaks, by its name: a new engine is a folder here and one line below. */
export const DIALECTS: Readonly<Record<Dialect, SqlDialect>> = {
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
  postgres: postgresDialect,
};
