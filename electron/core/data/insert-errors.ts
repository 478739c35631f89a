import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { type AppError, appError, isAppError } from '../../../shared/errors';
import type { DbSession, Row } from '../db/driver';
import type { RowLabel } from './row-check';

/** How an insert treats rows whose key exists: fail, skip them, or replace them (DataJoint's REPLACE). */
export type OnDuplicate = 'error' | 'skip' | 'replace';

/** One insert: the table, the rows as given and as prepared (flat, row after row). */
export interface InsertContext {
  table: TableInfo;
  source: readonly Row[];
  label: RowLabel;
  mode: OnDuplicate;
  attrs: AttributeInfo[];
  width: number;
  values: unknown[];
  /** Position of each prepared attribute within a row. */
  position: Map<string, number>;
}

/** The bound value of an attribute of prepared row `row` (undefined when not given). */
export function cell(ctx: InsertContext, row: number, name: string): unknown {
  const k = ctx.position.get(name);
  return k === undefined ? undefined : ctx.values[row * ctx.width + k];
}

/**
 * A refused statement -> the error a user can act on: the batch is re-run row by row (inside the
 * same transaction, which fails anyway) to find the row, and the foreign key it breaks is named.
 */
export async function explainFailure(
  tx: DbSession,
  ctx: InsertContext,
  names: readonly string[],
  rows: readonly number[],
  e: unknown,
  oneRowSql: string,
): Promise<AppError> {
  if (!isAppError(e)) return appError('DB_QUERY', String(e));
  if (rows.length === 1) return describeRowError(tx, ctx, rows[0]!, e);
  if (e.code !== 'CONFLICT' && e.code !== 'CONSTRAINT') return e;
  for (const row of rows) {
    try {
      await tx.execute(
        oneRowSql,
        names.map((n) => cell(ctx, row, n)),
      );
    } catch (rowError) {
      return describeRowError(tx, ctx, row, rowError);
    }
  }
  return e;
}

async function describeRowError(tx: DbSession, ctx: InsertContext, index: number, e: unknown): Promise<AppError> {
  const bound = (name: string) => cell(ctx, index, name);
  const { table, label } = ctx;
  const where = `${table.full_name}, ${label(index)}`;
  const given = ctx.source[index] ?? {};
  const key = Object.fromEntries(table.primary_key.map((k) => [k, given[k]]));
  const base = { table: table.full_name, row: index + 1, where: label(index) };
  if (isAppError(e) && e.code === 'CONFLICT') {
    return appError('CONFLICT', `${where}: a row with key ${JSON.stringify(key)} already exists.`, {
      details: { ...base, key, reason: 'duplicate' },
      hint: 'Skip duplicates or replace them, or change the key; nothing was written.',
    });
  }
  for (const fk of table.foreign_keys) {
    const cols = Object.keys(fk.attr_map);
    if (cols.some((c) => bound(c) === null || bound(c) === undefined)) continue;
    const dot = fk.parent.indexOf('.');
    const cond = cols.map((c) => `${tx.dialect.quoteIdent(fk.attr_map[c]!)} = ?`).join(' AND ');
    const found = await tx.query(
      `SELECT 1 FROM ${tx.dialect.qualify(fk.parent.slice(0, dot), fk.parent.slice(dot + 1))} WHERE ${cond} LIMIT 1`,
      cols.map(bound),
    );
    if (found.length === 0) {
      const ref = Object.fromEntries(cols.map((c) => [fk.attr_map[c]!, given[c]]));
      return appError(
        'CONSTRAINT',
        `${where}: no ${fk.parent} row with ${JSON.stringify(ref)} (foreign key ${cols.join(', ')}).`,
        {
          details: { ...base, attribute: cols[0], attributes: cols, parent: fk.parent, reason: 'foreign key' },
          hint: `Insert the ${fk.parent} row first; nothing was written.`,
        },
      );
    }
  }
  if (ctx.mode === 'replace' && isAppError(e) && e.code === 'CONSTRAINT') {
    return appError(
      'CONSTRAINT',
      `${where}: the row with key ${JSON.stringify(key)} cannot be replaced, because rows of other tables refer to it (replacing deletes the row and inserts it again, as in DataJoint).`,
      {
        details: { ...base, key, reason: 'referenced' },
        hint: 'Change its secondary attributes with an update instead; nothing was written.',
      },
    );
  }
  const engine = isAppError(e) ? e.message : String(e);
  return appError(isAppError(e) ? e.code : 'DB_QUERY', `${where}: ${engine}`, {
    details: { ...base, reason: engine },
    hint: 'Nothing was written.',
  });
}
