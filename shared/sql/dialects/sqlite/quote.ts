import { checkIdentifier } from '../../dialect';

/** Separates schema and table in SQLite table names (schema names cannot contain it). */
export const SQLITE_SCHEMA_SEPARATOR = '.';

/** A SQLite identifier in double quotes. */
export function quoteSqlite(name: string): string {
  if (name.length === 0 || name.includes('\0')) throw new RangeError(`invalid identifier ${JSON.stringify(name)}`);
  return '"' + name.replaceAll('"', '""') + '"';
}

/** `"schema.table"`: on SQLite a schema is a name prefix of one quoted identifier. */
export function qualifySqlite(schema: string, table: string): string {
  checkIdentifier(schema);
  checkIdentifier(table);
  return quoteSqlite(schema + SQLITE_SCHEMA_SEPARATOR + table);
}

/** Splits a SQLite table name into schema and table; null for names outside any schema. */
export function splitSqliteName(name: string): { schema: string; table: string } | null {
  const i = name.indexOf(SQLITE_SCHEMA_SEPARATOR);
  if (i <= 0 || i === name.length - 1) return null;
  return { schema: name.slice(0, i), table: name.slice(i + 1) };
}
