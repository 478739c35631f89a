import type { UnusedExternal } from '../../../shared/api/schemas/data';
import { optionValue, parseArgs, usage, type ParsedArgs } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { storeSpec } from './catalog';
import { createFlag, openDb } from './open-db';

const ACTIONS = ['unused', 'clean'] as const;

/** `joinery store`: objects of an external store that no row references, and removing them. */
export const storeCommand: Command = {
  ...storeSpec,
  async run(argv) {
    const [action, ...rest] = argv;
    if (!action || !ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw usage(`say what to do: ${ACTIONS.join(', ')}`, this.name);
    const args = parseArgs(rest, this.options, this.name);
    const ref = { schema: need(args, 'schema'), store: need(args, 'store') };
    const json = args.options.has('json');
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      const unused = await callOrThrow(core, 'data.unusedExternal', { connectionId: conn.id, ...ref });
      if (action === 'unused' || !args.options.has('yes')) {
        process.stdout.write(json ? JSON.stringify(unused) + '\n' : listing(unused, action === 'clean'));
        return 0;
      }
      const removed = await callOrThrow(core, 'data.cleanExternal', {
        connectionId: conn.id,
        ...ref,
        expectedCount: unused.objects.length,
        keepFiles: args.options.has('keep-files'),
      });
      if (json) process.stdout.write(JSON.stringify(removed) + '\n');
      else {
        process.stdout.write(
          `removed ${count(removed)} from store "${ref.store}" of ${ref.schema}${args.options.has('keep-files') ? ' (files kept)' : ''}\n`,
        );
        for (const f of removed.file_errors ?? []) process.stdout.write(`  could not remove ${f.path}: ${f.reason}\n`);
      }
      return removed.file_errors?.length ? 1 : 0;
    } finally {
      await core.dispose();
    }
  },
};

function listing(u: UnusedExternal, dryRun: boolean): string {
  const lines = u.objects.map((o) => `${o.kind.padEnd(8)} ${String(o.size).padStart(12)}  ${o.path}`);
  const head = `${count(u)} in store "${u.store}" of ${u.schema} ${u.objects.length === 1 ? 'is' : 'are'} referenced by no row`;
  const tail = dryRun && u.objects.length ? ['run again with --yes to remove them'] : [];
  return [head, ...lines, ...tail].join('\n') + '\n';
}

function count(u: UnusedExternal): string {
  return `${u.objects.length} object${u.objects.length === 1 ? '' : 's'} (${u.total_bytes} bytes)`;
}

function need(args: ParsedArgs, name: string): string {
  const v = optionValue(args, name);
  if (v === undefined) throw usage(`--${name} is required`, 'store');
  return v;
}
