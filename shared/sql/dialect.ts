import type { Dialect } from '../api/schemas/connection';

/** SQL text with its bound values; values are never spliced into the text. */
export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** What an engine can and cannot do, so callers test a flag instead of the engine's name. */
export interface DialectCapabilities {
  /** DDL takes part in transactions (SQLite yes, MySQL no: every DDL commits). */
  readonly transactionalDdl: boolean;
  /** Schemas are real databases (MySQL) rather than name prefixes in one file (SQLite). */
  readonly nativeSchemas: boolean;
}

/**
 * Everything engine-specific about writing SQL text. Pure (no I/O) so the renderer can preview SQL.
 * Joinery keeps one model on both engines: on SQLite a schema is a name prefix, `schema.table`
 * being one quoted identifier, because SQLite cannot enforce foreign keys across ATTACHed files.
 */
export interface SqlDialect {
  readonly name: Dialect;
  readonly capabilities: DialectCapabilities;
  /** Quotes one identifier; throws on characters no identifier may hold. */
  quoteIdent(name: string): string;
  /** The quoted name of `table` in `schema`. */
  qualify(schema: string, table: string): string;
  /** The quoted name of a lab-wide hidden table that belongs to no schema (workers span schemas). */
  qualifyGlobal(table: string): string;
  /** SQL for the server's current time as `YYYY-MM-DD HH:MM:SS.fff` (one clock for every client). */
  readonly now: string;
  /** SQL for the time `seconds` (a bound parameter) after now. */
  readonly nowPlusSeconds: string;
  /** SQL for the seconds elapsed since the timestamp expression `expr` (by the server's clock). */
  secondsSince(expr: string): string;
  /** Column types for Joinery's own tables: a timestamp with milliseconds, long text. */
  readonly types: { readonly timestamp: string; readonly text: string };
  /** Statement that makes the home of the lab-wide tables, or null when it needs none. */
  readonly createGlobalHome: string | null;
}

/** Identifiers may hold anything printable except NUL; quoting handles the rest. */
export function checkIdentifier(name: string): void {
  if (name.length === 0 || name.length > 64 || name.includes('\0')) {
    throw new RangeError(`invalid identifier ${JSON.stringify(name)}: 1 to 64 characters, no NUL`);
  }
}
