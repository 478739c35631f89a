import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import type { SqlDialect } from '../../../shared/sql/dialect';
import { toDbValue } from '../data/values';
import type { Row } from '../db/driver';

/** `?, ?, ?` */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** `(?, ?), (?, ?)` for `rows` tuples of `width` values. */
export function tuples(rows: number, width: number): string {
  const one = `(${marks(width)})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

/** Quoted, comma-separated column list. */
export function columns(d: SqlDialect, names: readonly string[]): string {
  return names.map((n) => d.quoteIdent(n)).join(', ');
}

/**
 * `WHERE`-able condition matching any of `keys` on `attrs`: `(a, b) IN ((?, ?), ...)` (row values
 * exist on both engines), or `a IN (...)` for one attribute. Values are converted as for an insert.
 */
export function keysIn(
  d: SqlDialect,
  attrs: readonly AttributeInfo[],
  keys: readonly Row[],
  alias?: string,
): { sql: string; params: unknown[] } {
  if (keys.length === 0) return { sql: '1=0', params: [] };
  const col = (a: AttributeInfo) => (alias ? `${alias}.` : '') + d.quoteIdent(a.name);
  const params: unknown[] = [];
  for (const k of keys) for (const a of attrs) params.push(toDbValue(a, k[a.name], d));
  if (attrs.length === 1) return { sql: `${col(attrs[0]!)} IN (${marks(keys.length)})`, params };
  return { sql: `(${attrs.map(col).join(', ')}) IN (${tuples(keys.length, attrs.length)})`, params };
}

/**
 * Upsert of lease rows (`~joinery_lease`) when keys are claimed: a new key starts at attempt 1; a known one
 * counts one more attempt, and a key whose error row was deleted by hand (DataJoint's way of
 * retrying) gets its retry budget back. MySQL evaluates the assignments left to right, so
 * `failures` is computed before `state` changes; SQLite evaluates them all against the old row.
 */
export function claimUpsert(d: SqlDialect, table: string, cols: readonly string[], rows: number): string {
  const q = (c: string) => d.quoteIdent(c);
  const update: [string, string][] = [
    ['failures', `CASE WHEN ${q('state')} = 'failed' THEN 0 ELSE ${q('failures')} END`],
    ['attempts', `${q('attempts')} + 1`],
    ...['key_json', 'state', 'worker', 'lease_until', 'reserved_host', 'reserved_pid', 'started'].map(
      (c): [string, string] => [c, d.inserted(c)],
    ),
  ];
  return d.insert({
    into: table,
    columns: cols,
    values: tuples(rows, cols.length),
    key: ['table_name', 'key_hash'],
    onConflict: { update },
  });
}
