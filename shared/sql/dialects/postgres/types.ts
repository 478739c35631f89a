import type { ResolvedColumn } from '../../../model/definition/heading';
import { md5Hex } from './md5';
import { qualifyPostgres } from './quote';

/**
 * DataJoint's (MySQL-spelled) column types as PostgreSQL columns, as DataJoint 2.x maps its core
 * types (`int32` integer, `float64` double precision, `bytes` bytea, `datetime(n)` timestamp(n)).
 * PostgreSQL has no unsigned integers: the next wider type holds the range, a CHECK keeps it, so
 * bad values fail as they do on MySQL in strict mode.
 */

/** A column's PostgreSQL type and the CHECK that keeps MySQL's range, if any. */
export interface PostgresColumnType {
  readonly type: string;
  readonly check: string | null;
}

const INTEGER_RANGES: Record<string, { signed: [string, string]; unsigned: string; type: string; utype: string }> = {
  tinyint: { signed: ['-128', '127'], unsigned: '255', type: 'smallint', utype: 'smallint' },
  smallint: { signed: ['-32768', '32767'], unsigned: '65535', type: 'smallint', utype: 'integer' },
  mediumint: { signed: ['-8388608', '8388607'], unsigned: '16777215', type: 'integer', utype: 'integer' },
  int: { signed: ['-2147483648', '2147483647'], unsigned: '4294967295', type: 'integer', utype: 'bigint' },
  integer: { signed: ['-2147483648', '2147483647'], unsigned: '4294967295', type: 'integer', utype: 'bigint' },
  bigint: { signed: ['', ''], unsigned: '18446744073709551615', type: 'bigint', utype: 'numeric(20)' },
};

/** The enum type of a column: `"schema"."enum_<8 hex of md5 of the sorted values>"`, as DataJoint 2.x names it. */
export function postgresEnumName(values: readonly string[]): string {
  return `enum_${md5Hex([...values].sort().join(',')).slice(0, 8)}`;
}

/**
 * Whether a column is PostgreSQL's `boolean`: a `bool` attribute and 2.x's `_singleton` (marker
 * `bool`), as DataJoint 2.x declares them, so that its reader gets True/False. Joinery reads them
 * back as 0/1, as from MySQL's tinyint(1).
 */
export function isPostgresBoolean(c: ResolvedColumn): boolean {
  return c.type.kind === 'bool' || c.datajointType === 'bool';
}

/** The PostgreSQL type of a resolved column (`quoted` is its quoted name, for the CHECK). */
export function postgresColumnType(schema: string, c: ResolvedColumn, quoted: string): PostgresColumnType {
  if (isPostgresBoolean(c)) return { type: 'boolean', check: null };
  if (c.type.kind === 'enum') return { type: qualifyPostgres(schema, postgresEnumName(c.type.values)), check: null };
  if (c.type.kind === 'serial') return { type: 'bigint', check: null };
  const sql = c.sqlType.toLowerCase().trim();
  const unsigned = /\bunsigned\b/.test(sql);
  const base = sql.replace(/\b(unsigned|zerofill)\b/g, '').trim();
  const m = /^(\w+)(?:\s*\(([^)]*)\))?/.exec(base);
  const name = m?.[1] ?? base;
  const args = m?.[2];
  const range = INTEGER_RANGES[name];
  if (range) {
    const [lo, hi] = unsigned ? ['0', range.unsigned] : range.signed;
    const check = lo ? `${quoted} BETWEEN ${lo} AND ${hi}` : null;
    // an identity column must be an integer type: bigint unsigned auto_increment becomes bigint
    const type = unsigned
      ? c.autoIncrement && range.utype.startsWith('numeric')
        ? 'bigint'
        : range.utype
      : range.type;
    return { type, check };
  }
  const nonNegative = unsigned ? `${quoted} >= 0` : null;
  switch (name) {
    case 'decimal':
    case 'numeric':
      return { type: args ? `numeric(${args})` : 'numeric(10,0)', check: nonNegative };
    case 'float':
    case 'real':
      return { type: 'real', check: nonNegative };
    case 'double':
      return { type: 'double precision', check: nonNegative };
    case 'char':
    case 'varchar':
      // MySQL strips CHAR's padding when reading; varchar gives the same values back
      return { type: `varchar(${args ?? 1})`, check: null };
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return { type: 'text', check: null };
    case 'json':
      return { type: 'jsonb', check: null };
    case 'date':
      return { type: 'date', check: null };
    case 'datetime':
    case 'timestamp':
      return { type: `timestamp(${args ?? 0})`, check: null };
    case 'time':
      // MySQL's TIME is a duration of -838:59:59 to 838:59:59, not a time of day
      return { type: 'interval', check: `${quoted} BETWEEN INTERVAL '-838:59:59' AND INTERVAL '838:59:59'` };
    case 'year':
      return { type: 'smallint', check: null };
    case 'binary':
      return { type: 'bytea', check: `octet_length(${quoted}) <= ${Number(args ?? 1)}` };
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { type: 'bytea', check: null };
    default:
      return { type: base, check: null };
  }
}
