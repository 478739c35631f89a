import { z } from 'zod';
import { Id } from './common';
import { DataRow, Restriction } from './data';
import { SchemaName } from './schema';

/**
 * Populating through a cluster scheduler (Slurm; Kubernetes to come): keys go to the scheduler as
 * `joinery run-job` jobs, reserved through the same job protocol as every worker's.
 */
export const ClusterBackend = z.enum(['slurm', 'k8s']);

/** Input of cluster.populate. */
export const ClusterPopulateInput = z
  .object({
    connectionId: Id,
    backend: ClusterBackend.default('slurm'),
    schema: SchemaName.optional(),
    table: z.string().min(1).max(64).optional(),
    restriction: Restriction.optional(),
    partition: z
      .string()
      .regex(/^[A-Za-z0-9_.,-]{1,128}$/, 'a Slurm partition name (letters, digits, _ . , -)')
      .optional(),
    account: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a Slurm account name (letters, digits, _ . -)')
      .optional(),
    /** At most this many tasks of one job array at once (0: as the scheduler sees fit). */
    array_parallel: z.number().int().min(0).max(100_000).default(0),
    /** Submit what is pending now and return, instead of following the jobs to the end. */
    detach: z.boolean().default(false),
    /** How a node starts Joinery (argv), e.g. ["/usr/bin/node", "/opt/joinery/bin/joinery.js"]. */
    joinery: z.array(z.string().min(1).max(4096)).min(1).max(16).optional(),
    /** A folder every node can read: keys files and the scheduler's logs. */
    spool: z.string().min(1).max(4096).optional(),
    /** Kubernetes: the namespace (default: the kubeconfig context's, else `default`). */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name')
      .optional(),
    /** Kubernetes: the image with Joinery in it that runs each key. */
    image: z.string().min(1).max(500).default('joinery/runner:latest'),
    /** Kubernetes: pods of one Job at once. */
    parallelism: z.number().int().min(1).max(10_000).default(10),
    /** How often to ask the scheduler, in ms. */
    poll_ms: z.number().int().min(100).max(600_000).default(2000),
  })
  .strict();
export type ClusterPopulateInput = z.infer<typeof ClusterPopulateInput>;

/** Per-table tallies of a cluster populate. */
export const ClusterTableCounts = z.object({
  full_name: z.string(),
  submitted: z.number(),
  resubmitted: z.number(),
  completed: z.number(),
  failed: z.number(),
  lost: z.number(),
});

/** State and tallies of a cluster populate. */
export const ClusterPopulateSummary = z.object({
  runId: z.string(),
  backend: ClusterBackend,
  state: z.enum(['running', 'finished', 'failed']),
  tables: z.array(ClusterTableCounts),
  message: z.string().nullable(),
});
export type ClusterPopulateSummary = z.infer<typeof ClusterPopulateSummary>;

/** One key handed to a scheduler, as the scheduler last reported it. */
export const ClusterJob = z.object({
  schema: z.string(),
  table_name: z.string(),
  key_hash: z.string(),
  key: DataRow.nullable(),
  backend: z.string(),
  /** Slurm job id (array task: `<job>_<index>`). */
  external_id: z.string(),
  /** The scheduler's state: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, NODE_FAIL, CANCELLED, ... */
  state: z.string(),
  submissions: z.number(),
  log_path: z.string(),
  submitted: z.number(),
});
export type ClusterJob = z.infer<typeof ClusterJob>;

/** Input of cluster.jobs. */
export const ClusterJobsInput = z
  .object({
    connectionId: Id,
    schemas: z.array(SchemaName).max(1000).optional(),
    table: z.string().min(1).max(64).optional(),
  })
  .strict();
