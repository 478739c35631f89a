import { z } from 'zod';
import { Id } from './common';
import { DataRow, Restriction } from './data';
import { JobsByStatus } from './pipeline';
import { SchemaName } from './schema';

// the history and callback schemas have files of their own; jobs.ts stays the one import for jobs
export * from './job-history';
export * from './job-callbacks';

/**
 * Jobs (ARCHITECTURE §5): one job per pending key of an Imported/Computed table. Reservation is
 * DataJoint's `~jobs` (statuses reserved/error/ignore); Joinery adds leases, attempts, retries,
 * priority, runs, provenance, a result cache and callbacks in its own hidden tables.
 */

/** DataJoint's `~jobs` statuses. */
export const JobStatus = z.enum(['reserved', 'error', 'ignore']);
/** Joinery's view of a job it holds or remembers: leased (running), cancel requested, waiting for a retry, failed. */
export const JoineryJobState = z.enum(['running', 'cancel', 'waiting', 'failed']);

/** One job: its `~jobs` row (if any) joined with Joinery's lease/attempt row (if any). */
export const JobView = z.object({
  schema: z.string(),
  table_name: z.string(),
  full_name: z.string(),
  key_hash: z.string(),
  key: DataRow.nullable(),
  /** `~jobs` status; null when only Joinery remembers the job (waiting for a retry, prioritised). */
  status: JobStatus.nullable(),
  state: JoineryJobState.nullable(),
  error_message: z.string(),
  user: z.string(),
  host: z.string(),
  pid: z.number(),
  connection_id: z.number(),
  timestamp: z.string().nullable(),
  /** True when the reservation was made by a Joinery worker (leased, expires with its heartbeat). */
  joinery: z.boolean(),
  priority: z.number(),
  attempts: z.number(),
  failures: z.number(),
  worker: z.string(),
  lease_until: z.number().nullable(),
  not_before: z.number().nullable(),
  /** When Joinery's current or last attempt started (ms since 1970), if Joinery ran it. */
  started: z.number().nullable().optional(),
  /** DataJoint's error stack (decoded), only when asked for (`with_stack`). */
  error_stack: z.string().nullable().optional(),
});
export type JobView = z.infer<typeof JobView>;

/** Every status a job can be listed by: `~jobs` statuses and Joinery's lease states. */
export const JobListStatus = z.enum(['reserved', 'error', 'ignore', 'running', 'cancel', 'waiting', 'failed']);
export type JobListStatus = z.infer<typeof JobListStatus>;

/** Columns jobs.list sorts by (ties broken by table and key hash). */
export const JobSortColumn = z.enum(['table', 'status', 'timestamp', 'priority', 'attempts', 'worker', 'key_hash']);
export type JobSortColumn = z.infer<typeof JobSortColumn>;

/** A database time as `~jobs` shows it (`YYYY-MM-DD HH:MM:SS`, the database's clock). */
const DbTime = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/, 'a time as YYYY-MM-DD HH:MM:SS');

/**
 * Input of jobs.list: one page of jobs, filtered and sorted in the database so that a screen
 * stays fluid with 100k jobs (the total says how many match).
 */
export const JobsListInput = z
  .object({
    connectionId: Id,
    schemas: z.array(SchemaName).max(1000).optional(),
    table: z.string().min(1).max(64).optional(),
    status: JobListStatus.optional(),
    /** Any of these statuses (with `status`, both must hold). */
    statuses: z.array(JobListStatus).max(8).optional(),
    /** The Joinery worker holding or last holding the job, or the host of a DataJoint reservation. */
    worker: z.string().min(1).max(255).optional(),
    /** Text contained in the error message (case-insensitive on both engines for ASCII). */
    error_text: z.string().min(1).max(2047).optional(),
    key_hash: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
    /** `~jobs` timestamps from/to (inclusive), as the database writes them. */
    from: DbTime.optional(),
    to: DbTime.optional(),
    sort: z
      .object({ by: JobSortColumn, desc: z.boolean().default(false) })
      .strict()
      .optional(),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(100_000).default(1000),
    /** Also decode DataJoint's error stack of each job listed (for one job's detail). */
    with_stack: z.boolean().default(false),
  })
  .strict();
export type JobsListInput = z.infer<typeof JobsListInput>;

/** Output of jobs.list: one page, and how many jobs match the filters. */
export const JobsList = z.object({ jobs: z.array(JobView), total: z.number() });

/** Input of jobs.errorGroups. */
export const ErrorGroupsInput = z
  .object({
    connectionId: Id,
    schemas: z.array(SchemaName).max(1000).optional(),
    /** Only this group, with the keys of its jobs (to retry or ignore them together). */
    signature: z.string().max(4096).optional(),
  })
  .strict();

/** Failed jobs sharing one error signature (the message with numbers, paths and keys masked). */
export const ErrorGroup = z.object({
  signature: z.string(),
  count: z.number(),
  /** One full message of the group, as an example. */
  sample: z.string(),
  tables: z.array(
    z.object({
      schema: z.string(),
      table_name: z.string(),
      count: z.number(),
      /** Only when the input names the signature. */
      key_hashes: z.array(z.string()).optional(),
    }),
  ),
});
export type ErrorGroup = z.infer<typeof ErrorGroup>;
/** Output of jobs.errorGroups, largest group first. */
export const ErrorGroups = z.object({ groups: z.array(ErrorGroup) });

/** Input of jobs.liveLog: the tail of a job running in this process. */
export const LiveLogInput = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().min(1).max(64),
    key_hash: z.string().regex(/^[0-9a-f]{32}$/),
  })
  .strict();
/** Output of jobs.liveLog: the kept tail, and whether the job still runs here. */
export const LiveLog = z.object({ running: z.boolean(), tail: z.string() });

/** Pending work of one auto-populated table (counts with DataJoint's meaning). */
export const TableJobs = z.object({
  full_name: z.string(),
  schema: z.string(),
  table_name: z.string(),
  class_name: z.string(),
  tier: z.enum(['Imported', 'Computed']),
  key_source_count: z.number(),
  populated_key_count: z.number(),
  pending_count: z.number(),
  pending_excluding_jobs_count: z.number(),
  jobs_by_status: JobsByStatus,
  /** Keys leased by live Joinery workers, and keys waiting for a retry. */
  running: z.number(),
  waiting: z.number(),
  has_task: z.boolean(),
});
export type TableJobs = z.infer<typeof TableJobs>;

/** Input of jobs.pending. */
export const JobsPendingInput = z
  .object({ connectionId: Id, schemas: z.array(SchemaName).max(1000).optional() })
  .strict();
/** Output of jobs.pending: every auto-populated table in dependency order. */
export const JobsPending = z.object({ tables: z.array(TableJobs) });

/** Which runner executes jobs: in-process function, local process, or Docker (Workers issue). */
export const RunnerKind = z.enum(['inline', 'process', 'docker']);
export type RunnerKind = z.infer<typeof RunnerKind>;

/** Input of jobs.populate: starts workers in this process and returns at once. */
export const PopulateInput = z
  .object({
    connectionId: Id,
    schema: SchemaName.optional(),
    table: z.string().min(1).max(64).optional(),
    /** Only these tables (`schema.table`): a table and everything downstream of it, say. */
    tables: z.array(z.string().min(3).max(130)).min(1).max(10_000).optional(),
    /** Restricts the key sources (DataJoint dict semantics: attributes a key source lacks are ignored). */
    restriction: Restriction.optional(),
    workers: z.number().int().min(1).max(64).default(1),
    runner: RunnerKind.default('inline'),
    /** Lease length; a job whose worker stops renewing it for this long returns to the queue. */
    lease_s: z.number().min(0.5).max(86_400).default(60),
    /** Keys claimed per round trip by runners that can start many jobs at once (inline). */
    batch: z.number().int().min(1).max(1000).default(64),
    /** Also wait for jobs other Joinery workers hold, taking them over if their lease expires. */
    wait_for_others: z.boolean().default(false),
    /** Run shell-command callbacks (off unless asked: a database row must not run commands by itself). */
    allow_command_callbacks: z.boolean().default(false),
  })
  .strict();
export type PopulateInput = z.infer<typeof PopulateInput>;

/** Per-table tallies of a populate run. */
export const PopulateTableCounts = z.object({
  full_name: z.string(),
  done: z.number(),
  failed: z.number(),
  retried: z.number(),
  cached: z.number(),
  skipped: z.number(),
  lost: z.number(),
  pending: z.number(),
});
export type PopulateTableCounts = z.infer<typeof PopulateTableCounts>;

/** State and tallies of a populate run. */
export const PopulateSummary = z.object({
  populateId: z.string(),
  state: z.enum(['running', 'stopping', 'finished', 'failed']),
  started: z.number(),
  ended: z.number().nullable(),
  tables: z.array(PopulateTableCounts),
  /** Jobs executed by this run's workers (runner invocations, cache hits excluded). */
  executed: z.number(),
  errors: z.array(z.object({ full_name: z.string(), key: DataRow, message: z.string() })),
  message: z.string().nullable(),
});
export type PopulateSummary = z.infer<typeof PopulateSummary>;

/** Input of jobs.stop: finish the jobs in hand, or release them at once (not counted as attempts). */
export const StopInput = z.object({ populateId: Id, mode: z.enum(['finish', 'release']).default('finish') }).strict();
/** Input of jobs.populateStatus. */
export const PopulateRef = z.object({ populateId: Id }).strict();

/** Jobs to act on: by key hash or key, or all of a status, within one schema (optionally one table). */
export const JobSelector = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().min(1).max(64).optional(),
    key_hashes: z
      .array(z.string().regex(/^[0-9a-f]{32}$/))
      .max(100_000)
      .optional(),
    keys: z.array(DataRow).max(100_000).optional(),
    status: z.enum(['error', 'ignore', 'reserved', 'waiting', 'running']).optional(),
  })
  .strict();
export type JobSelector = z.infer<typeof JobSelector>;

/** Input of jobs.setPriority. */
export const PriorityInput = JobSelector.extend({ priority: z.number().int().min(-1_000_000).max(1_000_000) }).strict();

/** How many jobs an action changed. */
export const JobsChanged = z.object({ count: z.number() });

/** Input of jobs.watch: poll cheap counts every `interval_ms` (0 stops) to notice other clients' writes. */
export const WatchInput = z
  .object({
    connectionId: Id,
    schemas: z.array(SchemaName).max(1000).optional(),
    interval_ms: z.number().int().min(0).max(3_600_000),
  })
  .strict();

/** Event payloads. */
/** New log lines of a job running in this process (throttled); `jobs.liveLog` has the tail. */
export const RunsLogEvent = z.object({ connectionId: z.string(), full_name: z.string(), key_hash: z.string() });
export const JobsProgressEvent = z.object({
  connectionId: z.string(),
  populateId: z.string(),
  table: PopulateTableCounts,
});
export const JobsFinishedEvent = z.object({ connectionId: z.string(), summary: PopulateSummary });
export const JobsChangedEvent = z.object({
  connectionId: z.string(),
  /** Full names of the tables whose rows or jobs changed. */
  tables: z.array(z.string()),
  source: z.enum(['insert', 'poll', 'jobs']),
});

/** A job ended in error here (a populate of this process or this machine's donated worker), for notifications. */
export const JobsFailedEvent = z.object({
  connectionId: z.string(),
  /** `schema`.`table_name` */
  table: z.string(),
  key: DataRow,
  message: z.string(),
  /** The donated worker that ran it; null for a populate. */
  workerId: z.string().nullable(),
});

/**
 * result.json of the container contract (ARCHITECTURE §5, fixed): the table's rows (secondary
 * attributes; the job's key is filled in) and rows of its parts by part name (`Unit`, or the
 * part's table name). Unknown fields are refused so a misspelt "row" is not silently ignored.
 */
export const JobResult = z
  .object({
    rows: z.array(DataRow).max(1_000_000).default([]),
    parts: z.record(z.string(), z.array(DataRow).max(1_000_000)).default({}),
  })
  .strict();
export type JobResult = z.infer<typeof JobResult>;

/** Output of jobs.populate. */
export const PopulateStarted = z.object({ populateId: z.string() });
