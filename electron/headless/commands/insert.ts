import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { optionValue, parseArgs, usage } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { insertSpec } from './catalog';
import { createFlag, openDb } from './open-db';

/** `joinery insert`: the rows of a CSV or JSON file into one table, all or nothing. */
export const insertCommand: Command = {
  ...insertSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const target = optionValue(args, 'table');
    const file = optionValue(args, 'file');
    if (!target) throw usage('--table is required (schema.table_name or schema.ClassName)', this.name);
    if (!file) throw usage('--file is required', this.name);
    if (args.options.has('skip-duplicates') && args.options.has('replace'))
      throw usage('--skip-duplicates and --replace exclude each other', this.name);
    const format = formatOf(file, optionValue(args, 'format'), this.name);
    const dot = target.indexOf('.');
    if (dot <= 0 || dot === target.length - 1) throw usage(`--table must be schema.table, got "${target}"`, this.name);
    const text = readText(file);
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      const schema = target.slice(0, dot);
      const table = await tableName(core, conn.id, schema, target.slice(dot + 1));
      const onDuplicate = args.options.has('replace')
        ? 'replace'
        : args.options.has('skip-duplicates')
          ? 'skip'
          : 'error';
      const result = await callOrThrow(core, 'data.import', {
        connectionId: conn.id,
        schema,
        table,
        format,
        text,
        onDuplicate,
        baseDir: path.dirname(path.resolve(file)),
        allowDirectInsert: args.options.has('allow-direct-insert'),
      });
      if (args.options.has('json'))
        process.stdout.write(JSON.stringify({ table: `${schema}.${table}`, ...result }) + '\n');
      else
        process.stdout.write(
          `inserted ${result.inserted} of ${result.rows} rows into ${schema}.${table}${result.skipped ? ` (${result.skipped} duplicates skipped)` : ''}\n`,
        );
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

function formatOf(file: string, given: string | undefined, command: string): 'csv' | 'json' {
  if (given !== undefined) {
    if (given !== 'csv' && given !== 'json') throw usage(`--format must be csv or json, got "${given}"`, command);
    return given;
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  throw usage(`cannot tell the format of ${file} from its name; add --format csv or --format json`, command);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw appError(
      'VALIDATION',
      `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`,
    );
  }
}

/** A stored table name as given, or the table of a class name (`Session`, `Session.Note`). */
async function tableName(core: Core, connectionId: string, schema: string, name: string): Promise<string> {
  if (!/^[A-Z]/.test(name)) return name;
  const info = await callOrThrow(core, 'pipeline.inspect', { connectionId, schemas: [schema] });
  const tables = info.schemas[schema]?.tables ?? [];
  const found = tables.find((t) => t.class_name === name);
  if (found) return found.table_name;
  throw appError('NOT_FOUND', `There is no class ${name} in schema ${schema}.`, {
    hint: tables.length
      ? `Classes in ${schema}: ${tables.map((t) => t.class_name).join(', ')}.`
      : `Schema ${schema} has no tables.`,
  });
}
