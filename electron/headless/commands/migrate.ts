import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { MigrationPlanView, MigrationRecord } from '../../../shared/api/schemas/migration';
import { ChangeFile } from '../../../shared/api/schemas/migration';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { optionValue, parseArgs, usage, type ParsedArgs } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import { migrateSpec } from './catalog';
import type { Command } from './command';
import { openDb } from './open-db';

const ACTIONS = ['plan', 'apply', 'rollback', 'discard', 'history'] as const;
type Action = (typeof ACTIONS)[number];

/** `joinery migrate`: plan, apply, roll back and discard schema migrations. */
export const migrateCommand: Command = {
  ...migrateSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const action = args.positionals[0] as Action | undefined;
    if (!action || !ACTIONS.includes(action)) throw usage(`expected one of ${ACTIONS.join(', ')}`, this.name);
    if (args.positionals.length > 1) throw usage(`unexpected argument "${args.positionals[1]}"`, this.name);
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'));
      const json = args.options.has('json');
      if (action === 'plan' || action === 'apply') return await planOrApply(core, conn.id, action, args);
      if (action === 'history') {
        const { migrations } = await callOrThrow(core, 'migration.history', { connectionId: conn.id });
        out(json ? JSON.stringify({ migrations }) : migrations.map(recordLine).join('\n') || 'no migrations');
        return 0;
      }
      const record = await callOrThrow(core, action === 'rollback' ? 'migration.rollback' : 'migration.discard', {
        connectionId: conn.id,
        id: optionValue(args, 'id'),
      });
      out(json ? JSON.stringify(record) : recordLine(record));
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

async function planOrApply(
  core: Core,
  connectionId: string,
  action: 'plan' | 'apply',
  args: ParsedArgs,
): Promise<number> {
  const file = optionValue(args, 'file');
  if (!file) throw usage('--file is required', 'migrate');
  const { changes } = readChangeFile(file);
  const json = args.options.has('json');
  const plan = await callOrThrow(core, 'migration.plan', { connectionId, changes });
  if (action === 'plan') {
    out(json ? JSON.stringify(plan) : planText(plan));
    return 0;
  }
  const allow = args.options.has('allow-data-loss');
  if (args.options.has('yes')) {
    if (plan.lossy && !allow) {
      throw appError('VALIDATION', `This migration loses data: ${lossText(plan)}. Nothing was changed.`, {
        hint: 'Add --allow-data-loss if that is what you want.',
      });
    }
  } else {
    if (!json) out(planText(plan));
    if (!(await confirm(plan))) {
      process.stderr.write('joinery: not applied\n');
      return 1;
    }
  }
  return apply(core, connectionId, changes, plan.lossy, json);
}

async function apply(
  core: Core,
  connectionId: string,
  changes: ChangeFile['changes'],
  lossy: boolean,
  json: boolean,
): Promise<number> {
  // finished events by id: the end may arrive before apply's answer is read
  const ended = new Map<string, { state: string; error: string | null }>();
  let wake: (() => void) | null = null;
  const unsubscribe = core.events.subscribe((event, data) => {
    const d = data as { id: string; phase?: string; table?: string | null; rows?: number; total?: number };
    if (event === 'migration.progress' && !json && d.phase === 'copy' && process.stderr.isTTY)
      process.stderr.write(`\rcopy ${d.table}: ${d.rows}/${d.total} rows   `);
    if (event === 'migration.finished') {
      ended.set(d.id, data as { state: string; error: string | null });
      wake?.();
    }
  });
  let id: string;
  try {
    id = (await callOrThrow(core, 'migration.apply', { connectionId, changes, allowDataLoss: lossy })).id;
    while (!ended.has(id)) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    unsubscribe();
  }
  const result = ended.get(id)!;
  const record = await callOrThrow(core, 'migration.status', { connectionId, id });
  if (process.stderr.isTTY && !json) process.stderr.write('\n');
  out(json ? JSON.stringify({ ...record, error: result.error ?? record.error }) : recordLine(record));
  if (record.state !== 'done') {
    process.stderr.write(
      `joinery: migration ${id} stopped at "${record.state}": ${result.error ?? record.error ?? 'unknown error'}\n` +
        `  Run the same apply again to resume, or: joinery migrate rollback --id ${id}\n`,
    );
    return 1;
  }
  return 0;
}

async function confirm(plan: MigrationPlanView): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const question = plan.lossy
      ? `This plan LOSES DATA (${lossText(plan)}). Type "yes" to apply: `
      : 'Apply this migration? [y/N] ';
    // an empty or closed stdin answers no (rl.question alone would wait forever)
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    const answer = (await Promise.race([rl.question(question), closed])).trim().toLowerCase();
    return plan.lossy ? answer === 'yes' : answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

function readChangeFile(file: string): ChangeFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw appError(
      'VALIDATION',
      `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw appError('VALIDATION', `${file} is not valid JSON: ${(e as Error).message}.`);
  }
  const parsed = ChangeFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw appError(
      'VALIDATION',
      `${file}: ${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}.`,
      {
        hint: 'Expected {"changes": [{"table": "<schema>.<ClassName>", "definition": "...", "values": {...}, "renames": {...}}]}.',
      },
    );
  }
  return parsed.data;
}

function lossText(plan: MigrationPlanView): string {
  return plan.risks
    .filter((r) => r.kind === 'data_loss')
    .map((r) => r.message)
    .join('; ');
}

/** The plan for people: tables, changes with risks, steps with MySQL SQL. */
function planText(plan: MigrationPlanView): string {
  const lines = ['Tables (parents first):'];
  for (const t of plan.tables)
    lines.push(
      `  ${t.target}${t.source && t.source !== t.target ? ` (from ${t.source})` : ''}  ${t.role}${t.key_changed ? ', key changes' : ''}, ${t.rows} rows`,
    );
  lines.push('Changes:');
  for (const c of plan.changes) {
    lines.push(`  ${c.table}: ${c.kind.replaceAll('_', ' ')}: ${c.detail}`);
    for (const r of c.risks) lines.push(`    ! ${r.kind.replaceAll('_', ' ')}: ${r.message}`);
  }
  lines.push('Steps:');
  plan.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s.description}${s.table ? ` [${s.table}]` : ''}`));
  lines.push(plan.lossy ? 'This plan LOSES DATA.' : 'This plan loses no data.');
  return lines.join('\n');
}

function recordLine(r: MigrationRecord): string {
  return `${r.id}  ${r.state.padEnd(11)} ${r.created}  ${r.user}  ${r.tables.join(', ')}${r.error ? `  (error: ${r.error})` : ''}`;
}

function out(text: string): void {
  process.stdout.write(text + '\n');
}
