import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import type { DbDriver, DbSession, Row } from '../db/driver';
import type { StoreLookup } from './external-read';
import { ExternalWrites } from './external-write';
import { cell, explainFailure, type InsertContext, type OnDuplicate } from './insert-errors';
import { prepareRows, rowNumber, type RowLabel } from './row-check';
import type { BlobCodec } from './values';

export type { OnDuplicate } from './insert-errors';

/** Options of {@link insertRows}. */
export interface InsertOptions {
  onDuplicate?: OnDuplicate;
  blobs?: BlobCodec;
  label?: RowLabel;
  /** Run inside this transaction instead of opening one (populate inserts rows, parts and provenance together). */
  tx?: DbSession;
  /** Store locations, for writing `blob@store`, `attach@store` and `filepath@store` values. */
  stores?: StoreLookup;
}

// both engines accept at least 32766 bound values per statement
const MAX_PARAMS = 30_000;

/** Rows giving the same attributes: their positions in a prepared row, and the rows (null: every row gives all). */
interface Group {
  attrs: AttributeInfo[];
  columns: number[];
  rows: number[] | null;
}

/**
 * Inserts rows in ONE transaction with multi-row INSERTs: all rows or none. Rows are checked and
 * converted first (nothing is sent for a bad row); a row the database refuses is found and named.
 */
export async function insertRows(
  db: DbDriver,
  table: TableInfo,
  rows: readonly Row[],
  opts: InsertOptions = {},
): Promise<{ inserted: number; skipped: number }> {
  const label = opts.label ?? rowNumber;
  const external =
    opts.stores && table.attributes.some((a) => a.is_external)
      ? new ExternalWrites(table.schema, opts.stores)
      : undefined;
  const prepared = prepareRows(table, rows, { dialect: db.dialect, blobs: opts.blobs, label, external });
  const attrs = prepared.attributes;
  const ctx: InsertContext = {
    table,
    source: rows,
    label,
    mode: opts.onDuplicate ?? 'error',
    attrs,
    width: attrs.length,
    values: prepared.values,
    position: new Map(attrs.map((a, k) => [a.name, k])),
  };
  const groups = prepared.complete
    ? [{ attrs, columns: attrs.map((_, k) => k), rows: null }]
    : groupByGivenAttributes(ctx, rows.length);
  const work = async (tx: DbSession) => {
    if (external?.size) await external.commit(tx);
    let inserted = 0;
    for (const group of groups) inserted += await insertGroup(tx, ctx, group, rows.length);
    return inserted;
  };
  const inserted = opts.tx ? await work(opts.tx) : await db.transaction(work);
  // MySQL's REPLACE counts a replaced row twice; skipped rows count zero
  const written = ctx.mode === 'replace' ? rows.length : Math.min(inserted, rows.length);
  return { inserted: written, skipped: ctx.mode === 'skip' ? rows.length - written : 0 };
}

/** One statement shape, in batches that stay under the engines' limit of bound values. */
async function insertGroup(tx: DbSession, ctx: InsertContext, group: Group, count: number): Promise<number> {
  const names = group.attrs.map((a) => a.name);
  // a row giving no attribute at all (auto_increment key, defaults) is one `DEFAULT VALUES` row on SQLite
  const perBatch = names.length
    ? Math.max(1, Math.floor(MAX_PARAMS / names.length))
    : tx.dialect.capabilities.defaultRowsPerInsert;
  const existing =
    ctx.mode === 'skip' && tx.dialect.capabilities.skipCountsDuplicates
      ? await keysPresent(tx, ctx, group, count)
      : null;
  // complete rows are sent as slices of the prepared values; others are picked value by value
  const rows = existing ? newRows(ctx, group.rows ?? range(count), existing) : group.rows;
  const total = rows?.length ?? count;
  let inserted = 0;
  let fullSql: string | null = null;
  for (let start = 0; start < total; start += perBatch) {
    const end = Math.min(total, start + perBatch);
    const params = rows
      ? pick(ctx, group.columns, rows, start, end)
      : ctx.values.slice(start * ctx.width, end * ctx.width);
    const sql =
      end - start === perBatch
        ? (fullSql ??= insertSql(tx, ctx, names, perBatch))
        : insertSql(tx, ctx, names, end - start);
    try {
      inserted += (await tx.execute(sql, params)).affectedRows;
    } catch (e) {
      throw await explainFailure(
        tx,
        ctx,
        names,
        rows ? rows.slice(start, end) : range(end - start, start),
        e,
        insertSql(tx, ctx, names, 1),
      );
    }
  }
  return inserted;
}

function pick(
  ctx: InsertContext,
  columns: readonly number[],
  rows: readonly number[],
  start: number,
  end: number,
): unknown[] {
  const params: unknown[] = new Array((end - start) * columns.length);
  let p = 0;
  for (let r = start; r < end; r++) {
    const base = rows[r]! * ctx.width;
    for (let c = 0; c < columns.length; c++) params[p++] = ctx.values[base + columns[c]!];
  }
  return params;
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

const keyText = (values: unknown[]) =>
  values.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v))).join('\u0000');

/**
 * MySQL reports a skipped duplicate as an affected row (mysql2 connects with FOUND_ROWS), so
 * skip mode looks up which keys exist first; the ON DUPLICATE KEY clause remains as a safety net.
 */
async function keysPresent(
  tx: DbSession,
  ctx: InsertContext,
  group: Group,
  count: number,
): Promise<Set<string> | null> {
  const { table } = ctx;
  const pk = table.primary_key;
  if (pk.length === 0 || !pk.every((k) => group.attrs.some((a) => a.name === k))) return null;
  const q = (n: string) => tx.dialect.quoteIdent(n);
  const rows = group.rows ?? range(count);
  const found = new Set<string>();
  const per = Math.max(1, Math.floor(MAX_PARAMS / pk.length));
  const tuple = pk.length === 1 ? '?' : `(${pk.map(() => '?').join(', ')})`;
  const lhs = pk.length === 1 ? q(pk[0]!) : `(${pk.map(q).join(', ')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const stored = await tx.query(
      `SELECT ${pk.map(q).join(', ')} FROM ${tx.dialect.qualify(table.schema, table.table_name)} WHERE ${lhs} IN (${chunk.map(() => tuple).join(', ')})`,
      chunk.flatMap((r) => pk.map((k) => cell(ctx, r, k))),
    );
    for (const r of stored) found.add(keyText(pk.map((k) => r[k])));
  }
  return found;
}

/** Rows whose key is neither stored nor given by an earlier row (DataJoint skips both). */
function newRows(ctx: InsertContext, rows: readonly number[], existing: Set<string>): number[] {
  const seen = new Set(existing);
  return rows.filter((r) => {
    const k = keyText(ctx.table.primary_key.map((n) => cell(ctx, r, n)));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Splits rows by which attributes they give (the others get their defaults). */
function groupByGivenAttributes(ctx: InsertContext, count: number): Group[] {
  const groups = new Map<string, Group>();
  for (let row = 0; row < count; row++) {
    const base = row * ctx.width;
    let key = '';
    for (let k = 0; k < ctx.width; k++) key += ctx.values[base + k] === undefined ? '0' : '1';
    let g = groups.get(key);
    if (!g) {
      const columns = ctx.attrs.map((_, k) => k).filter((k) => ctx.values[base + k] !== undefined);
      groups.set(key, (g = { attrs: columns.map((k) => ctx.attrs[k]!), columns, rows: [] }));
    }
    g.rows!.push(row);
  }
  return [...groups.values()];
}

function insertSql(db: DbSession, ctx: InsertContext, names: readonly string[], count: number): string {
  const tuple = `(${names.map(() => '?').join(', ')})`;
  return db.dialect.insert({
    into: db.dialect.qualify(ctx.table.schema, ctx.table.table_name),
    columns: names,
    values: Array.from({ length: count }, () => tuple).join(', '),
    key: ctx.table.primary_key,
    onConflict: ctx.mode,
  });
}
