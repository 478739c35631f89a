import type { SqlDialect } from '../../../shared/sql/dialect';

/** A result row as the driver returns it, keyed by column name. */
export type Row = Record<string, unknown>;

/** What a data-changing statement reports. */
export interface ExecResult {
  affectedRows: number;
  /** The auto-increment value of the last insert, when there is one. */
  insertId: number | null;
}

/**
 * Statements against one connection (inside a transaction) or the pool. Values are always bound
 * through `params`; identifiers come quoted from the dialect. Errors are already AppErrors.
 */
export interface DbSession {
  readonly dialect: SqlDialect;
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<ExecResult>;
  /** Rows one at a time, for results too large to hold in memory. */
  stream<R extends Row = Row>(sql: string, params?: readonly unknown[]): AsyncIterable<R>;
}

/**
 * One open database (mysql2 pool or better-sqlite3 file) behind the same face, so nothing above
 * `core/db` knows which engine it talks to.
 */
export interface DbDriver extends DbSession {
  /** The connection URL with its password removed. */
  readonly url: string;
  serverVersion(): Promise<string>;
  /** Runs `work` in one transaction: commit on return, rollback on throw. */
  transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
