import type { JobInfo } from '../../../../shared/api/schemas/pipeline';
import type { CompiledSql, SqlDialect } from '../../../../shared/sql/dialect';
import type { ResolvedTable } from '../../../../shared/model/definition/heading';
import type { TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { DbSession, Row } from '../../db/driver';
import type { WorkerIdentity } from '../job-keys';
import type { Conventions } from '../../../../shared/model/conventions';
import type { KeySource } from '../../../../shared/sql/key-source';
import type { QueueSettings, RefreshResult } from './datajoint2-refresh';

/**
 * The table a queue row is about: its schema, bare name (as `~jobs` stores it) and attributes
 * (a 2.x queue names a key by its key columns; an empty list where the table is gone).
 */
export type QueueTable = Pick<TableInfo, 'schema' | 'table_name' | 'attributes'> &
  Partial<Pick<TableInfo, 'foreign_keys'>>;

/**
 * What a queue says about a table's keys before claiming: the keys it holds back, and for some
 * keys an urgency to add to their claim priority (2.x: a pending row's priority, lower first,
 * as the difference from 2.x's default; keys without one are as urgent as the task says).
 */
export interface QueueHold {
  held: Set<string>;
  urgency: ReadonlyMap<string, number>;
}

/** A failed key's error row, for grouping errors by their message. */
export type QueueError = Pick<QueueRow, 'table_name' | 'key_hash' | 'error_message'>;

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

/**
 * 2.x's `jobs.keep_completed`: success rows are kept (status `success`, completed_time and
 * duration) instead of deleted; `seconds` gives each job's duration by key hash.
 */
export interface KeepCompleted {
  seconds(keyHash: string): number;
}

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
 * Two implementations, chosen per schema by its conventions (see `resolveQueue`): DataJoint 0.14's
 * per-schema `~jobs` and DataJoint 2.x's per-table queues.
 */
export interface JobQueueProtocol {
  /** For messages: `DataJoint 0.14 ~jobs`. */
  readonly label: string;
  /** Which DataJoint conventions it speaks. */
  readonly conventions: Conventions;
  /** The queue's schema-wide tables, created (if missing) with Joinery's own job tables. */
  tables(schema: string): ResolvedTable[];
  /**
   * Creates what one table's jobs need beyond {@link tables} (2.x: its per-table queue), once per
   * driver; DDL, so never inside a transaction.
   */
  prepare(db: DbSession, table: TableInfo): Promise<void>;
  /**
   * Makes keys reservable before the reserving transaction, in their own short statement (2.x's
   * `refresh`: a pending row where a key has none), so that the transaction's row locks are
   * taken in one order and a 2.x worker's single-row UPDATE cannot deadlock with it.
   */
  enqueue(db: DbSession, table: TableInfo, keys: readonly QueueKey[]): Promise<void>;
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
    jobs: readonly QueueKey[],
    owner?: { host: string; pid: number },
  ): Promise<number>;
  /**
   * Ends the reservations of computed keys together with their lease rows; false when any
   * reservation or lease was no longer there (the caller rolls back: the work was lost).
   */
  complete(
    tx: DbSession,
    table: QueueTable,
    jobs: readonly QueueKey[],
    lease: LeaseGuard,
    keep?: KeepCompleted,
  ): Promise<boolean>;
  /**
   * The whole-queue part of 2.x's `refresh` for one table (orphaned reservations pending again,
   * stale rows removed, per `settings`); keys in `leased` (live Joinery leases) are never touched.
   * 0.14's `~jobs` has no such rules: nothing.
   */
  refresh(
    db: DbSession,
    table: TableInfo,
    ks: KeySource,
    settings: QueueSettings,
    leased: ReadonlySet<string>,
  ): Promise<RefreshResult>;
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
  clear(tx: DbSession, table: QueueTable, job: QueueKey, statuses: readonly QueueRow['status'][]): Promise<number>;
  /** Every row of a schema's queue; none when the queue was never made (`hidden`: the schema's hidden tables). */
  read(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueRow[]>;
  /** The error rows of a schema's queue (none when it was never made). */
  errors(db: DbSession, schema: string, hidden: ReadonlySet<string>): Promise<QueueError[]>;
  /** The keys of `table` that the queue holds back (not to be claimed) by hash, and the urgency of others. */
  held(db: DbSession, table: QueueTable): Promise<QueueHold>;
  /**
   * A SELECT of `t` (`schema.table`) and `n`: a number per table that changes with its queue rows,
   * for change polling; null when the schema has no queue. `tables`: the schema's auto-populated tables.
   */
  count(
    dialect: SqlDialect,
    schema: string,
    hidden: ReadonlySet<string>,
    tables: readonly Pick<TableInfo, 'table_name'>[],
  ): CompiledSql | null;
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
