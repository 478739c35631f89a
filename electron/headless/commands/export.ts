import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { workflowFromPlan } from '../../../shared/cluster';
import type { ExportedFile, WorkflowPlugin } from '../../../shared/cluster/plugin';
import { optionValue, parseArgs, usage } from '../args';
import { BUILTIN_PLUGINS } from '../export/builtin-plugins';
import { loadPlugin } from '../export/load-plugin';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import { exportSpec } from './catalog';
import type { Command } from './command';
import { allValues, parseRestriction, tableName } from './jobs-cli';
import { openDb } from './open-db';

const TARGETS = BUILTIN_PLUGINS.map((p) => p.name);

/** `joinery export`: the jobs that staged rows start, as a workflow for the lab's workflow manager. */
export const exportCommand: Command = {
  ...exportSpec,
  async run(argv) {
    const [first, ...rest] = argv;
    const words = first && !first.startsWith('--') ? rest : argv;
    const args = parseArgs(words, this.options, this.name);
    const pluginPath = optionValue(args, 'plugin');
    if (!pluginPath && (!first || first.startsWith('--')))
      throw usage(`name a target (${TARGETS.join(', ')}) or give --plugin MODULE`, this.name);
    const plugin: WorkflowPlugin = pluginPath
      ? await loadPlugin(pluginPath)
      : (BUILTIN_PLUGINS.find((p) => p.name === first) ??
        (() => {
          throw usage(`unknown export target "${first}" (targets: ${TARGETS.join(', ')})`, this.name);
        })());
    const schema = optionValue(args, 'schema');
    if (!schema || !optionValue(args, 'table'))
      throw usage('--schema and --table (the staged table) are required', this.name);
    const options = pluginOptions(args.options, allValues(words, 'option'));
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'));
      const table = (await tableName(core, conn.id, schema, optionValue(args, 'table')))!;
      const restriction = parseRestriction(optionValue(args, 'restrict'), this.name);
      const plan = await callOrThrow(core, 'jobs.plan', { connectionId: conn.id, schema, table, restriction });
      const { tasks } = await callOrThrow(core, 'task.list', { connectionId: conn.id });
      const workflow = workflowFromPlan(plan, new Map(tasks.map((t) => [t.full_name, t.spec])), {
        name: optionValue(args, 'name') ?? `${schema}-${table}`,
        db: optionValue(args, 'job-db') ?? conn.url,
        joinery: optionValue(args, 'joinery'),
        image: optionValue(args, 'image'),
      });
      const files = await plugin.export({ workflow, plan, options });
      writeFiles(files, optionValue(args, 'out'));
      process.stderr.write(
        `${plugin.name}: ${workflow.steps.length} job(s) over ${plan.tables.filter((t) => t.jobs > 0).length} table(s)\n`,
      );
      for (const t of plan.tables) if (t.note) process.stderr.write(`  note: ${t.note}\n`);
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

/** The named options a plugin sees: the target options given, plus every `--option key=value`. */
function pluginOptions(given: Map<string, string | true>, extra: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['partition', 'account', 'namespace', 'image']) {
    const v = given.get(k);
    if (typeof v === 'string') out[k] = v;
  }
  for (const kv of extra) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw usage(`--option expects key=value, got "${kv}"`, 'export');
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

function text(file: ExportedFile): string {
  return typeof file.content === 'string'
    ? file.content
    : file.content.yaml.map((doc) => YAML.stringify(doc, { lineWidth: 0 })).join('---\n');
}

/** One file to stdout or to `out`; several files into the folder `out`. */
function writeFiles(files: ExportedFile[], out: string | undefined): void {
  if (files.length === 0) return;
  if (!out) {
    if (files.length > 1) throw usage(`this target writes ${files.length} files: give --out FOLDER`, 'export');
    process.stdout.write(text(files[0]!));
    return;
  }
  if (files.length === 1 && !out.endsWith('/')) {
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileSync(out, text(files[0]!));
    return;
  }
  mkdirSync(out, { recursive: true });
  for (const f of files) writeFileSync(path.join(out, path.basename(f.name)), text(f));
}
