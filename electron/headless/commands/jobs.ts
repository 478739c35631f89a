import type { ClusterJob } from '../../../shared/api/schemas/cluster';
import type { JobView, TableJobs } from '../../../shared/api/schemas/jobs';
import type { ParsedArgs } from '../args';
import { optionValue, parseArgs, usage } from '../args';
import { createHeadlessCore } from '../headless-core';
import type { Core } from '../../core/container';
import { callOrThrow } from './call';
import type { Command } from './command';
import { jobsSpec } from './catalog';
import { allValues, intOption, parseRestriction, tableName } from './jobs-cli';
import { createFlag, openDb } from './open-db';

const ACTIONS = [
  'list',
  'pending',
  'retry',
  'ignore',
  'cancel',
  'priority',
  'runs',
  'stale',
  'plan',
  'callbacks',
  'callback-add',
  'callback-remove',
] as const;
type Action = (typeof ACTIONS)[number];

/** `joinery jobs`: list jobs and act on them. */
export const jobsCommand: Command = {
  ...jobsSpec,
  async run(argv) {
    const [first, ...rest] = argv;
    const action: Action = first && !first.startsWith('--') ? (first as Action) : 'list';
    if (!ACTIONS.includes(action))
      throw usage(`unknown jobs action "${first}" (actions: ${ACTIONS.join(', ')})`, this.name);
    const words = first && !first.startsWith('--') ? rest : argv;
    const args = parseArgs(words, this.options, this.name);
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      const out = await ACTION_RUN[action](core, conn.id, args, words);
      process.stdout.write(args.options.has('json') ? JSON.stringify(out.json) + '\n' : out.text);
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

type Runner = (
  core: Core,
  connectionId: string,
  args: ParsedArgs,
  words: readonly string[],
) => Promise<{ json: unknown; text: string }>;

function need(args: ParsedArgs, name: string): string {
  const v = optionValue(args, name);
  if (v === undefined) throw usage(`--${name} is required`, 'jobs');
  return v;
}

/**
 * The jobs an action applies to. `retry` with neither keys, key hashes nor --status retries the
 * keys in error, as `joinery jobs retry --schema lab` reads; the other actions need a selection.
 */
async function selector(
  core: Core,
  connectionId: string,
  args: ParsedArgs,
  words: readonly string[],
  defaultStatus?: 'error',
) {
  const schema = need(args, 'schema');
  const keys = allValues(words, 'key').map((k) => {
    try {
      return JSON.parse(k) as Record<string, unknown>;
    } catch {
      throw usage(`--key must be a JSON object, got ${k}`, 'jobs');
    }
  });
  const hashes = allValues(words, 'key-hash');
  const given = optionValue(args, 'status') as 'error' | 'ignore' | 'reserved' | 'waiting' | 'running' | undefined;
  const status = given ?? (keys.length || hashes.length ? undefined : defaultStatus);
  return {
    connectionId,
    schema,
    table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
    keys: keys.length ? keys : undefined,
    key_hashes: hashes.length ? hashes : undefined,
    status,
  };
}

const count = (verb: string) => (r: { count: number }) => ({ json: r, text: `${verb} ${r.count} job(s)\n` });

const ACTION_RUN: Record<Action, Runner> = {
  async list(core, connectionId, args, words) {
    const schemas = allValues(words, 'schema');
    const schema = schemas.length === 1 ? schemas[0] : undefined;
    const status = optionValue(args, 'status') as 'error' | undefined;
    const r = await callOrThrow(core, 'jobs.list', {
      connectionId,
      schemas: schemas.length ? schemas : undefined,
      table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
      status,
      limit: intOption(optionValue(args, 'limit'), 1000, 'limit', 'jobs') || 1000,
    });
    const cluster = await callOrThrow(core, 'cluster.jobs', {
      connectionId,
      schemas: schemas.length ? schemas : undefined,
      table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
    });
    return { json: { ...r, cluster: cluster.jobs }, text: formatJobs(r.jobs) + formatClusterJobs(cluster.jobs) };
  },
  async pending(core, connectionId, _args, words) {
    const schemas = allValues(words, 'schema');
    const r = await callOrThrow(core, 'jobs.pending', { connectionId, schemas: schemas.length ? schemas : undefined });
    return { json: r, text: formatPending(r.tables) };
  },
  retry: async (core, c, a, w) =>
    count('retried')(await callOrThrow(core, 'jobs.retry', await selector(core, c, a, w, 'error'))),
  ignore: async (core, c, a, w) =>
    count('ignored')(await callOrThrow(core, 'jobs.ignore', await selector(core, c, a, w))),
  cancel: async (core, c, a, w) =>
    count('cancelled')(await callOrThrow(core, 'jobs.cancel', await selector(core, c, a, w))),
  async priority(core, c, a, w) {
    const priority = Number(need(a, 'priority'));
    if (!Number.isInteger(priority)) throw usage('--priority must be a whole number', 'jobs');
    return count('reprioritised')(
      await callOrThrow(core, 'jobs.setPriority', { ...(await selector(core, c, a, w)), priority }),
    );
  },
  async runs(core, connectionId, args) {
    const schema = need(args, 'schema');
    const r = await callOrThrow(core, 'jobs.runs', {
      connectionId,
      schema,
      table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
      key_hash: optionValue(args, 'key-hash'),
      limit: intOption(optionValue(args, 'limit'), 100, 'limit', 'jobs') || 100,
    });
    const text = r.runs
      .map(
        (x) =>
          `${new Date(x.ended).toISOString()}  ${x.status.padEnd(9)} ${x.table_name} ${x.key_hash} attempt ${x.attempt} on ${x.worker}${x.error_message ? `: ${x.error_message}` : ''}`,
      )
      .join('\n');
    return { json: r, text: (text || 'no runs') + '\n' };
  },
  async stale(core, connectionId, args) {
    const schema = need(args, 'schema');
    const r = await callOrThrow(core, 'jobs.stale', {
      connectionId,
      schema,
      table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
    });
    const text = r.rows
      .map(
        (x) =>
          `${x.full_name} ${JSON.stringify(x.key)}: ${x.reason === 'task' ? `task changed (v${x.task_version} -> v${x.current_task_version})` : 'inputs changed'}`,
      )
      .join('\n');
    return { json: r, text: (text || 'nothing is stale') + '\n' };
  },
  async plan(core, connectionId, args) {
    const schema = need(args, 'schema');
    const table = (await tableName(core, connectionId, schema, need(args, 'table')))!;
    const r = await callOrThrow(core, 'jobs.plan', {
      connectionId,
      schema,
      table,
      restriction: parseRestriction(optionValue(args, 'restrict'), 'jobs'),
    });
    return { json: r, text: JSON.stringify(r, null, 1) + '\n' };
  },
  async callbacks(core, connectionId, args) {
    const schema = need(args, 'schema');
    const r = await callOrThrow(core, 'jobs.listCallbacks', {
      connectionId,
      schema,
      table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
    });
    const text = r.callbacks
      .map((c) => `${c.callback_id}  ${c.table_name} on ${c.event}: ${c.action} ${c.target}`)
      .join('\n');
    return { json: r, text: (text || 'no callbacks') + '\n' };
  },
  async 'callback-add'(core, connectionId, args) {
    const schema = need(args, 'schema');
    const webhook = optionValue(args, 'webhook');
    const command = optionValue(args, 'command');
    if (!webhook === !command) throw usage('give either --webhook URL or --command CMD', 'jobs');
    const r = await callOrThrow(core, 'jobs.addCallback', {
      connectionId,
      schema,
      table: (await tableName(core, connectionId, schema, need(args, 'table')))!,
      event: need(args, 'event') as 'insert',
      action: webhook ? 'webhook' : 'command',
      target: (webhook ?? command)!,
    });
    return { json: r, text: `added callback ${r.callback_id}\n` };
  },
  async 'callback-remove'(core, connectionId, args) {
    const r = await callOrThrow(core, 'jobs.removeCallback', {
      connectionId,
      schema: need(args, 'schema'),
      callback_id: Number(need(args, 'id')),
    });
    return { json: r, text: 'removed\n' };
  },
};

function formatJobs(jobs: readonly JobView[]): string {
  if (jobs.length === 0) return 'no jobs\n';
  return (
    jobs
      .map((j) => {
        const what =
          j.state === 'running' || j.state === 'cancel' ? `${j.state} on ${j.worker}` : (j.status ?? j.state ?? '');
        const err = j.error_message ? `  ${j.error_message.split('\n')[0]}` : '';
        return `${j.full_name.padEnd(32)} ${what.padEnd(12)} ${j.key_hash} ${JSON.stringify(j.key)}${err}`;
      })
      .join('\n') + '\n'
  );
}

/** Keys at a cluster scheduler, newest first (a section of `joinery jobs` when there are any). */
function formatClusterJobs(jobs: readonly ClusterJob[]): string {
  if (jobs.length === 0) return '';
  const rows = [...jobs].sort((a, b) => b.submitted - a.submitted);
  return (
    `\nat the cluster scheduler (${rows.length}):\n` +
    rows
      .map(
        (j) =>
          `${`${j.schema}.${j.table_name}`.padEnd(32)} ${`${j.backend} ${j.external_id}`.padEnd(18)} ${j.state.padEnd(10)} ${JSON.stringify(j.key)}` +
          (j.state === 'COMPLETED' || !j.log_path ? '' : `  log: ${j.log_path}`),
      )
      .join('\n') +
    '\n'
  );
}

function formatPending(tables: readonly TableJobs[]): string {
  if (tables.length === 0) return 'no Imported or Computed tables\n';
  return (
    tables
      .map(
        (t) =>
          `${t.full_name.padEnd(32)} ${String(t.pending_count).padStart(7)} pending (${t.pending_excluding_jobs_count} without jobs)  ` +
          `reserved ${t.jobs_by_status.reserved}, error ${t.jobs_by_status.error}, ignore ${t.jobs_by_status.ignore}, running ${t.running}${t.has_task ? '' : '  [no task]'}`,
      )
      .join('\n') + '\n'
  );
}
