import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { optionValue, parseArgs } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { inspectSpec } from './catalog';
import { createFlag, openDb } from './open-db';

/** `joinery inspect`: schemas, tables and jobs of a database. */
export const inspectCommand: Command = {
  ...inspectSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const schemaArgs = argv.flatMap((a, i) =>
      a === '--schema' ? [argv[i + 1]!] : a.startsWith('--schema=') ? [a.slice(9)] : [],
    );
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      const info = await callOrThrow(core, 'pipeline.inspect', {
        connectionId: conn.id,
        schemas: schemaArgs.length ? schemaArgs : undefined,
      });
      process.stdout.write(
        args.options.has('json')
          ? JSON.stringify({ schemas: info.schemas }, null, 1) + '\n'
          : formatText(info, conn.url),
      );
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

function formatText(info: PipelineInfo, url: string): string {
  const lines = [`${url} (${info.dialect})`];
  const schemas = Object.values(info.schemas);
  if (schemas.length === 0) lines.push('  no schemas');
  for (const s of schemas) {
    lines.push('', `schema ${s.database}: ${s.tables.length} tables`);
    const width = Math.max(10, ...s.tables.map((t) => t.class_name.length));
    for (const t of s.tables) {
      lines.push(
        `  ${t.class_name.padEnd(width)}  ${(t.tier ?? '-').padEnd(8)}  ${String(t.row_count).padStart(8)} rows  ${t.table_comment}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
