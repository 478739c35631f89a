import { checkIdentifier, type SqlDialect } from '../dialect';

/** Separates schema and table in SQLite table names (schema names cannot contain it). */
export const SQLITE_SCHEMA_SEPARATOR = '.';

/** SQLite: double-quote quoting, schemas are name prefixes, DDL is transactional. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  capabilities: { transactionalDdl: true, nativeSchemas: false },
  quoteIdent(name) {
    if (name.length === 0 || name.includes('\0')) throw new RangeError(`invalid identifier ${JSON.stringify(name)}`);
    return '"' + name.replaceAll('"', '""') + '"';
  },
  qualify(schema, table) {
    checkIdentifier(schema);
    checkIdentifier(table);
    return this.quoteIdent(schema + SQLITE_SCHEMA_SEPARATOR + table);
  },
  qualifyGlobal(table) {
    // no schema prefix: the catalog reader only lists names with one
    return this.quoteIdent(table);
  },
  now: "strftime('%Y-%m-%d %H:%M:%f', 'now')",
  nowPlusSeconds: "strftime('%Y-%m-%d %H:%M:%f', 'now', printf('%+.3f seconds', ?))",
  secondsSince: (expr) => `((julianday('now') - julianday(${expr})) * 86400.0)`,
  types: { timestamp: 'TEXT', text: 'TEXT' },
  createGlobalHome: null,
};

/** Splits a SQLite table name into schema and table; null for names outside any schema. */
export function splitSqliteName(name: string): { schema: string; table: string } | null {
  const i = name.indexOf(SQLITE_SCHEMA_SEPARATOR);
  if (i <= 0 || i === name.length - 1) return null;
  return { schema: name.slice(0, i), table: name.slice(i + 1) };
}
