import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RawIn } from '../../../shared/api/contract';
import type { PopulateSummary, PopulateTableCounts } from '../../../shared/api/schemas/jobs';
import { RunnerKind } from '../../../shared/api/schemas/jobs';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import type { InlineFunction } from '../../core/worker/inline-runner';
import { optionValue, parseArgs, usage } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { populateSpec } from './catalog';
import { duration, intOption, parseRestriction, tableName } from './jobs-cli';
import { createFlag, openDb } from './open-db';
import { chooseRunner, keysInError } from './populate-checks';
import { clusterPopulate } from './cluster-populate';

/** `joinery populate`: compute the pending keys of the pipeline's auto-populated tables. */
export const populateCommand: Command = {
  ...populateSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const given = optionValue(args, 'runner');
    const runner = RunnerKind.safeParse(given ?? 'inline');
    if (!runner.success) throw usage('--runner must be inline, process or docker', this.name);
    const core = createHeadlessCore('cli');
    try {
      const inline = optionValue(args, 'inline');
      if (inline) await registerModule(core, inline);
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      if (args.options.has('backend')) return await clusterPopulate(core, conn.id, args);
      const schema = optionValue(args, 'schema');
      const table = await tableName(core, conn.id, schema, optionValue(args, 'table'));
      const kind = given ? runner.data : await chooseRunner(core, conn.id, conn.url, schema, table);
      if (!given && kind === 'process')
        process.stderr.write("joinery: running the tasks' commands on this machine (--runner process)\n");
      const summary = await populate(
        core,
        {
          connectionId: conn.id,
          schema,
          table,
          restriction: parseRestriction(optionValue(args, 'restrict'), this.name),
          workers: intOption(optionValue(args, 'workers'), 1, 'workers', this.name) || 1,
          runner: kind,
          lease_s: Number(optionValue(args, 'lease') ?? 60),
          batch: intOption(optionValue(args, 'batch'), 64, 'batch', this.name) || 64,
          wait_for_others: args.options.has('wait'),
          allow_command_callbacks: args.options.has('allow-command-callbacks'),
        },
        !args.options.has('json') && process.stderr.isTTY === true,
      );
      process.stdout.write(args.options.has('json') ? JSON.stringify(summary) + '\n' : formatSummary(summary));
      if (summary.state === 'failed') throw appError('JOB_FAILED', summary.message ?? 'populate failed');
      const inError = await keysInError(core, conn.id, summary);
      for (const line of inError) process.stderr.write(`joinery: ${line}\n`);
      return inError.length > 0 || summary.errors.length > 0 || summary.tables.some((t) => t.failed > 0) ? 1 : 0;
    } finally {
      await core.dispose();
    }
  },
};

/** Starts a populate and waits for its end, drawing a progress line per table on a terminal. */
async function populate(core: Core, input: RawIn<'jobs.populate'>, bars: boolean): Promise<PopulateSummary> {
  const progress = new Map<string, PopulateTableCounts>();
  const totals = new Map<string, number>();
  let drawn = 0;
  let finished: ((s: PopulateSummary) => void) | null = null;
  const early: PopulateSummary[] = [];
  const unsubscribe = core.events.subscribe((event, data) => {
    if (event === 'jobs.progress') {
      const t = (data as { table: PopulateTableCounts }).table;
      if (!totals.has(t.full_name)) totals.set(t.full_name, t.pending);
      progress.set(t.full_name, t);
      if (bars) drawn = draw(progress, totals, drawn);
    } else if (event === 'jobs.finished') {
      const s = (data as { summary: PopulateSummary }).summary;
      if (finished) finished(s);
      else early.push(s);
    }
  });
  // Ctrl-C or SIGTERM: give the jobs in hand back at once (their retry budget untouched); again: quit
  let populateId: string | null = null;
  let stopping = false;
  const onSignal = () => {
    if (stopping || !populateId) process.exit(130);
    stopping = true;
    process.stderr.write('joinery: stopping; the jobs in hand are given back (press Ctrl-C again to quit at once)\n');
    void callOrThrow(core, 'jobs.stop', { populateId, mode: 'release' }).catch(() => {}); // it may have just ended
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    populateId = (await callOrThrow(core, 'jobs.populate', input)).populateId;
    const id = populateId;
    const mine = early.find((s) => s.populateId === id);
    return (
      mine ??
      (await new Promise<PopulateSummary>((resolve) => {
        finished = (s) => {
          if (s.populateId === id) resolve(s);
        };
      }))
    );
  } finally {
    unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function draw(progress: Map<string, PopulateTableCounts>, totals: Map<string, number>, drawn: number): number {
  const lines = [...progress.values()].map((t) => {
    const total = Math.max(totals.get(t.full_name) ?? 0, t.done + t.failed);
    const frac = total ? (t.done + t.failed) / total : 1;
    const bar = '#'.repeat(Math.round(frac * 24)).padEnd(24, '.');
    return `${t.full_name.padEnd(32)} [${bar}] ${t.done}/${total} done${t.failed ? `, ${t.failed} failed` : ''}${t.retried ? `, ${t.retried} retried` : ''}`;
  });
  process.stderr.write((drawn ? `\x1b[${drawn}A` : '') + lines.map((l) => `\x1b[2K${l}\n`).join(''));
  return lines.length;
}

function formatSummary(s: PopulateSummary): string {
  const lines = [`populate ${s.state} in ${duration((s.ended ?? Date.now()) - s.started)}: ${s.executed} job(s) run`];
  for (const t of s.tables) {
    const extra = [
      t.cached && `${t.cached} from cache`,
      t.retried && `${t.retried} retried`,
      t.skipped && `${t.skipped} already done`,
      t.lost && `${t.lost} lost`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${t.full_name.padEnd(32)} ${String(t.done).padStart(7)} done ${String(t.failed).padStart(5)} failed ${String(t.pending).padStart(7)} pending${extra ? `  (${extra})` : ''}`,
    );
  }
  for (const e of s.errors.slice(0, 20)) lines.push(`  error ${e.full_name} ${JSON.stringify(e.key)}: ${e.message}`);
  if (s.errors.length > 20) lines.push(`  ... ${s.errors.length - 20} more errors ("joinery jobs --status error")`);
  if (s.message) lines.push(`  ${s.message}`);
  return lines.join('\n') + '\n';
}

let tsxRegistered = false;

/**
 * The CLI bundle runs as plain JavaScript; a TypeScript inline module needs tsx's loader, which
 * is registered on first use (running from sources it is there already, and a second one is harmless).
 */
async function typescriptLoader(): Promise<void> {
  if (tsxRegistered) return;
  const { register } = await import('tsx/esm/api');
  register();
  tsxRegistered = true;
}

/** Registers every function a module exports (or its default export's functions) as inline functions. */
async function registerModule(core: Core, file: string): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    if (/\.[cm]?tsx?$/.test(file)) await typescriptLoader();
    mod = (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    throw appError('VALIDATION', `Cannot load the inline module ${file}: ${(e as Error).message}`, {
      details: { field: 'inline' },
    });
  }
  const source =
    mod.default && typeof mod.default === 'object' ? { ...(mod.default as Record<string, unknown>), ...mod } : mod;
  let n = 0;
  for (const [name, fn] of Object.entries(source)) {
    if (typeof fn !== 'function') continue;
    core.hooks.inline.register(name, fn as InlineFunction);
    n++;
  }
  if (n === 0)
    throw appError('VALIDATION', `The inline module ${file} exports no functions.`, { details: { field: 'inline' } });
}
