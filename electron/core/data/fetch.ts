import { readStoredValues } from './stored-read';
import type { FetchResult, Restriction } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { type AppError, appError, isAppError } from '../../../shared/errors';
import type { DbSession } from '../db/driver';
import { NO_STORES, readExternalValues, type StoreLookup } from './external-read';
import { restrictionSql } from './restriction';
import { CellDecodeError, rowDecoder, type BlobCodec } from './values';

/** Options of {@link fetchRows}. */
export interface FetchOptions {
  restriction?: Restriction;
  attributes?: string[];
  orderBy?: { attribute: string; descending?: boolean }[];
  limit?: number;
  offset?: number;
  blobs?: BlobCodec;
  /** Store locations for external attributes; without them such cells are an error when present. */
  stores?: StoreLookup;
}

/** Rows of one table as canonical values, ordered by the primary key unless told otherwise. */
export async function fetchRows(db: DbSession, table: TableInfo, opts: FetchOptions = {}): Promise<FetchResult> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const names = opts.attributes ?? table.attributes.filter((a) => !a.hidden).map((a) => a.name);
  for (const n of [...names, ...(opts.orderBy ?? []).map((o) => o.attribute)]) {
    if (!table.attributes.some((a) => a.name === n)) {
      throw appError('VALIDATION', `${table.full_name} has no attribute "${n}".`, {
        details: { table: table.full_name, attribute: n },
        hint: `Attributes: ${table.attributes.map((a) => a.name).join(', ')}.`,
      });
    }
  }
  const where = restrictionSql(db.dialect, table, opts.restriction, undefined, opts.blobs);
  const from = db.dialect.qualify(table.schema, table.table_name);
  const order = orderClause(table, opts.orderBy, q);
  const limit = opts.limit ?? 1000;
  const offset = opts.offset ?? 0;
  // the key is selected too (and dropped again) so that an undecodable cell can be named by its row
  const selected = [...new Set([...names, ...table.primary_key])];
  // one row more than asked for tells whether the page is the last one, so most fetches need no COUNT(*)
  const sql = `SELECT ${selected.map(q).join(', ')} FROM ${from} WHERE ${where.sql}${order ? ` ORDER BY ${order}` : ''} LIMIT ${Number(limit) + 1} OFFSET ${Number(offset)}`;
  const attrs = table.attributes.filter((a) => selected.includes(a.name));
  const decode = rowDecoder(attrs, opts.blobs, db.dialect);
  const rows = await db.query(sql, where.params);
  const more = rows.length > limit;
  if (more) rows.length = limit;
  try {
    for (const r of rows) decode(r);
  } catch (e) {
    throw e instanceof CellDecodeError ? cellError(table, e) : e;
  }
  if (attrs.some((a) => a.is_external))
    await readExternalValues(db, table, attrs, rows, opts.stores ?? NO_STORES, opts.blobs);
  if (attrs.some((a) => a.codec && a.store !== null))
    await readStoredValues(table, attrs, rows, opts.stores ?? NO_STORES, opts.blobs);
  const extra = selected.filter((n) => !names.includes(n));
  if (extra.length) for (const r of rows) for (const n of extra) delete r[n];
  const total =
    !more && (offset === 0 || rows.length > 0)
      ? offset + rows.length
      : Number(
          (
            await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where.sql}`, where.params)
          )[0]?.n ?? 0,
        );
  return { attributes: names, primary_key: table.primary_key.filter((k) => names.includes(k)), rows, total };
}

/** ORDER BY the given attributes, then the primary key, so pages are stable. */
function orderClause(table: TableInfo, orderBy: FetchOptions['orderBy'], q: (s: string) => string): string {
  const given = (orderBy ?? []).map((o) => `${q(o.attribute)}${o.descending ? ' DESC' : ''}`);
  const named = new Set((orderBy ?? []).map((o) => o.attribute));
  return [...given, ...table.primary_key.filter((k) => !named.has(k)).map(q)].join(', ');
}

function cellError(table: TableInfo, e: CellDecodeError): AppError {
  const key = Object.fromEntries(table.primary_key.map((k) => [k, e.row[k]]));
  const reason = isAppError(e.failure) ? e.failure.message : String(e.failure);
  return appError(
    'VALIDATION',
    `${table.full_name}, attribute "${e.attribute}" of the row ${JSON.stringify(key)} cannot be read: ${reason}`,
    {
      details: { table: table.full_name, attribute: e.attribute, key, reason },
      hint: 'The stored value is damaged or was not written by DataJoint; fetch the other attributes, or fix the row.',
    },
  );
}
