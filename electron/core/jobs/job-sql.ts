import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import type { SqlDialect } from '../../../shared/sql/dialect';
import { toDbValue } from '../data/values';
import type { Row } from '../db/driver';

/**
 * The few statements whose spelling differs between MySQL and SQLite (insert-or-ignore,
 * replace, upsert), kept in one place so the job protocol itself reads the same on both.
 */

/** `INSERT IGNORE INTO` (MySQL) / `INSERT OR IGNORE INTO` (SQLite). */
export function insertIgnore(d: SqlDialect): string {
  return d.name === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
}

/** `REPLACE INTO` (MySQL) / `INSERT OR REPLACE INTO` (SQLite): DataJoint's way of writing an error row. */
export function replaceInto(d: SqlDialect): string {
  return d.name === 'mysql' ? 'REPLACE INTO' : 'INSERT OR REPLACE INTO';
}

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
  for (const k of keys) for (const a of attrs) params.push(toDbValue(a, k[a.name], d.name));
  if (attrs.length === 1) return { sql: `${col(attrs[0]!)} IN (${marks(keys.length)})`, params };
  return { sql: `(${attrs.map(col).join(', ')}) IN (${tuples(keys.length, attrs.length)})`, params };
}

/**
 * Upsert of `~joinery_job` rows when keys are claimed: a new key starts at attempt 1; a known one
 * counts one more attempt, and a key whose error row was deleted by hand (DataJoint's way of
 * retrying) gets its retry budget back. MySQL evaluates the assignments left to right, so
 * `failures` is computed before `state` changes; SQLite evaluates them all against the old row.
 */
export function claimUpsert(d: SqlDialect, table: string, cols: readonly string[], rows: number): string {
  const head = `INSERT INTO ${table} (${columns(d, cols)}) VALUES ${tuples(rows, cols.length)}`;
  const q = (c: string) => d.quoteIdent(c);
  const fresh = (c: string) => (d.name === 'mysql' ? `VALUES(${q(c)})` : `excluded.${q(c)}`);
  const sets = [
    `${q('failures')} = CASE WHEN ${q('state')} = 'failed' THEN 0 ELSE ${q('failures')} END`,
    `${q('attempts')} = ${q('attempts')} + 1`,
    ...['key_json', 'state', 'worker', 'lease_until', 'reserved_host', 'reserved_pid', 'started'].map(
      (c) => `${q(c)} = ${fresh(c)}`,
    ),
  ];
  return d.name === 'mysql'
    ? `${head} ON DUPLICATE KEY UPDATE ${sets.join(', ')}`
    : `${head} ON CONFLICT (${q('table_name')}, ${q('key_hash')}) DO UPDATE SET ${sets.join(', ')}`;
}
