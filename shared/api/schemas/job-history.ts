import { z } from 'zod';
import { Id } from './common';
import { DataRow, Restriction } from './data';
import { SchemaName } from './schema';

/** What happened to jobs: their attempts (runs), provenance, stale results, and the plan of jobs staged rows start. */

/** One attempt of a job, with its run id (null only for a success recorded before Joinery 0.3, read from provenance). */
export const RunInfo = z.object({
  run_id: z.number().nullable(),
  table_name: z.string(),
  key_hash: z.string(),
  attempt: z.number(),
  status: z.enum(['success', 'error', 'lost', 'cancelled', 'released']),
  runner: z.string(),
  worker: z.string(),
  started: z.number(),
  ended: z.number(),
  exit_code: z.number().nullable(),
  peak_memory: z.number().nullable(),
  error_message: z.string(),
  log_tail: z.string().nullable(),
});
export type RunInfo = z.infer<typeof RunInfo>;

/** Input of jobs.runs. */
export const RunsInput = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().max(64).optional(),
    key_hash: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
    limit: z.number().int().min(1).max(100_000).default(100),
  })
  .strict();

/** How one computed key was made. */
export const ProvenanceInfo = z.object({
  table_name: z.string(),
  key_hash: z.string(),
  key: DataRow,
  task_version: z.number(),
  code_hash: z.string(),
  input_fingerprint: z.string(),
  runner: z.string(),
  worker: z.string(),
  started: z.number(),
  ended: z.number(),
  peak_memory: z.number().nullable(),
  cached: z.boolean(),
});
export type ProvenanceInfo = z.infer<typeof ProvenanceInfo>;

/** Input of jobs.provenance. */
export const ProvenanceInput = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().min(1).max(64),
    key_hashes: z.array(z.string()).max(100_000).optional(),
    limit: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();

/** Input of jobs.stale. */
export const StaleInput = z
  .object({ connectionId: Id, schema: SchemaName, table: z.string().min(1).max(64).optional() })
  .strict();

/** A computed row whose inputs (or task) changed since it was made. */
export const StaleRow = z.object({
  full_name: z.string(),
  key: DataRow,
  key_hash: z.string(),
  reason: z.enum(['inputs', 'task']),
  computed_fingerprint: z.string(),
  current_fingerprint: z.string(),
  task_version: z.number(),
  current_task_version: z.number(),
  ended: z.number(),
});
/** Output of jobs.stale. */
export const StaleList = z.object({ rows: z.array(StaleRow) });

/** Input of jobs.plan: a restriction on an upstream table, the "staged" data. */
export const PlanInput = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().min(1).max(64),
    restriction: Restriction.optional(),
  })
  .strict();

/** One planned job. `depends_on` lists ids of planned jobs that must finish first. */
export const PlannedJob = z.object({
  id: z.string(),
  full_name: z.string(),
  key: DataRow,
  key_hash: z.string(),
  depends_on: z.array(z.string()),
});

/** Output of jobs.plan: the DAG of jobs that would follow from the staged rows, in dependency order. */
export const JobPlan = z.object({
  staged: z.object({ full_name: z.string(), keys: z.number() }),
  tables: z.array(z.object({ full_name: z.string(), jobs: z.number(), note: z.string().nullable() })),
  jobs: z.array(PlannedJob),
});
export type JobPlan = z.infer<typeof JobPlan>;

/** Output of jobs.runs. */
export const RunList = z.object({ runs: z.array(RunInfo) });
/** Output of jobs.provenance. */
export const ProvenanceList = z.object({ rows: z.array(ProvenanceInfo) });
