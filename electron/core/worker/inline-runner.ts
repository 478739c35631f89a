import type { TaskSpec } from '../../../shared/api/schemas/task';
import type { Row } from '../db/driver';
import { JobRunError, type JobRunner, type RunOutput, type RunRequest } from '../jobs/runner';

/** What an inline function receives: the same things a container finds in /joinery/in. */
export interface InlineContext {
  key: Row;
  inputs: Record<string, Row[]>;
  params: Record<string, unknown>;
  attempt: number;
  table: string;
  signal: AbortSignal;
  log(line: string): void;
}

/** A job computed in this process: returns result.json's content (`{rows, parts}`), or nothing in legacy mode. */
export type InlineFunction = (ctx: InlineContext) => unknown;

/**
 * Runs registered in-process functions, named by a task's `inline` field. For tests and
 * benchmarks, and for the CLI's `--inline MODULE` (a module whose exports are such functions).
 */
export class InlineJobRunner implements JobRunner {
  readonly kind = 'inline' as const;
  readonly batches = true;
  private readonly functions = new Map<string, InlineFunction>();

  /** Registers (or replaces) a function under `name`. */
  register(name: string, fn: InlineFunction): void {
    this.functions.set(name, fn);
  }

  /** Names of the registered functions. */
  names(): string[] {
    return [...this.functions.keys()].sort();
  }

  check(spec: TaskSpec): string | null {
    if (!spec.inline) return 'the task names no inline function (its "inline" field)';
    if (!this.functions.has(spec.inline)) {
      const known = this.names();
      return `no inline function named "${spec.inline}" is registered in this process${known.length ? ` (registered: ${known.join(', ')})` : ''}`;
    }
    return null;
  }

  async run(req: RunRequest): Promise<RunOutput> {
    const reason = this.check(req.task.spec);
    if (reason) throw new JobRunError('JobError', reason);
    const fn = this.functions.get(req.task.spec.inline!)!;
    const result = await abortable(req.signal, () =>
      fn({
        key: req.job.key,
        inputs: req.inputs,
        params: req.task.spec.params,
        attempt: req.job.attempt,
        table: req.job.fullName,
        signal: req.signal,
        log: req.log,
      }),
    );
    return { result, exitCode: null, peakMemory: null };
  }
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the function cannot be killed, only abandoned). */
function abortable(signal: AbortSignal, work: () => unknown): Promise<unknown> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<unknown>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(work)
      .then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
  });
}

function abortError(signal: AbortSignal): JobRunError {
  const reason: unknown = signal.reason;
  return reason instanceof JobRunError ? reason : new JobRunError('CancelledError', 'the job was cancelled');
}
