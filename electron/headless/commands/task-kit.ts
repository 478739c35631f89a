import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RECIPE_LANGUAGES, type RecipeLanguage, taskRecipe } from '../../../shared/cluster';
import { TaskSpec } from '../../../shared/api/schemas/task';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { optionValue, type ParsedArgs, usage } from '../args';
import { callOrThrow } from './call';

/** The task authoring kit's actions of `joinery task`. */
export const KIT_ACTIONS = ['init', 'test', 'build'] as const;
export type KitAction = (typeof KIT_ACTIONS)[number];

interface Address {
  connectionId: string;
  schema: string;
  table: string;
}

/** Runs one kit action; resolves with the exit status. */
export async function runKit(core: Core, action: KitAction, address: Address, args: ParsedArgs): Promise<number> {
  if (action === 'init') return init(core, address, args);
  if (action === 'test') return test(core, address, args);
  return build(core, address, args);
}

function defaultDir(address: Address): string {
  return path.join('tasks', `${address.schema}.${address.table}`.replace(/[^A-Za-z0-9_.-]/g, '_'));
}

async function init(core: Core, address: Address, args: ParsedArgs): Promise<number> {
  const lang = optionValue(args, 'lang');
  if (!lang || !(RECIPE_LANGUAGES as readonly string[]).includes(lang))
    throw usage(`--lang must be one of ${RECIPE_LANGUAGES.join(', ')}`, 'task');
  const info = await callOrThrow(core, 'pipeline.inspect', {
    connectionId: address.connectionId,
    schemas: [address.schema],
  });
  const table = info.schemas[address.schema]!.tables.find((t) => t.table_name === address.table)!;
  if (table.tier !== 'Imported' && table.tier !== 'Computed')
    throw appError('VALIDATION', `${table.full_name} is ${table.tier}: only Imported and Computed tables have tasks.`);
  const dir = optionValue(args, 'out') ?? defaultDir(address);
  const image = optionValue(args, 'image') ?? `lab/${address.table.replace(/^_+/, '').replace(/_/g, '-')}:1`;
  const recipe = taskRecipe(table, lang as RecipeLanguage, image);
  const clashes = recipe.files.map((f) => path.join(dir, f.name)).filter((f) => existsSync(f));
  if (clashes.length && !args.options.has('force'))
    throw appError('CONFLICT', `Not overwriting ${clashes.join(', ')}.`, {
      hint: 'Choose another --out, or add --force.',
    });
  mkdirSync(dir, { recursive: true });
  for (const f of recipe.files) writeFileSync(path.join(dir, f.name), f.content, { mode: f.mode ?? 0o644 });
  process.stdout.write(
    `wrote ${recipe.files.map((f) => f.name).join(', ')} to ${dir}\n` +
      `next: edit the script, then\n` +
      `  joinery task build --schema ${address.schema} --table ${address.table} --dir ${dir}\n` +
      `  joinery task test  --schema ${address.schema} --table ${address.table} --key '{...}'\n`,
  );
  return 0;
}

async function test(core: Core, address: Address, args: ParsedArgs): Promise<number> {
  const keyText = optionValue(args, 'key');
  if (!keyText) throw usage('--key is required: the key to run, as JSON', 'task');
  let key: Record<string, unknown>;
  try {
    key = JSON.parse(keyText) as Record<string, unknown>;
  } catch (e) {
    throw usage(`--key is not valid JSON: ${(e as Error).message}`, 'task');
  }
  const file = optionValue(args, 'file');
  const spec = file ? TaskSpec.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
  const runner = optionValue(args, 'runner') as 'docker' | 'process' | undefined;
  const r = await callOrThrow(core, 'task.test', { ...address, key, spec, runner });
  if (args.options.has('json')) process.stdout.write(JSON.stringify(r) + '\n');
  else if (r.ok) {
    process.stdout.write(`ok in ${r.duration_ms} ms: the result matches the heading; nothing was written\n`);
    process.stdout.write(`rows: ${JSON.stringify(r.rows)}\n`);
    for (const [part, rows] of Object.entries(r.parts)) process.stdout.write(`${part}: ${JSON.stringify(rows)}\n`);
  } else {
    process.stdout.write(`failed: ${r.error}\n`);
    if (r.log.length)
      process.stdout.write(`log (last ${Math.min(r.log.length, 40)} lines):\n${r.log.slice(-40).join('\n')}\n`);
  }
  return r.ok ? 0 : 1;
}

async function build(core: Core, address: Address, args: ParsedArgs): Promise<number> {
  const dir = optionValue(args, 'dir') ?? defaultDir(address);
  if (!existsSync(path.join(dir, 'Dockerfile')))
    throw appError('NOT_FOUND', `There is no Dockerfile in ${dir}.`, {
      hint: 'Write one with "joinery task init", or give --dir.',
    });
  const recipeTask = path.join(dir, 'task.json');
  const base = existsSync(recipeTask)
    ? TaskSpec.parse(JSON.parse(readFileSync(recipeTask, 'utf8')))
    : (await callOrThrow(core, 'task.get', address)).spec;
  const tag =
    optionValue(args, 'tag') ??
    (base.image && !base.image.startsWith('sha256:') ? base.image.split('@')[0]! : `lab/${address.table}:latest`);
  const code = await streamed('docker', ['build', '-t', tag, dir]);
  if (code !== 0) throw appError('JOB_FAILED', `docker build of ${dir} failed (exit ${code}); see its output above.`);
  const id = (await captured('docker', ['image', 'inspect', '--format', '{{.Id}}', tag])).trim();
  const info = await callOrThrow(core, 'task.set', { ...address, spec: { ...base, image: id } });
  process.stdout.write(`built ${tag} (${id}); the task of ${info.full_name} now runs it (version ${info.version})\n`);
  return 0;
}

function streamed(program: string, argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(program, argv, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(127));
    child.on('close', (c) => resolve(c ?? 1));
  });
}

function captured(program: string, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (c) => (c === 0 ? resolve(out) : reject(new Error(`${program} exited ${c}`))));
  });
}
