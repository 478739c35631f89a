import type { PopulateSummary, RunnerKind } from '../../../shared/api/schemas/jobs';
import type { TaskSpec } from '../../../shared/api/schemas/task';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { callOrThrow } from './call';

/** Which runner a task asks for: an inline function, a Docker image, or a command on this machine. */
export function runnerOfTask(spec: TaskSpec): RunnerKind {
  if (spec.inline) return 'inline';
  return spec.image ? 'docker' : 'process';
}

/**
 * The runner for `joinery populate` without `--runner`, chosen from the tasks of the tables it
 * covers: inline functions run inline, commands run as processes on this machine (the CLI's user
 * started them here), Docker images in Docker here. Tasks of different kinds are refused with the
 * exact flags that run each, rather than skipping some silently.
 */
export async function chooseRunner(
  core: Core,
  connectionId: string,
  db: string,
  schema: string | undefined,
  table: string | undefined,
): Promise<RunnerKind> {
  const list = await callOrThrow(core, 'task.list', { connectionId, schemas: schema ? [schema] : undefined });
  const tasks = list.tasks.filter((t) => !table || t.table === table);
  const byKind = new Map<RunnerKind, string[]>();
  for (const t of tasks) {
    const kind = runnerOfTask(t.spec);
    byKind.set(kind, [...(byKind.get(kind) ?? []), t.full_name]);
  }
  if (byKind.size > 1) {
    const lines = [...byKind].map(
      ([kind, tables]) => `${tables.join(', ')}: --runner ${kind}${kind === 'inline' ? ' --inline MODULE' : ''}`,
    );
    throw appError(
      'VALIDATION',
      `The tasks of these tables need different runners; populate them one runner at a time.`,
      {
        hint: `Add --table T and the runner: ${lines.join('; ')} (or let "joinery worker --db ${db} --once" run the Docker tasks).`,
        details: { field: 'runner' },
      },
    );
  }
  return [...byKind.keys()][0] ?? 'inline';
}

/**
 * Keys of the populated tables that sit in `error` after the run (failed now or before, which
 * populate does not run again): one line each saying how to see and retry them. Empty when none.
 */
export async function keysInError(core: Core, connectionId: string, summary: PopulateSummary): Promise<string[]> {
  const names = new Set(summary.tables.map((t) => t.full_name));
  if (names.size === 0) return [];
  const schemas = [...new Set(summary.tables.map((t) => t.full_name.split('.')[0]!))];
  const pending = await callOrThrow(core, 'jobs.pending', { connectionId, schemas });
  return pending.tables
    .filter((t) => names.has(t.full_name) && t.jobs_by_status.error > 0)
    .map(
      (t) =>
        `${t.full_name}: ${t.jobs_by_status.error} key(s) in error; see them with "joinery jobs --schema ${t.schema} --table ${t.class_name} --status error"; "joinery jobs retry --schema ${t.schema} --table ${t.class_name}" runs them again`,
    );
}
