import { checkIdentifier } from '../../dialect';
import { utf8Bytes } from './md5';

/** PostgreSQL keeps 63 bytes of an identifier and silently cuts the rest, so longer names are refused. */
const MAX_IDENTIFIER_BYTES = 63;

/** A PostgreSQL identifier in double quotes; throws on names no identifier may hold. */
export function quotePostgres(name: string): string {
  checkIdentifier(name);
  if (utf8Bytes(name).length > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(`invalid identifier ${JSON.stringify(name)}: PostgreSQL names hold at most 63 bytes`);
  }
  return '"' + name.replaceAll('"', '""') + '"';
}

/** `"schema"."table"`: a DataJoint schema is a PostgreSQL schema inside one database (2.x's layout). */
export function qualifyPostgres(schema: string, table: string): string {
  return `${quotePostgres(schema)}.${quotePostgres(table)}`;
}

/** The PostgreSQL schema that holds Joinery's lab-wide state (workers span schemas); `~` hides it like MySQL's. */
export const POSTGRES_GLOBAL_SCHEMA = '~joinery';

/** A standard-conforming string literal: only `'` is doubled; NUL cannot appear in PostgreSQL text. */
export function postgresString(value: string): string {
  if (value.includes('\0')) throw new RangeError('NUL cannot appear in a PostgreSQL string');
  return `'${value.replaceAll("'", "''")}'`;
}
