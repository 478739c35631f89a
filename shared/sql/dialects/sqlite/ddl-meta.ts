import type { DataType, DefaultValue } from '../../../model/definition/ast';
import type { ResolvedColumn, ResolvedTable } from '../../../model/definition/heading';

/**
 * What MySQL keeps in COLUMN_TYPE, COLUMN_COMMENT, COLUMN_DEFAULT and the table comment, kept
 * for SQLite in the hidden table `~joinery_table_meta` (read by core/db/catalog/sqlite-catalog),
 * in MariaDB's spelling, so the catalog reader gives back the same DataJoint attributes.
 */

/** The hidden metadata table; must equal `SQLITE_META_TABLE` of core/db/catalog/sqlite-catalog. */
export const SQLITE_META_TABLE = '~joinery_table_meta';

/** Empty schemas; must equal `SQLITE_SCHEMA_TABLE` of core/db/catalog/sqlite-catalog. */
export const SQLITE_SCHEMA_TABLE = '~joinery_schema';

/** One metadata row's JSON; the same shape as core's `SqliteTableMeta`. */
export interface SqliteTableMetaJson {
  comment: string;
  columns: Record<string, { sqlType: string; comment: string; default?: string | null }>;
}

/** The metadata JSON of a table. */
export function sqliteTableMeta(t: ResolvedTable): SqliteTableMetaJson {
  const columns: SqliteTableMetaJson['columns'] = {};
  for (const c of t.columns)
    columns[c.name] = { sqlType: c.columnType, comment: c.sqlComment, default: reportedDefault(c) };
  return { comment: t.comment, columns };
}

/**
 * The default as MariaDB reports it once normalised by the catalog reader: unquoted, numbers
 * in the column's format (`1.00` for decimal(5,2)), temporal values padded to the precision,
 * `current_timestamp()`; null for none.
 */
export function reportedDefault(c: ResolvedColumn): string | null {
  const d = c.default;
  if (c.nullable || d === null || d.kind === 'null') return null;
  if (d.kind === 'current_timestamp') return `current_timestamp(${d.precision ?? ''})`;
  if (d.kind === 'number') return reportedNumber(c.type, d.text);
  return reportedString(c.type, d);
}

function reportedNumber(t: DataType, text: string): string {
  if (t.kind === 'decimal') return fixedDecimal(text, t.scale ?? 0);
  if (t.kind === 'float') return String(Number(text));
  return BigInt(text.replace(/^\+/, '')).toString();
}

function reportedString(t: DataType, d: Extract<DefaultValue, { kind: 'string' }>): string {
  if (t.kind !== 'temporal' || t.base === 'date') return d.value;
  const m = /^(-?)(\d+):(\d\d):(\d\d)(?:\.(\d+))?$|^(\S+ \d\d:\d\d:\d\d)(?:\.(\d+))?$/.exec(d.value);
  if (!m) return d.value;
  const p = t.precision ?? 0;
  const frac = (digits: string | undefined) => (p > 0 ? `.${(digits ?? '').padEnd(p, '0')}` : '');
  if (m[6] !== undefined) return m[6] + frac(m[7]);
  return `${m[1]}${m[2]!.padStart(2, '0')}:${m[3]}:${m[4]}${frac(m[5])}`;
}

/** A decimal literal rounded half away from zero to `scale` digits, without float arithmetic. */
export function fixedDecimal(text: string, scale: number): string {
  let body = text.replace(/^\+/, '');
  if (/e/i.test(body)) body = Number(body).toFixed(scale + 2);
  const negative = body.startsWith('-');
  if (negative) body = body.slice(1);
  const [whole = '0', frac = ''] = body.split('.');
  const digits = BigInt((whole || '0') + frac.padEnd(scale + 1, '0').slice(0, scale + 1));
  const rounded = (digits + 5n) / 10n;
  const s = rounded.toString().padStart(scale + 1, '0');
  const out = scale > 0 ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
  return negative && rounded !== 0n ? `-${out}` : out;
}
