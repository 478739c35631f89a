import { appError } from '../../../shared/errors';
import { attributeKind, decimalShape } from '../../../shared/model/attribute-kind';
import type { BoundValue, RQuery } from '../../../shared/query/resolved';
import { type QueryAttribute, type QueryHeading, typeOfAttribute } from '../../../shared/query/types';
import { compileCount, compileSelect } from '../../../shared/sql/dialects/query';
import type { SelectOptions } from '../../../shared/sql/query-compiler';
import type { DbSession, Row } from '../db/driver';
import { type BlobCodec, decimalDecoder, fromDbValue } from './values';

/**
 * Runs resolved queries through a driver and returns canonical values (shared/model/value-rules):
 * integers as numbers, decimals as strings with their scale, dates and datetimes as text, uuids
 * hyphenated. Decoders are chosen once per query and applied in place, so a large fetch costs
 * little more than the driver itself.
 */

/** Options of {@link fetchQuery}. */
export interface FetchOptions extends SelectOptions {
  /** Decodes blob values; without it blobs come back as `{kind, bytes}` summaries. */
  blobs?: BlobCodec;
}

/** Parameters as the drivers bind them (uuids as 16 bytes). */
export function driverParams(params: readonly BoundValue[]): unknown[] {
  return params.map((p) => (p !== null && typeof p === 'object' ? Buffer.from(p.uuid.replaceAll('-', ''), 'hex') : p));
}

/** The rows of a query, decoded. */
export async function fetchQuery(db: DbSession, q: RQuery, options: FetchOptions = {}): Promise<Row[]> {
  const { sql, params } = compileSelect(db.dialect, q, options);
  const rows = await db.query(sql, driverParams(params));
  const decode = rowDecoder(q.heading, options.blobs);
  for (const row of rows) decode(row);
  return rows;
}

/** The number of rows of a query. */
export async function countQuery(db: DbSession, q: RQuery): Promise<number> {
  const { sql, params } = compileCount(db.dialect, q);
  const [row] = await db.query<{ n: number | string | bigint }>(sql, driverParams(params));
  return Number(row?.n ?? 0);
}

/** DataJoint's fetch1: exactly one row, or an error saying how many there were. */
export async function fetchOne(db: DbSession, q: RQuery, options: FetchOptions = {}): Promise<Row> {
  const rows = await fetchQuery(db, q, { ...options, limit: 2 });
  if (rows.length !== 1) {
    throw appError(
      'VALIDATION',
      rows.length === 0
        ? 'fetch1 expects exactly one row, but the query returns none.'
        : 'fetch1 expects exactly one row, but the query returns more than one.',
      {
        hint: 'Restrict the query to a single key first.',
        details: { rows: rows.length === 0 ? 0 : 'more than 1' },
      },
    );
  }
  return rows[0]!;
}

/** The primary keys of a query's rows (DataJoint's `fetch('KEY')`). */
export function keysOf(q: RQuery): RQuery {
  const attributes = q.heading.attributes.filter((a) => a.in_key);
  const heading: QueryHeading = { attributes, primary_key: q.heading.primary_key };
  const columns = attributes.map((a) => ({
    name: a.name,
    expr: { kind: 'attr' as const, name: a.name, type: typeOfAttribute(a), nullable: a.nullable },
  }));
  return { kind: 'proj', source: q, columns, heading };
}

/**
 * Builds, once per query, the in-place decoder of its raw rows. Only columns whose driver value
 * differs from the canonical one get a step, so plain columns cost nothing per row.
 */
export function rowDecoder(heading: QueryHeading, blobs?: BlobCodec): (row: Row) => void {
  const steps: [string, (v: unknown) => unknown][] = [];
  for (const a of heading.attributes) {
    const fn = decoderFor(a, blobs);
    if (fn) steps.push([a.name, fn]);
  }
  return (row) => {
    for (const [name, fn] of steps) {
      const v = row[name];
      if (v !== null && v !== undefined) row[name] = fn(v);
    }
  };
}

function decoderFor(a: QueryAttribute, blobs?: BlobCodec): ((v: unknown) => unknown) | null {
  switch (attributeKind(a)) {
    // both drivers return numbers for columns up to int; bigint columns and MySQL's SUM() (a DECIMAL) may come as text
    case 'integer':
      return /^(tiny|small|medium)?int\b|^integer\b/i.test(a.sql_type) ? null : toInteger;
    case 'year':
      return Number;
    case 'float':
      return null;
    // exact decimal text (MySQL) passes through; doubles (SQLite keeps decimals as numbers) get the type's scale
    case 'decimal':
      return decimalDecoder(decimalShape(a.sql_type).scale);
    case 'string':
    case 'enum':
    case 'date':
      return null;
    case 'datetime':
    case 'time':
    case 'uuid':
    case 'json':
    case 'stored':
      return (v) => fromDbValue(a, v);
    case 'bytes':
      return null;
    case 'blob':
      return blobs ? (v) => blobs.decode(v as Buffer) : summary('blob');
    case 'attach':
      return summary('attach');
    case 'external':
      return summary('external');
    case 'unsupported':
      return summary('unsupported');
  }
}

function toInteger(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  const text = String(v);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : /^-?\d+$/.test(text) ? text : n;
}

function summary(kind: string): (v: unknown) => unknown {
  return (v) => ({ kind, bytes: Buffer.isBuffer(v) ? v.length : String(v).length });
}
