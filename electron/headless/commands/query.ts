import type { QueryPage } from '../../../shared/api/schemas/query';
import { optionValue, parseArgs, usage } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { querySpec } from './catalog';
import { createFlag, openDb } from './open-db';

const TEXT_LIMIT = 50;

/** `joinery query`: DataJoint's query syntax on the command line (**fixed** syntax, see README). */
export const queryCommand: Command = {
  ...querySpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const expression = args.positionals.join(' ').trim();
    if (!expression)
      throw usage('give the query expression, in quotes, e.g. joinery query \'Subject & "sex = \\"F\\""\'', this.name);
    const repeated = (name: string) =>
      argv.flatMap((a, i) =>
        a === `--${name}` ? [argv[i + 1]!] : a.startsWith(`--${name}=`) ? [a.slice(name.length + 3)] : [],
      );
    const schemas = repeated('schema');
    const orderBy = repeated('order-by');
    const json = args.options.has('json');
    const limit = count(optionValue(args, 'limit'), 'limit') ?? (json ? null : TEXT_LIMIT);
    const offset = count(optionValue(args, 'offset'), 'offset') ?? 0;
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      const base = { connectionId: conn.id, query: expression, schemas: schemas.length ? schemas : undefined };
      if (args.options.has('sql')) {
        const preview = await callOrThrow(core, 'query.preview', base);
        const sql = preview.sql[preview.dialect];
        write(json ? JSON.stringify(preview, null, 1) : `${sql.sql}\n-- params: ${JSON.stringify(sql.params)}`);
        return 0;
      }
      if (args.options.has('count')) {
        const { count: n } = await callOrThrow(core, 'query.count', base);
        write(json ? JSON.stringify({ count: n }) : String(n));
        return 0;
      }
      const page = await callOrThrow(core, 'query.fetch', {
        ...base,
        limit,
        offset,
        order_by: orderBy.length ? orderBy : undefined,
      });
      if (json) {
        write(
          JSON.stringify({
            attributes: page.attributes.map((a) => a.name),
            primary_key: page.primary_key,
            rows: page.rows,
          }),
        );
      } else {
        const total = page.has_more ? (await callOrThrow(core, 'query.count', base)).count : null;
        write(formatTable(page, total));
      }
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw usage(`--${name} must be a whole number >= 0, got "${value}"`, 'query');
  return n;
}

/** DataJoint's preview: key attributes marked with *, one line per row. */
export function formatTable(page: QueryPage, total: number | null): string {
  const names = page.attributes.map((a) => a.name);
  const header = page.attributes.map((a) => (a.in_key ? `*${a.name}` : a.name));
  const cells = page.rows.map((r) => names.map((n) => show(r[n])));
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (v.length > widths[i]! ? v.slice(0, widths[i]! - 1) + '…' : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  const shown = page.rows.length;
  out.push(
    total === null
      ? `(${shown} row${shown === 1 ? '' : 's'})`
      : `(${shown} of ${total} rows; use --limit/--offset for more)`,
  );
  return out.join('\n') + '\n';
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v.replace(/\s+/g, ' ');
  return JSON.stringify(v) ?? String(v);
}
