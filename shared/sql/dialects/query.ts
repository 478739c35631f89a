import type { Dialect } from '../../api/schemas/connection';
import type { RQuery } from '../../query/resolved';
import type { CompiledQuery, SelectOptions, SqlDialect } from '../dialect';
import { DIALECTS } from './index';

const dialectOf = (d: Dialect | SqlDialect): SqlDialect => (typeof d === 'string' ? DIALECTS[d] : d);

/** The SELECT of a resolved query for `dialect`, ordered and paged as asked. */
export function compileSelect(dialect: Dialect | SqlDialect, query: RQuery, options?: SelectOptions): CompiledQuery {
  return dialectOf(dialect).compileSelect(query, options);
}

/** `SELECT COUNT(*) AS n` of a resolved query for `dialect`. */
export function compileCount(dialect: Dialect | SqlDialect, query: RQuery): CompiledQuery {
  return dialectOf(dialect).compileCount(query);
}
