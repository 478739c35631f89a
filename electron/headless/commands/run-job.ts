import type { JobView, PopulateSummary } from '../../../shared/api/schemas/jobs';
import type { TaskSpec } from '../../../shared/api/schemas/task';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { optionValue, parseArgs, usage } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import { runJobSpec } from './catalog';
import type { Command } from './command';
import { tableName } from './jobs-cli';
import { openDb } from './open-db';

/**
 * `joinery run-job` (ARCHITECTURE §8, fixed): one job, where it is started (a cluster node, a
 * pod). It is a populate restricted to exactly one key: the same reservation (DataJoint's
 * `~jobs` plus Joinery's lease, renewed while it runs), the same runners, and the same single
 * transaction for result, provenance and the job's end. Exit 0 when the key is computed (now or
 * before), 1 when it failed or someone else holds it, 2 for bad input.
 */
export const runJobCommand: Command = {
  ...runJobSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const schema = optionValue(args, 'schema');
    const given = optionValue(args, 'table');
    const keyText = optionValue(args, 'key');
    if (!schema || !given || !keyText) throw usage('--schema, --table and --key are required', this.name);
    const key = parseKey(keyText);
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'));
      const table = (await tableName(core, conn.id, schema, given))!;
      const outcome = await runOne(core, conn.id, schema, table, key, {
        runner: optionValue(args, 'runner'),
        leaseS: Number(optionValue(args, 'lease') ?? 60),
      });
      process.stdout.write(args.options.has('json') ? JSON.stringify(outcome) + '\n' : `${outcome.message}\n`);
      return outcome.status === 'done' || outcome.status === 'already-computed' ? 0 : 1;
    } finally {
      await core.dispose();
    }
  },
};

/** What became of the one job. */
export interface RunJobOutcome {
  status: 'done' | 'already-computed' | 'failed' | 'held' | 'not-pending';
  message: string;
  full_name: string;
  key: Record<string, unknown>;
  /** Who holds the key (status 'held'). */
  holder?: Pick<JobView, 'host' | 'pid' | 'worker' | 'user' | 'status' | 'state'>;
}

function parseKey(text: string): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch (e) {
    throw usage(`--key is not valid JSON: ${(e as Error).message}`, 'run-job');
  }
  if (!key || typeof key !== 'object' || Array.isArray(key) || Object.keys(key).length === 0)
    throw usage('--key must be a JSON object of the key attributes, e.g. {"subject_id": 1}', 'run-job');
  return key as Record<string, unknown>;
}

async function runOne(
  core: Core,
  connectionId: string,
  schema: string,
  table: string,
  key: Record<string, unknown>,
  opts: { runner: string | undefined; leaseS: number },
): Promise<RunJobOutcome> {
  const tables = await callOrThrow(core, 'pipeline.inspect', { connectionId, schemas: [schema] });
  const info = tables.schemas[schema]?.tables.find((t) => t.table_name === table);
  if (!info || (info.tier !== 'Imported' && info.tier !== 'Computed'))
    throw appError('VALIDATION', `${schema}.${table} is not an Imported or Computed table.`);
  const ksAttrs = info.populate?.key_source_attributes ?? info.primary_key;
  const missing = ksAttrs.filter((a) => !(a in key));
  const extra = Object.keys(key).filter((a) => !ksAttrs.includes(a));
  if (missing.length || extra.length)
    throw appError('VALIDATION', `--key does not name one key of ${info.full_name}.`, {
      hint: `Its key attributes are ${ksAttrs.join(', ')}${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; not key attributes: ${extra.join(', ')}` : ''}.`,
    });
  const base = { full_name: info.full_name, key };
  if (await isComputed(core, connectionId, schema, table, key))
    return {
      ...base,
      status: 'already-computed',
      message: `${info.full_name} ${JSON.stringify(key)} is already computed`,
    };
  const task = await callOrThrow(core, 'task.get', { connectionId, schema, table });
  const summary = await populateOne(core, {
    connectionId,
    schema,
    table,
    restriction: key,
    workers: 1,
    runner: runnerFor(task.spec, opts.runner),
    lease_s: opts.leaseS,
    batch: 1,
  });
  const counts = summary.tables.find((t) => t.full_name === info.full_name);
  if (counts && (counts.done > 0 || counts.cached > 0))
    return { ...base, status: 'done', message: `${info.full_name} ${JSON.stringify(key)} computed` };
  const error = summary.errors.find((e) => e.full_name === info.full_name);
  if (error || summary.state === 'failed')
    return {
      ...base,
      status: 'failed',
      message: `${info.full_name} ${JSON.stringify(key)} failed: ${error?.message ?? summary.message}`,
    };
  if (await isComputed(core, connectionId, schema, table, key))
    return {
      ...base,
      status: 'already-computed',
      message: `${info.full_name} ${JSON.stringify(key)} was computed by another worker meanwhile`,
    };
  const holder = await holderOf(core, connectionId, schema, table, key);
  if (holder)
    return {
      ...base,
      status: 'held',
      holder,
      message: `${info.full_name} ${JSON.stringify(key)} is ${holder.status === 'error' ? 'in error' : holder.status === 'ignore' ? 'ignored' : 'held'} by ${holder.worker || holder.user || 'another client'} on ${holder.host || 'an unknown host'}${holder.pid ? ` (pid ${holder.pid})` : ''}: not run here`,
    };
  return {
    ...base,
    status: 'not-pending',
    message: `${info.full_name} ${JSON.stringify(key)} is not a pending key (its upstream rows are missing, or it waits for a retry)`,
  };
}

/** The runner a task asks for; `--runner` may only choose among those the task can use. */
function runnerFor(spec: TaskSpec, asked: string | undefined): 'docker' | 'process' {
  const possible: ('docker' | 'process')[] = [
    ...(spec.image ? (['docker'] as const) : []),
    ...(spec.command && !spec.image ? (['process'] as const) : []),
  ];
  if (asked !== undefined) {
    if (asked !== 'docker' && asked !== 'process') throw usage('--runner must be docker or process', 'run-job');
    if (!possible.includes(asked))
      throw appError(
        'VALIDATION',
        `The task cannot run with --runner ${asked}: it has ${spec.image ? `image ${spec.image}` : spec.command ? 'a command and no image' : 'an inline function'}.`,
      );
    return asked;
  }
  if (!possible.length)
    throw appError(
      'VALIDATION',
      'The task has neither an image nor a command: an inline task runs only inside the process that registered it.',
    );
  return possible[0]!;
}

async function isComputed(
  core: Core,
  connectionId: string,
  schema: string,
  table: string,
  key: Record<string, unknown>,
) {
  const r = await callOrThrow(core, 'data.fetch', { connectionId, schema, table, restriction: key, limit: 1 });
  return r.rows.length > 0;
}

async function holderOf(core: Core, connectionId: string, schema: string, table: string, key: Record<string, unknown>) {
  const { jobs } = await callOrThrow(core, 'jobs.list', { connectionId, schemas: [schema], table });
  const same = (v: Record<string, unknown> | null) =>
    v !== null && Object.entries(key).every(([k, x]) => String(v[k]) === String(x));
  const j = jobs.find((x) => same(x.key) && x.status !== null);
  return j ? { host: j.host, pid: j.pid, worker: j.worker, user: j.user, status: j.status, state: j.state } : undefined;
}

/** Starts the populate and waits for its summary (SIGTERM from the scheduler hands the job back). */
async function populateOne(
  core: Core,
  input: Parameters<typeof callOrThrow<'jobs.populate'>>[2],
): Promise<PopulateSummary> {
  const { populateId } = await callOrThrow(core, 'jobs.populate', input);
  const onSignal = () => void callOrThrow(core, 'jobs.stop', { populateId, mode: 'release' }).catch(() => undefined);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    for (;;) {
      const s = await callOrThrow(core, 'jobs.populateStatus', { populateId });
      if (s.state === 'finished' || s.state === 'failed') return s;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
