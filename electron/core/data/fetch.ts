import type { FetchResult } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { Restriction } from '../../../shared/api/schemas/data';
import { appError } from '../../../shared/errors';
import type { DbSession } from '../db/driver';
import { restrictionSql } from './restriction';
import { decodeRow, type BlobCodec } from './values';

/** Options of {@link fetchRows}. */
export interface FetchOptions {
  restriction?: Restriction;
  attributes?: string[];
  orderBy?: { attribute: string; descending?: boolean }[];
  limit?: number;
  offset?: number;
  blobs?: BlobCodec;
}

/** Rows of one table as canonical values, ordered by the primary key unless told otherwise. */
export async function fetchRows(db: DbSession, table: TableInfo, opts: FetchOptions = {}): Promise<FetchResult> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const names = opts.attributes ?? table.attributes.filter((a) => !a.hidden).map((a) => a.name);
  for (const n of [...names, ...(opts.orderBy ?? []).map((o) => o.attribute)]) {
    if (!table.attributes.some((a) => a.name === n)) {
      throw appError('VALIDATION', `${table.full_name} has no attribute "${n}".`, { details: { table: table.full_name, attribute: n }, hint: `Attributes: ${table.attributes.map((a) => a.name).join(', ')}.` });
    }
  }
  const where = restrictionSql(db.dialect, table, opts.restriction, undefined, opts.blobs);
  const from = db.dialect.qualify(table.schema, table.table_name);
  const order = (opts.orderBy?.length ? opts.orderBy.map((o) => `${q(o.attribute)}${o.descending ? ' DESC' : ''}`) : table.primary_key.map(q)).join(', ');
  const limit = opts.limit ?? 1000;
  const sql = `SELECT ${names.map(q).join(', ')} FROM ${from} WHERE ${where.sql}${order ? ` ORDER BY ${order}` : ''} LIMIT ${Number(limit)} OFFSET ${Number(opts.offset ?? 0)}`;
  const attrs = table.attributes.filter((a) => names.includes(a.name));
  const rows = (await db.query(sql, where.params)).map((r) => decodeRow(attrs, r, opts.blobs));
  const total = rows.length < limit && (opts.offset ?? 0) === 0
    ? rows.length
    : Number((await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where.sql}`, where.params))[0]?.n ?? 0);
  return { attributes: names, primary_key: table.primary_key.filter((k) => names.includes(k)), rows, total };
}
