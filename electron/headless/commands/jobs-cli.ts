import { readFileSync } from 'node:fs';
import type { Restriction } from '../../../shared/api/schemas/data';
import { appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { usage } from '../args';
import { callOrThrow } from './call';

/** Every value of a repeatable option (`--schema a --schema b`, `--schema=a`). */
export function allValues(argv: readonly string[], name: string): string[] {
  const flag = `--${name}`;
  return argv.flatMap((a, i) =>
    a === flag && argv[i + 1] !== undefined
      ? [argv[i + 1]!]
      : a.startsWith(`${flag}=`)
        ? [a.slice(flag.length + 1)]
        : [],
  );
}

/**
 * `--restrict`: a JSON object or list of objects (DataJoint's dict restriction), or the shorthand
 * `name=value[,name=value]` (values that look like numbers are numbers).
 */
export function parseRestriction(text: string | undefined, command: string): Restriction | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as Restriction;
    } catch (e) {
      throw usage(`--restrict is not valid JSON: ${(e as Error).message}`, command);
    }
  }
  const out: Record<string, unknown> = {};
  for (const part of t.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw usage(`--restrict expects JSON or name=value pairs, got "${part}"`, command);
    const value = part.slice(eq + 1).trim();
    out[part.slice(0, eq).trim()] = /^-?\d+(\.\d+)?$/.test(value)
      ? Number(value)
      : value.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** A positive integer option. */
export function intOption(value: string | undefined, fallback: number, name: string, command: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usage(`--${name} must be a whole number, got "${value}"`, command);
  return n;
}

/** A table given by stored name (`__spike_detection`) or class name (`SpikeDetection`), as stored. */
export async function tableName(
  core: Core,
  connectionId: string,
  schema: string | undefined,
  table: string | undefined,
): Promise<string | undefined> {
  if (table === undefined) return undefined;
  const info = await callOrThrow(core, 'pipeline.inspect', { connectionId, ...(schema ? { schemas: [schema] } : {}) });
  const inSchema = Object.values(info.schemas).flatMap((s) => s.tables);
  const hit = inSchema.find((t) => t.table_name === table) ?? inSchema.find((t) => t.class_name === table);
  if (!hit) {
    throw appError('NOT_FOUND', `There is no table ${schema ? `${schema}.` : ''}${table}.`, {
      hint: inSchema.length ? `Tables: ${inSchema.map((t) => t.table_name).join(', ')}.` : 'Check the schema name.',
      details: { table },
    });
  }
  return hit.table_name;
}

/** Formats a millisecond duration for people. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A JSON file's content; a usage error naming the file otherwise. */
export function readJsonFile(file: string, command: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw usage(`cannot read ${file} as JSON: ${(e as Error).message}`, command);
  }
}
