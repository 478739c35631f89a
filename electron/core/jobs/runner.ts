import type { RunnerKind } from '../../../shared/api/schemas/jobs';
import type { TaskSpec } from '../../../shared/api/schemas/task';
import type { Row } from '../db/driver';

/** The job a runner executes: which key of which table, with what the task declares it receives. */
export interface RunRequest {
  job: {
    schema: string;
    /** Stored table name (`__spike_detection`). */
    table: string;
    /** `schema.table`. */
    fullName: string;
    key: Row;
    keyHash: string;
    /** 1 for the first attempt. */
    attempt: number;
  };
  task: { spec: TaskSpec; version: number; codeHash: string };
  /** Declared upstream rows, by `schema.table`, blobs decoded (the container contract's inputs.json). */
  inputs: Record<string, Row[]>;
  /** Aborted on cancel, timeout or worker shutdown; the runner must stop the job promptly. */
  signal: AbortSignal;
  /** Limit of the attempt, for runners that enforce it themselves (containers). */
  timeoutMs: number;
  /** Receives the job's output line by line (the caller keeps a bounded tail). */
  log(line: string): void;
}

/** What a finished attempt produced. */
export interface RunOutput {
  /** Parsed result.json (`{"rows": [...], "parts": {...}}`); absent in legacy mode. */
  result?: unknown;
  exitCode?: number | null;
  /** Peak resident memory in bytes, where the runner can tell. */
  peakMemory?: number | null;
  /** What actually ran, when more precise than the task's hash (the image digest of a container). */
  codeHash?: string;
}

/** Why an attempt failed; `kind` becomes the exception class name of DataJoint's error_message. */
export type RunErrorKind = 'JobError' | 'TimeoutError' | 'CancelledError' | 'OutOfMemoryError' | 'ResultError';

/** A failed attempt; counted against the task's retry budget unless it was cancelled. */
export class JobRunError extends Error {
  constructor(
    readonly kind: RunErrorKind,
    message: string,
    readonly extra: { exitCode?: number | null; peakMemory?: number | null; stack?: string } = {},
  ) {
    super(message);
    this.name = kind;
  }
}

/**
 * Runs one attempt of one job. Implementations: inline (a registered in-process function),
 * process (a local command speaking the container contract through env vars), docker (Workers
 * issue). The worker owns everything else: claiming, inputs, validation, inserting, provenance.
 */
export interface JobRunner {
  readonly kind: RunnerKind;
  /** Why this runner cannot run the task (no command, unknown inline function...), or null. */
  check(spec: TaskSpec): string | null;
  /** Runs the attempt; resolves with its output or rejects (a JobRunError, or any error: a failed attempt). */
  run(req: RunRequest): Promise<RunOutput>;
  /** Whether the runner can start many short jobs at once, so the worker claims keys in batches. */
  readonly batches: boolean;
}
