import { isAppError } from '../../../shared/errors';
import type { BlobCodec } from '../data/values';
import type { DbSession } from '../db/driver';
import { JobRunError, type JobRunner, type RunOutput } from './runner';
import type { ClaimedJob } from './claim';
import type { RunRecord, Success } from './complete';
import { fetchInputs, inputFingerprint } from './inputs';
import { columns, keysIn } from './job-sql';
import { CACHE_TABLE } from './job-tables';
import type { Failure } from './lease';
import { isOutage } from './outage';
import { checkResult } from './result-check';
import type { StoreLookup } from '../data/external-read';

const LOG_TAIL_CHARS = 8000;

/** Everything one attempt needs besides the job. */
export interface ExecuteDeps {
  db: DbSession;
  runner: JobRunner;
  blobs: BlobCodec;
  stores?: StoreLookup;
  now(): number;
  signal: AbortSignal;
}

/** What an attempt came to: a result ready to commit, or a failure to record. */
export type Attempt =
  | { ok: true; success: Success; executed: boolean }
  /** `outage`: the database went away while the job read or checked; not the job's fault. */
  | { ok: false; failure: Failure; executed: boolean; outage: boolean };

/**
 * One attempt of one job, without touching the job's state: fetch the declared inputs, reuse a
 * cached result or run the runner, then check the result against the headings (legacy mode: check
 * that the command's rows appeared). The caller commits the outcome.
 */
export async function executeJob(job: ClaimedJob, deps: ExecuteDeps): Promise<Attempt> {
  const { tj } = job;
  const spec = tj.task.spec;
  const started = deps.now();
  const log: string[] = [];
  let logSize = 0;
  const onLog = (line: string) => {
    log.push(line);
    logSize += line.length + 1;
    while (logSize > LOG_TAIL_CHARS && log.length > 1) logSize -= log.shift()!.length + 1;
  };
  let executed = false;
  let out: RunOutput = {};
  const record = (status: RunRecord['status'], errorMessage = ''): RunRecord => ({
    status,
    runner: deps.runner.kind,
    started,
    ended: deps.now(),
    exitCode: out.exitCode ?? null,
    peakMemory: out.peakMemory ?? null,
    errorMessage,
    logTail: log.length ? log.join('\n') : null,
  });
  try {
    const inputs = tj.inputs.length ? await fetchInputs(deps.db, tj.inputs, job.key, deps.blobs, deps.stores) : {};
    const fingerprint = inputFingerprint(job.key, inputs);
    const hit = spec.cache && spec.mode === 'result' ? await cachedResult(deps.db, job, fingerprint) : undefined;
    if (hit === undefined) {
      executed = true;
      out = await deps.runner.run({
        job: {
          schema: tj.table.schema,
          table: tj.table.table_name,
          fullName: tj.table.full_name,
          key: job.key,
          keyHash: job.keyHash,
          attempt: job.attempt,
        },
        task: { spec, version: tj.task.version, codeHash: tj.task.codeHash },
        inputs,
        signal: deps.signal,
        timeoutMs: spec.timeout_s * 1000,
        log: onLog,
      });
    }
    if (deps.signal.aborted) throw deps.signal.reason;
    const raw = hit ?? out.result;
    const result = spec.mode === 'legacy' ? null : checkResult(tj, job.key, raw);
    if (spec.mode === 'legacy') await checkLegacyRows(deps.db, job);
    const cacheEntry = spec.cache && hit === undefined && spec.mode === 'result' ? JSON.stringify(raw) : null;
    return {
      ok: true,
      executed,
      success: {
        job,
        result,
        fingerprint,
        codeHash: out.codeHash ?? tj.task.codeHash,
        cached: hit !== undefined,
        run: record('success'),
        cacheEntry,
      },
    };
  } catch (e) {
    const f = describeFailure(e);
    if (e instanceof JobRunError)
      out = { ...out, exitCode: e.extra.exitCode ?? out.exitCode, peakMemory: e.extra.peakMemory ?? out.peakMemory };
    return {
      ok: false,
      executed,
      outage: isAppError(e) && isOutage(e),
      failure: {
        message: f.message,
        stack: f.stack,
        final: f.final,
        run: record(f.final ? 'cancelled' : 'error', f.message),
      },
    };
  }
}

/** DataJoint's error_message form, `<ExceptionClass>: <text>`, plus a stack-like text and whether retrying makes sense. */
export function describeFailure(e: unknown): { message: string; stack: string; final: boolean } {
  if (e instanceof JobRunError)
    return {
      message: `${e.kind}: ${e.message}`,
      stack: e.extra.stack ?? `${e.kind}: ${e.message}`,
      final: e.kind === 'CancelledError',
    };
  if (isAppError(e)) {
    const kind =
      e.code === 'VALIDATION'
        ? 'ResultError'
        : `${e.code.charAt(0)}${e.code
            .slice(1)
            .toLowerCase()
            .replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}Error`;
    return {
      message: `${kind}: ${e.message}`,
      stack: `${kind}: ${e.message}${e.hint ? `\n${e.hint}` : ''}`,
      final: false,
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { message: `${err.name}: ${err.message}`, stack: err.stack ?? `${err.name}: ${err.message}`, final: false };
}

async function cachedResult(db: DbSession, job: ClaimedJob, fingerprint: string): Promise<unknown> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const [row] = await db.query<{ result: string }>(
    `SELECT ${q('result')} FROM ${db.dialect.qualify(job.tj.table.schema, CACHE_TABLE)} WHERE ${q('table_name')} = ? AND ${q('task_version')} = ? AND ${q('input_fingerprint')} = ?`,
    [job.tj.table.table_name, job.tj.task.version, fingerprint],
  );
  return row ? (JSON.parse(row.result) as unknown) : undefined;
}

/** Legacy mode: the command inserted by itself; its rows for the key must be there now. */
async function checkLegacyRows(db: DbSession, job: ClaimedJob): Promise<void> {
  const { tj } = job;
  const cond = keysIn(db.dialect, tj.ksAttrs, [job.key]);
  const rows = await db.query(
    `SELECT ${columns(db.dialect, tj.ks.attributes)} FROM ${db.dialect.qualify(tj.table.schema, tj.table.table_name)} WHERE ${cond.sql} LIMIT 1`,
    cond.params,
  );
  if (rows.length === 0) {
    throw new JobRunError(
      'ResultError',
      `the command finished but no row of ${tj.table.full_name} appeared for key ${JSON.stringify(job.key)} (legacy mode: the command must insert it)`,
    );
  }
}
