import { firstIssue } from '../../../shared/api/input-issue';
import { TaskSpec, type TaskInfo } from '../../../shared/api/schemas/task';
import { appError } from '../../../shared/errors';
import { optionValue, parseArgs, usage, type ParsedArgs } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { taskSpec } from './catalog';
import { allValues, readJsonFile, tableName } from './jobs-cli';
import { createFlag, openDb } from './open-db';
import { KIT_ACTIONS, runKit, type KitAction } from './task-kit';

const ACTIONS = ['list', 'show', 'set', 'validate', 'delete', ...KIT_ACTIONS] as const;

/** `joinery task`: how each Imported/Computed table computes a key. */
export const taskCommand: Command = {
  ...taskSpec,
  async run(argv) {
    const [action, ...rest] = argv;
    if (!action || !ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw usage(`say what to do: ${ACTIONS.join(', ')}`, this.name);
    const args = parseArgs(rest, this.options, this.name);
    const json = args.options.has('json');
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      if (action === 'list') {
        const schemas = allValues(rest, 'schema');
        const r = await callOrThrow(core, 'task.list', {
          connectionId: conn.id,
          schemas: schemas.length ? schemas : undefined,
        });
        process.stdout.write(
          json
            ? JSON.stringify(r) + '\n'
            : [...r.tasks.map(describe), ...r.without_task.map((t) => `${t}  (no task)`)].join('\n') + '\n',
        );
        return 0;
      }
      const schema = need(args, 'schema');
      const address = {
        connectionId: conn.id,
        schema,
        table: (await tableName(core, conn.id, schema, need(args, 'table')))!,
      };
      if ((KIT_ACTIONS as readonly string[]).includes(action))
        return await runKit(core, action as KitAction, address, args);
      if (action === 'show') {
        const t = await callOrThrow(core, 'task.get', address);
        process.stdout.write(json ? JSON.stringify(t) + '\n' : `${describe(t)}\n${JSON.stringify(t.spec, null, 2)}\n`);
      } else if (action === 'set') {
        const t = await callOrThrow(core, 'task.set', { ...address, spec: specOf(args, true)! });
        process.stdout.write(json ? JSON.stringify(t) + '\n' : `${describe(t)}\n`);
      } else if (action === 'validate') {
        const r = await callOrThrow(core, 'task.validate', { ...address, spec: specOf(args, false) });
        process.stdout.write(
          json
            ? JSON.stringify(r) + '\n'
            : r.valid
              ? 'valid\n'
              : r.problems.map((p) => `${p.path || '(task)'}: ${p.message}`).join('\n') + '\n',
        );
        return r.valid ? 0 : 1;
      } else {
        await callOrThrow(core, 'task.delete', address);
        if (!json) process.stdout.write(`removed the task of ${schema}.${address.table}\n`);
        else process.stdout.write('{"done":true}\n');
      }
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

function need(args: ParsedArgs, name: string): string {
  const v = optionValue(args, name);
  if (v === undefined) throw usage(`--${name} is required`, 'task');
  return v;
}

/** The spec from --file or --spec, checked here so a typo is named before anything is sent. */
function specOf(args: ParsedArgs, required: boolean): TaskSpec | undefined {
  const file = optionValue(args, 'file');
  const text = optionValue(args, 'spec');
  if (!file && !text) {
    if (required) throw usage('give the task with --file task.json or --spec JSON', 'task');
    return undefined;
  }
  let raw: unknown;
  if (file) raw = readJsonFile(file, 'task');
  else {
    try {
      raw = JSON.parse(text!);
    } catch (e) {
      throw usage(`--spec is not valid JSON: ${(e as Error).message}`, 'task');
    }
  }
  const parsed = TaskSpec.safeParse(raw);
  if (!parsed.success) {
    const i = firstIssue(parsed.error, raw);
    throw appError('VALIDATION', `${file ?? '--spec'}: ${i.path ? `at ${i.path}: ` : ''}${i.message}.`, {
      details: { field: i.path },
    });
  }
  return parsed.data;
}

function describe(t: TaskInfo): string {
  const how = t.spec.inline
    ? `inline ${t.spec.inline}`
    : t.spec.image
      ? `image ${t.spec.image}`
      : `command ${JSON.stringify(t.spec.command)}`;
  const r = t.spec.resources;
  return `${t.full_name}  v${t.version}  ${how}  cpus ${r.cpus}, gpus ${r.gpus}, retries ${t.spec.retries}${t.spec.cache ? ', cached' : ''}${t.spec.mode === 'legacy' ? ', legacy' : ''}`;
}
