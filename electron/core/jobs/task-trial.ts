import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { TaskSpec } from '../../../shared/api/schemas/task';
import { isAppError } from '../../../shared/errors';
import type { StoreLookup } from '../data/external-read';
import type { BlobCodec } from '../data/values';
import type { DbDriver, Row } from '../db/driver';
import type { JobRunner } from './runner';
import { hashCanonicalKey } from './canonical-key-hash';
import { fetchInputs } from './inputs';
import { buildTableJobs } from './job-context';
import { checkResult } from './result-check';

/** What one trial run of a task produced: the rows it would write, or why it failed. */
export interface TrialResult {
  ok: boolean;
  rows: Row[];
  parts: Record<string, Row[]>;
  error: string | null;
  log: string[];
  exit_code: number | null;
  duration_ms: number;
}

const LOG_LINES = 500;

/**
 * Runs a task on one key exactly as a worker would (same inputs, same runner, same checks of
 * result.json against the headings) and writes nothing: `joinery task test` while a task is
 * being written. The key need not be pending; it must exist in the key source's attributes.
 */
export async function trialRun(
  deps: { db: DbDriver; tables: readonly TableInfo[]; blobs: BlobCodec; stores: StoreLookup; runner: JobRunner },
  table: TableInfo,
  spec: TaskSpec,
  key: Row,
): Promise<TrialResult> {
  const started = Date.now();
  const log: string[] = [];
  const fail = (error: string, exit: number | null = null): TrialResult => ({
    ok: false,
    rows: [],
    parts: {},
    error,
    log,
    exit_code: exit,
    duration_ms: Date.now() - started,
  });
  const task = { schema: table.schema, table: table.table_name, version: 0, spec, codeHash: 'trial', updated: null };
  const { jobs } = buildTableJobs(deps.db.dialect, deps.tables, new Map([[table.full_name, task]]), {
    schema: table.schema,
    table: table.table_name,
  });
  const tj = jobs[0];
  if (!tj) return fail(`${table.full_name} has no primary parent: there is nothing to compute a key from.`);
  const reason = deps.runner.check(spec);
  if (reason) return fail(`The ${deps.runner.kind} runner cannot run this task: ${reason}.`);
  const inputs = await fetchInputs(deps.db, tj.inputs, key, deps.blobs, deps.stores);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.timeout_s * 1000);
  try {
    const out = await deps.runner.run({
      job: {
        schema: table.schema,
        table: table.table_name,
        fullName: table.full_name,
        key,
        keyHash: hashCanonicalKey(key, table),
        attempt: 1,
      },
      task: { spec, version: 0, codeHash: 'trial' },
      inputs,
      signal: controller.signal,
      timeoutMs: spec.timeout_s * 1000,
      log: (line) => {
        log.push(line);
        if (log.length > LOG_LINES) log.shift();
      },
    });
    const checked = checkResult(tj, key, out.result);
    return {
      ok: true,
      rows: checked.rows,
      parts: Object.fromEntries(checked.parts.map((p) => [p.table.full_name, p.rows])),
      error: null,
      log,
      exit_code: out.exitCode ?? 0,
      duration_ms: Date.now() - started,
    };
  } catch (e) {
    const exit = (e as { extra?: { exitCode?: number | null } }).extra?.exitCode ?? null;
    return fail(isAppError(e) ? e.message : `${(e as Error).name}: ${(e as Error).message}`, exit);
  } finally {
    clearTimeout(timer);
  }
}
