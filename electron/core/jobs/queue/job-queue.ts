import type { JobInfo } from '../../../../shared/api/schemas/pipeline';
import type { CompiledSql, SqlDialect } from '../../../../shared/sql/dialect';
import type { ResolvedTable } from '../../../../shared/model/definition/heading';
import type { TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { DbSession, Row } from '../../db/driver';
import type { WorkerIdentity } from '../job-keys';

/** The table a queue row is about: its schema and bare name (as `~jobs` stores it). */
export type QueueTable = Pick<TableInfo, 'schema' | 'table_name'>;

/**
 * A job-queue row as read, in the shape of DataJoint 0.14's `~jobs`: the statuses a worker in
 * another program may have written. A protocol with more statuses (DataJoint 2.x's pending,
 * success) maps them onto these or widens this type.
 */
export type QueueRow = {
  table_name: string;
  key_hash: string;
  /** 0.14 has reserved, error, ignore; 2.x queues also pending and success (which hold no key back). */
  status: 'pending' | 'reserved' | 'success' | 'error' | 'ignore';
  /** The key as the protocol stores it (DataJoint's blob), decoded by the caller. */
  key: Buffer | null;
  /** 2.x: the key as stored (plain columns), already decoded. */
  key_plain?: Row;
  /** 2.x: the `~~<table>` queue of the row and its priority (lower first). */
  jobs_table?: string;
  priority?: number;
  error_message: string;
  user: string;
  host: string;
  pid: number;
  connection_id: number;
  timestamp: string | null;
};

/** A key to reserve, with its DataJoint key hash. */
export interface QueueKey {
  readonly key: Row;
  readonly keyHash: string;
}

/**
 * Joinery's lease rows that end together with their reservations: the quoted lease table and
 * the condition (with its values) that says they are still this worker's. `where(prefix)` is
 * given the column prefix to use (`` `s`.`t`. `` in a joined statement, or nothing).
 */
export interface LeaseGuard {
  readonly table: string;
  where(prefix: string): string;
  readonly params: readonly unknown[];
}

/**
 * One job protocol: how keys are reserved, released, marked as failed or ignored, and read, in
 * the queue that programs other than Joinery (DataJoint Python) share. Joinery's leases,
 * attempts and priorities live beside it in its own tables; a protocol only speaks the shared
 * queue. Every method runs on the session it is given, so callers put it in their transaction.
 * Today: DataJoint 0.14's per-schema `~jobs` ({@link datajointJobs}). DataJoint 2.x's per-table
 * `~~<table>` queues (statuses pending/reserved/success/error/ignore, priority, scheduled time,
 * reserve by an atomic UPDATE) are meant to be a second implementation of this interface.
 */
export interface JobQueueProtocol {
  /** For messages: `DataJoint 0.14 ~jobs`. */
  readonly label: string;
  /** The queue's tables in a schema, created (if missing) with Joinery's own job tables. */
  tables(schema: string): ResolvedTable[];
  /** Whether a schema's queue exists, given the schema's hidden table names. */
  exists(hidden: ReadonlySet<string>): boolean;
  /**
   * Reserves keys for this worker, in key-hash order; returns the hashes it won (a key someone
   * else holds, in any status, is not won).
   */
  reserve(tx: DbSession, table: TableInfo, keys: readonly QueueKey[], who: WorkerIdentity): Promise<Set<string>>;
  /**
   * Ends reservations without a result (given back, retried later, or already computed). With
   * `owner`, only reservations that host and process made; returns how many ended.
   */
  release(
    tx: DbSession,
    table: QueueTable,
    keyHashes: readonly string[],
    owner?: { host: string; pid: number },
  ): Promise<number>;
  /**
   * Ends the reservations of computed keys together with their lease rows; false when any
   * reservation or lease was no longer there (the caller rolls back: the work was lost).
   */
  complete(tx: DbSession, table: QueueTable, keyHashes: readonly string[], lease: LeaseGuard): Promise<boolean>;
  /** Marks a key as failed (DataJoint's `jobs.error`): skipped by every worker until it is retried. */
  error(
    tx: DbSession,
    table: TableInfo,
    job: QueueKey,
    failure: { message: string; stack: string },
    who: WorkerIdentity,
  ): Promise<void>;
  /** Marks a key as not to be computed (DataJoint's `ignore` status). */
  ignore(tx: DbSession, table: TableInfo, job: QueueKey, who: WorkerIdentity): Promise<void>;
  /** Deletes a key's row when its status is one of `statuses` (retrying clears error and ignore rows); returns rows deleted. */
  clear(tx: DbSession, table: QueueTable, keyHash: string, statuses: readonly QueueRow['status'][]): Promise<number>;
  /** Every row of a schema's queue; none when the queue was never made (`hidden`: the schema's hidden tables). */
  read(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueRow[]>;
  /** Hashes of the keys of `table` that the queue holds in any status (not to be claimed). */
  held(db: DbSession, table: QueueTable): Promise<Set<string>>;
  /** A SELECT of `t` (`schema.table`) and `n`: queue rows per table, for change polling. */
  count(dialect: SqlDialect, schema: string): CompiledSql;
}

/** A queue row for the API, with its key decoded by `decodeKey`. */
export function toJobInfo(row: QueueRow, decodeKey: (bytes: Buffer) => Record<string, unknown> | null): JobInfo {
  return {
    table_name: row.table_name,
    key_hash: row.key_hash,
    status: row.status,
    key_plain: row.key_plain ?? (row.key ? decodeKey(row.key) : null),
    error_message: row.error_message,
    ...(row.jobs_table === undefined ? {} : { jobs_table: row.jobs_table, priority: row.priority }),
  };
}
