import type { Dialect } from '../../api/schemas/connection';
import type { SqlDialect } from '../dialect';
import { mysqlDialect } from './mysql';
import { sqliteDialect } from './sqlite';

/** The dialect object for an engine name. */
export function dialectFor(name: Dialect): SqlDialect {
  return name === 'mysql' ? mysqlDialect : sqliteDialect;
}
