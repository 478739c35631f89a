import type { Dialect } from '../api/schemas/connection';
import type { ResolvedTable } from '../model/definition/heading';
import type { BoundValue, OrderItem, RQuery } from '../query/resolved';

/** SQL text with its bound values; values are never spliced into the text. */
export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** A compiled query: SQL text and the values bound to its `?` marks. */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly BoundValue[];
}

/** Order and page of a compiled SELECT. */
export interface SelectOptions {
  order?: readonly OrderItem[];
  limit?: number | null;
  offset?: number;
}

/** What an engine can and cannot do, so callers test a flag instead of the engine's name. */
export interface DialectCapabilities {
  /** DDL takes part in transactions (SQLite yes, MySQL no: every DDL commits). */
  readonly transactionalDdl: boolean;
  /** The schema migration engine (shared/migrate, core/migrate) has this engine's SQL. */
  readonly migrations: boolean;
  /** Schemas are real databases (MySQL) rather than name prefixes in one file (SQLite). */
  readonly nativeSchemas: boolean;
  /** The database may run on another machine, so leases are judged on its clock ({@link SqlDialect.clockMillis}). */
  readonly remoteClock: boolean;
  /**
   * An insert that skips duplicates reports the rows it skipped as written (MySQL's found rows),
   * so the keys already stored are looked up first to count them.
   */
  readonly skipCountsDuplicates: boolean;
  /** Rows one INSERT of no columns (all defaults) may write (SQLite's `DEFAULT VALUES`: one). */
  readonly defaultRowsPerInsert: number;
}

/**
 * What an INSERT does with a row whose key is taken. `error` fails; `skip` leaves the stored row
 * (only key clashes: DataJoint's skip_duplicates); `ignore` is the engine's INSERT IGNORE (for
 * Joinery's and DataJoint's own bookkeeping rows); `replace` deletes the stored row and writes the
 * new one; `update` assigns the listed columns of the stored row (expressions may read the new
 * row through {@link SqlDialect.inserted}).
 */
export type OnConflict =
  | 'error'
  | 'skip'
  | 'ignore'
  | 'replace'
  | { readonly update: readonly (readonly [column: string, expression: string])[] };

/** One INSERT for {@link SqlDialect.insert}. */
export interface InsertSpec {
  /** The quoted, qualified table. */
  readonly into: string;
  /** Unquoted column names; none: one row of defaults. */
  readonly columns: readonly string[];
  /** The text after VALUES: `(?, ?), (?, ?)`, or expressions such as the session's user. */
  readonly values: string;
  /** Default `error`. */
  readonly onConflict?: OnConflict;
  /** The unquoted columns whose clash triggers `onConflict` (the primary key). */
  readonly key: readonly string[];
}

/** One DELETE of the rows of two joined tables, for {@link SqlDialect.deleteJoined}. */
export interface JoinedDelete {
  readonly tables: readonly [string, string];
  /** Join condition; refers to the tables by their qualified names (no aliases). */
  readonly on: string;
  readonly where: string;
}

/**
 * How values travel on this engine: what it stores exactly and what its driver gives back.
 * `null` means no limit beyond the column type's own.
 */
export interface ValueRules {
  /** Largest integer the engine stores (SQLite: signed 64-bit). */
  readonly maxInteger: bigint | null;
  /** Significant digits a decimal keeps (SQLite keeps decimals as doubles). */
  readonly decimalDigits: number | null;
  /** Integers given as exact text are bound as BigInt (the driver cannot bind text into an integer column exactly). */
  readonly bindIntegersAsBigInt: boolean;
  /** The driver gives decimals as exact text, already in canonical form. */
  readonly decimalsAsText: boolean;
  /** Most values one statement may bind. */
  readonly maxParams: number | null;
  /** A `bool` attribute is a boolean column (PostgreSQL), holding only 0 and 1, not tinyint(1)'s -128..127. */
  readonly booleanColumns: boolean;
}

/** Statements that create and drop what a declaration makes. */
export interface DialectDdl {
  /** Statements that create a schema (a database, or a registration row). */
  createSchema(schema: string, opts?: DdlOptions): CompiledSql[];
  /** The statement that undoes {@link createSchema} when DDL cannot be rolled back, or null. */
  dropSchema(schema: string): string | null;
  /** Statements that create a resolved table (with its indexes and metadata where kept apart). */
  createTable(table: ResolvedTable, opts?: DdlOptions): CompiledSql[];
  /** Statements that rename a table within its schema (and whatever metadata is keyed by its name). */
  renameTable(schema: string, from: string, to: string): CompiledSql[];
  /** A statement to run with a DROP TABLE (metadata kept outside the table), or null. */
  dropTableExtras(schema: string, table: string): CompiledSql | null;
  /**
   * Statements that rename many tables at once, possibly into another schema: one atomic
   * statement where the engine has it (a migration's swap), else one per table inside a transaction.
   */
  renameTables(moves: ReadonlyArray<TableMove>): CompiledSql[];
  /** DROP INDEX of a named index of a table. */
  dropIndex(schema: string, table: string, name: string): string;
  /**
   * Statements that make every INSERT/UPDATE/DELETE on a table fail with `message` (a migration
   * copying it), named after `name`; empty where the migration's one transaction blocks writers.
   */
  blockWrites(schema: string, table: string, name: string, message: string): string[];
  /** Statements that undo {@link blockWrites}. */
  unblockWrites(schema: string, name: string): string[];
}

/** One table renamed by {@link DialectDdl.renameTables}. */
export interface TableMove {
  schema: string;
  from: string;
  toSchema: string;
  to: string;
}

/** Options of the DDL writers. */
export interface DdlOptions {
  /** `IF NOT EXISTS`, as DataJoint writes it (default true). */
  readonly ifNotExists?: boolean;
  /** MySQL: the session runs with sql_mode NO_BACKSLASH_ESCAPES. */
  readonly noBackslashEscapes?: boolean;
}

/** Queries of the database's catalog that are not part of reading a schema's tables. */
export interface DialectCatalog {
  /** `name` = `schema.table` of the hidden (`~`) tables of the listed schemas. */
  hiddenTables(schemas: readonly string[]): CompiledSql;
  /**
   * Order-independent checksum of columns (`n`, `s`, `x`: count, sum and xor of row hashes) in
   * SQL, or null where the caller hashes rows while streaming them.
   */
  checksum(schema: string, table: string, columns: readonly string[]): string | null;
  /** Rows violating the foreign keys of a table, where the engine can list them after the fact; else null. */
  foreignKeyCheck(schema: string, table: string): string | null;
  /** The referenced table (`r`) and name (`n`) of each foreign key of a table, or null where not kept. */
  foreignKeyTargets(schema: string, table: string): CompiledSql | null;
  /** The server's clock as text (`now`), to compare with {@link quietTables}; null where tables keep no write time. */
  serverClock: string | null;
  /**
   * The named tables (`t`) that provably had no committed write since `stamp` (a {@link serverClock}
   * value): their last write time is known and older. Null where the engine keeps no such time.
   */
  quietTables(schema: string, tables: readonly string[], stamp: string): CompiledSql | null;
}

/**
 * Everything engine-specific about writing SQL text, as data and pure functions (no I/O) so the
 * renderer can preview SQL and a new engine is a new folder under `shared/sql/dialects/`.
 * Code outside that folder and `electron/core/db` never names an engine (lint enforces it): it
 * reads these fields. Joinery keeps one model on every engine: on SQLite a schema is a name
 * prefix, `schema.table` being one quoted identifier, because SQLite cannot enforce foreign keys
 * across ATTACHed files.
 */
export interface SqlDialect {
  /** The engine's name, for reports and the API; never branch on it. */
  readonly name: Dialect;
  /** The engine's name for people, in messages: `MySQL`, `SQLite`. */
  readonly label: string;
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
  /** A SELECT of one column `t`: the server's clock in milliseconds since 1970. */
  readonly clockMillis: string;
  /** Column types for Joinery's own tables: a timestamp with milliseconds, long text. */
  readonly types: { readonly timestamp: string; readonly text: string };
  /** Statement that makes the home of the lab-wide tables, or null when it needs none. */
  readonly createGlobalHome: string | null;
  /**
   * SQL for who runs this session, as DataJoint's `~jobs` records it: the database account and
   * the connection id, or null where the engine has none (the account is then bound as a value
   * and the connection id written as 0).
   */
  readonly session: { readonly user: string | null; readonly connectionId: string | null };
  /**
   * An expression as text: an enum's label, or a bound value where nothing else gives its type
   * (`CONCAT_WS('.', ?, c)`). MySQL's and SQLite's enums are text already; a PostgreSQL enum is a
   * type of its own, which a CASE, an IN list or a literal would otherwise have to match.
   */
  asText(expr: string): string;
  /** The LIKE operator that ignores case, as MySQL's default collation and SQLite's LIKE do. */
  readonly likeNoCase: string;
  /** One ORDER BY item that sorts NULLs as the smallest value, as MySQL and SQLite do. */
  orderItem(term: string, descending: boolean): string;
  /** An INSERT that deals with key clashes as `spec.onConflict` says. */
  insert(spec: InsertSpec): string;
  /** In an `update` conflict assignment, the value the insert tried to write to `column`. */
  inserted(column: string): string;
  /** One statement deleting the joined rows of two tables, or null where the engine needs one per table. */
  readonly deleteJoined: ((spec: JoinedDelete) => string) | null;
  readonly values: ValueRules;
  readonly ddl: DialectDdl;
  readonly catalog: DialectCatalog;
  /** The SELECT of a resolved query, ordered and paged as asked. */
  compileSelect(query: RQuery, options?: SelectOptions): CompiledQuery;
  /** `SELECT COUNT(*) AS n` of a resolved query. */
  compileCount(query: RQuery): CompiledQuery;
}

/** Identifiers may hold anything printable except NUL; quoting handles the rest. */
export function checkIdentifier(name: string): void {
  if (name.length === 0 || name.length > 64 || name.includes('\0')) {
    throw new RangeError(`invalid identifier ${JSON.stringify(name)}: 1 to 64 characters, no NUL`);
  }
}
