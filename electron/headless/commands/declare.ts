import { readFileSync } from 'node:fs';
import { firstIssue } from '../../../shared/api/input-issue';
import { DeclareFile } from '../../../shared/api/schemas/schema';
import { appError } from '../../../shared/errors';
import { optionValue, parseArgs, usage } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { declareSpec } from './catalog';
import { openDb } from './open-db';

/** `joinery declare`: a file of DataJoint definitions, declared parents first, all or nothing. */
export const declareCommand: Command = {
  ...declareSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const file = optionValue(args, 'file');
    if (!file) throw usage('--file is required', this.name);
    const raw = readJson(file);
    const parsed = DeclareFile.safeParse(raw);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error, raw);
      throw appError('VALIDATION', `${file}: ${issue.path ? `at ${issue.path}: ` : ''}${issue.message}.`, {
        details: { field: issue.path },
        hint: 'Each table needs "schema", "class_name", "tier" (Manual, Lookup, Imported, Computed or Part) and "definition".',
      });
    }
    const { tables, adapters } = Array.isArray(parsed.data) ? { tables: parsed.data, adapters: {} } : parsed.data;
    if (tables.length === 0) throw appError('VALIDATION', `${file} declares no tables.`);
    const conventions = optionValue(args, 'conventions');
    if (conventions !== undefined && conventions !== '0.14' && conventions !== '2')
      throw usage(`--conventions is 0.14 or 2, not "${conventions}"`, this.name);
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), { create: true });
      const result = await callOrThrow(core, 'table.declare', {
        connectionId: conn.id,
        tables,
        adapters,
        conventions,
        jobMetadata: args.options.has('job-metadata'),
      });
      if (args.options.has('json')) process.stdout.write(JSON.stringify(result) + '\n');
      else {
        for (const s of result.schemasCreated)
          process.stdout.write(`created schema ${s} (DataJoint ${result.conventions[s] ?? '0.14'} conventions)\n`);
        for (const t of result.declared) process.stdout.write(`declared ${t}\n`);
        const differing = new Map(result.differing.map((d) => [d.table, d.differences]));
        for (const t of result.existing) {
          const diff = differing.get(t);
          process.stdout.write(
            diff ? `differs  ${t} (left as it is): ${diff.join('; ')}\n` : `exists   ${t} (same definition)\n`,
          );
        }
      }
      if (result.differing.length)
        process.stderr.write(
          `joinery: ${result.differing.length} existing table(s) differ from ${file} and were left as they are: ` +
            `${result.differing.map((d) => d.table).join(', ')}. Declaring never alters a table that exists.\n`,
        );
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw appError(
      'VALIDATION',
      `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw appError('VALIDATION', `${file} is not valid JSON: ${(e as Error).message}.`);
  }
}
