import { z } from 'zod';
import { Id } from './common';
import { SchemaName } from './schema';

/**
 * Tasks: how an Imported or Computed table computes one key (ARCHITECTURE §1, §5). One task per
 * table, stored in the database (`~joinery_task` of its schema) so that every colleague and every
 * worker sees the same truth.
 */

const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B?)$/i;
const UNIT: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** Parses `8G`, `512M`, `1.5GiB`, `1024` (bytes); null when it is not a size. Binary units, as Docker. */
export function parseByteSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT[m[2]!.toUpperCase()]!);
}

/** A size in bytes, given as a number or as text such as `8G`. */
export const ByteSize = z.union([
  z.number().int().min(0),
  z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const n = parseByteSize(s);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: `"${s}" is not a size (examples: 512M, 8G, 1073741824)` });
        return z.NEVER;
      }
      return n;
    }),
]);

/**
 * The hardware one job of a task needs. Workers claim only jobs whose request fits their free
 * capacity (the Workers issue); labels are requirements such as `cuda>=12` or `avx2`.
 */
export const ResourceRequest = z
  .object({
    cpus: z.number().positive().max(1024).default(1),
    memory: ByteSize.default(0),
    gpus: z.number().int().min(0).max(64).default(0),
    gpu_memory: ByteSize.default(0),
    labels: z.array(z.string().min(1).max(200)).max(64).default([]),
  })
  .strict();
export type ResourceRequest = z.infer<typeof ResourceRequest>;

/** One declared input: rows of an upstream table (or part) restricted by the job's key. */
export const TaskInput = z
  .object({
    /** `schema.table` (stored name) of an ancestor of the task's table, or of a part of one. */
    table: z.string().min(3).max(200),
    /** Attributes to pass; all when omitted. */
    attributes: z.array(z.string().min(1).max(64)).max(4096).optional(),
  })
  .strict();
export type TaskInput = z.infer<typeof TaskInput>;

/**
 * What a task is. Exactly one way to run: `image` (+ optional `command`) for the docker runner,
 * `command` (an argument array, or a string run by `/bin/sh -c`) for the process runner, `inline` (a function registered in the running process)
 * for tests and benchmarks. `mode: legacy` runs a command that inserts by itself (a make() in
 * DataJoint Python); the worker then checks that the rows appeared.
 */
export const TaskSpec = z
  .object({
    image: z.string().min(1).max(500).optional(),
    /** An argument array, or one string that `/bin/sh -c` runs (pipes, redirections, `$VAR`). */
    command: z
      .union([
        z
          .string()
          .min(1)
          .max(10_000)
          .transform((line) => ['/bin/sh', '-c', line]),
        z.array(z.string().max(10_000)).min(1).max(1000),
      ])
      .optional(),
    inline: z.string().min(1).max(200).optional(),
    mode: z.enum(['result', 'legacy']).default('result'),
    params: z.record(z.string(), z.unknown()).default({}),
    inputs: z.array(TaskInput).max(100).default([]),
    resources: ResourceRequest.default({ cpus: 1, memory: 0, gpus: 0, gpu_memory: 0, labels: [] }),
    /** Wall-clock limit of one attempt. */
    timeout_s: z
      .number()
      .positive()
      .max(7 * 86_400)
      .default(3600),
    /** Retry budget: failed attempts retried this many times (0: the first failure is final). */
    retries: z.number().int().min(0).max(100).default(0),
    /** Delay before the first retry; doubled for each further one up to `backoff_max_s`. */
    backoff_s: z.number().min(0).max(86_400).default(10),
    backoff_max_s: z
      .number()
      .min(0)
      .max(7 * 86_400)
      .default(600),
    /** Default priority of the task's jobs (higher first); single jobs can be raised with jobs.setPriority. */
    priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    /** Reuse the stored result of an earlier success with the same task version and input fingerprint. */
    cache: z.boolean().default(false),
    /** Docker runner: the container gets a network only when the task asks (default: none). */
    network: z.boolean().default(false),
    /** Docker runner: run as root inside the container only when the task asks (default: nobody). */
    run_as_root: z.boolean().default(false),
    description: z.string().max(2000).default(''),
    /**
     * DataJoint 2.x schemas only (the table's `~~<table>` queue), as 2.x's `jobs.keep_completed`:
     * a success leaves its row as `success` with completed_time and duration instead of deleting it.
     */
    keep_completed: z.boolean().default(false),
    /**
     * DataJoint 2.x schemas only, as 2.x's `stale_timeout`: pending and error rows older than this
     * whose key left the key source are deleted when the queue is refreshed (`ignore` rows never).
     */
    stale_timeout_s: z
      .number()
      .min(0)
      .max(365 * 86_400)
      .default(3600),
    /**
     * DataJoint 2.x schemas only, as 2.x's `orphan_timeout`: rows reserved longer than this are
     * pending again when the queue is refreshed (a dead 2.x worker's key), except keys a Joinery
     * worker's live lease holds. Null (default): never.
     */
    orphan_timeout_s: z
      .number()
      .positive()
      .max(365 * 86_400)
      .nullable()
      .default(null),
  })
  .strict();
export type TaskSpec = z.infer<typeof TaskSpec>;

/** A stored task. */
export const TaskInfo = z.object({
  schema: z.string(),
  table: z.string(),
  full_name: z.string(),
  class_name: z.string(),
  /** Increases by one whenever the spec changes; recorded in provenance. */
  version: z.number().int(),
  /** Image digest (when the image is given by digest), else a hash of image + command, or `inline:<name>`. */
  code_hash: z.string(),
  spec: TaskSpec,
  updated: z.string().nullable(),
});
export type TaskInfo = z.infer<typeof TaskInfo>;

/** One table by schema and stored name. */
export const TaskAddress = z
  .object({ connectionId: Id, schema: SchemaName, table: z.string().min(1).max(64) })
  .strict();

/** Input of task.set. */
export const TaskSetInput = TaskAddress.extend({ spec: TaskSpec }).strict();

/** Input of task.validate: the stored task, or `spec` before it is stored. */
export const TaskValidateInput = TaskAddress.extend({ spec: TaskSpec.optional() }).strict();

/** One problem found by task.validate; `path` points into the spec (`inputs.0.table`). */
export const TaskProblem = z.object({ path: z.string(), message: z.string() });

/** Output of task.validate. */
export const TaskValidation = z.object({ valid: z.boolean(), problems: z.array(TaskProblem) });
export type TaskValidation = z.infer<typeof TaskValidation>;

/** Input of task.list. */
export const TaskListInput = z.object({ connectionId: Id, schemas: z.array(SchemaName).max(1000).optional() }).strict();

/** Output of task.list: the stored tasks and the auto-populated tables that have none. */
export const TaskList = z.object({ tasks: z.array(TaskInfo), without_task: z.array(z.string()) });
export type TaskList = z.infer<typeof TaskList>;

/** Input of task.test: one key run as a worker would, nothing written. */
export const TaskTestInput = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().min(1).max(64),
    key: z.record(z.string(), z.unknown()),
    /** A task to try instead of the stored one. */
    spec: TaskSpec.optional(),
    /** Default: docker for an image, process for a command. */
    runner: z.enum(['docker', 'process']).optional(),
  })
  .strict();

/** Output of task.test: the rows the job would write (checked against the headings), or why it failed. */
export const TaskTestResult = z.object({
  ok: z.boolean(),
  rows: z.array(z.record(z.string(), z.unknown())),
  parts: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  error: z.string().nullable(),
  log: z.array(z.string()),
  exit_code: z.number().nullable(),
  duration_ms: z.number(),
});
export type TaskTestResult = z.infer<typeof TaskTestResult>;
