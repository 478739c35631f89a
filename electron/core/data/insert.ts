import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { type AppError, appError, isAppError } from '../../../shared/errors';
import type { DbDriver, DbSession, Row } from '../db/driver';
import { prepareRows, rowNumber, type RowLabel } from './row-check';
import type { BlobCodec } from './values';

/** How an insert treats rows whose key exists: fail, skip them, or replace them (DataJoint's REPLACE). */
export type OnDuplicate = 'error' | 'skip' | 'replace';

/** Options of {@link insertRows}. */
export interface InsertOptions {
  onDuplicate?: OnDuplicate;
  blobs?: BlobCodec;
  label?: RowLabel;
  /** Run inside this transaction instead of opening one (populate inserts rows, parts and provenance together). */
  tx?: DbSession;
}

// both engines accept at least 32766 bound values per statement
const MAX_PARAMS = 30_000;

/** A prepared row (values in the order of the prepared attributes) and its index in the input. */
interface IndexedRow { values: unknown[]; index: number }
/** Rows giving the same attributes; `columns` are their positions among the prepared attributes. */
interface Group { attrs: AttributeInfo[]; columns: number[]; rows: IndexedRow[] }
interface Context {
  table: TableInfo; source: readonly Row[]; label: RowLabel; mode: OnDuplicate;
  /** Position of each prepared attribute in a prepared row. */
  position: Map<string, number>;
}

/** A prepared row's value of an attribute (undefined when not given). */
const valueOf = (ctx: Context, values: unknown[], name: string): unknown => { const k = ctx.position.get(name); return k === undefined ? undefined : values[k]; };

/**
 * Inserts rows in ONE transaction with multi-row INSERTs: all rows or none. Rows are checked and
 * converted first (nothing is sent for a bad row); a row the database refuses is found and named.
 */
export async function insertRows(db: DbDriver, table: TableInfo, rows: readonly Row[], opts: InsertOptions = {}): Promise<{ inserted: number; skipped: number }> {
  const label = opts.label ?? rowNumber;
  const prepared = prepareRows(table, rows, { dialect: db.dialect.name, blobs: opts.blobs, label });
  const ctx: Context = { table, source: rows, label, mode: opts.onDuplicate ?? 'error', position: new Map(prepared.attributes.map((a, k) => [a.name, k])) };
  const groups = groupByGivenAttributes(prepared.attributes, prepared.rows);
  const work = async (tx: DbSession) => {
    let inserted = 0;
    for (const group of groups) inserted += await insertGroup(tx, ctx, group);
    return inserted;
  };
  const inserted = opts.tx ? await work(opts.tx) : await db.transaction(work);
  // MySQL's REPLACE counts a replaced row twice; skipped rows count zero
  const written = ctx.mode === 'replace' ? rows.length : Math.min(inserted, rows.length);
  return { inserted: written, skipped: ctx.mode === 'skip' ? rows.length - written : 0 };
}

/** One statement shape, in batches that stay under the engines' limit of bound values. */
async function insertGroup(tx: DbSession, ctx: Context, group: Group): Promise<number> {
  const names = group.attrs.map((a) => a.name);
  // a row giving no attribute at all (auto_increment key, defaults) is one `DEFAULT VALUES` row on SQLite
  const perBatch = names.length ? Math.max(1, Math.floor(MAX_PARAMS / names.length)) : tx.dialect.name === 'sqlite' ? 1 : 1000;
  let inserted = 0;
  let fullSql: string | null = null;
  const existing = ctx.mode === 'skip' && tx.dialect.name === 'mysql' ? await keysPresent(tx, ctx, group) : null;
  const rows = existing ? newRows(ctx, group.rows, existing) : group.rows;
  for (let start = 0; start < rows.length; start += perBatch) {
    const batch = rows.slice(start, start + perBatch);
    const params: unknown[] = new Array(batch.length * names.length);
    const columns = group.columns;
    let p = 0;
    for (const { values } of batch) for (let c = 0; c < columns.length; c++) params[p++] = values[columns[c]!];
    const sql = batch.length === perBatch ? (fullSql ??= insertSql(tx, ctx, names, perBatch)) : insertSql(tx, ctx, names, batch.length);
    try {
      inserted += (await tx.execute(sql, params)).affectedRows;
    } catch (e) {
      throw await explainFailure(tx, ctx, group, batch, e);
    }
  }
  return inserted;
}

const keyText = (values: unknown[]) => values.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v))).join('\u0000');

/**
 * MySQL reports a skipped duplicate as an affected row (mysql2 connects with FOUND_ROWS), so
 * skip mode looks up which keys exist first; the ON DUPLICATE KEY clause remains as a safety net.
 */
async function keysPresent(tx: DbSession, ctx: Context, group: Group): Promise<Set<string> | null> {
  const { table } = ctx;
  const pk = table.primary_key;
  if (pk.length === 0 || !pk.every((k) => group.attrs.some((a) => a.name === k))) return null;
  const q = (n: string) => tx.dialect.quoteIdent(n);
  const found = new Set<string>();
  const per = Math.max(1, Math.floor(MAX_PARAMS / pk.length));
  for (let i = 0; i < group.rows.length; i += per) {
    const chunk = group.rows.slice(i, i + per);
    const tuple = pk.length === 1 ? '?' : `(${pk.map(() => '?').join(', ')})`;
    const lhs = pk.length === 1 ? q(pk[0]!) : `(${pk.map(q).join(', ')})`;
    const rows = await tx.query(`SELECT ${pk.map(q).join(', ')} FROM ${tx.dialect.qualify(table.schema, table.table_name)} WHERE ${lhs} IN (${chunk.map(() => tuple).join(', ')})`,
      chunk.flatMap(({ values }) => pk.map((k) => valueOf(ctx, values, k))));
    for (const r of rows) found.add(keyText(pk.map((k) => r[k])));
  }
  return found;
}

/** Rows whose key is neither stored nor given by an earlier row (DataJoint skips both). */
function newRows(ctx: Context, rows: readonly IndexedRow[], existing: Set<string>): IndexedRow[] {
  const seen = new Set(existing);
  return rows.filter(({ values }) => {
    const k = keyText(ctx.table.primary_key.map((n) => valueOf(ctx, values, n)));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Splits rows by which attributes they give (the others get their defaults), keeping each row's index. */
function groupByGivenAttributes(attributes: readonly AttributeInfo[], rows: readonly unknown[][]): Group[] {
  const groups = new Map<string, Group>();
  let lastKey = '';
  let lastGroup: Group | undefined;
  for (let index = 0; index < rows.length; index++) {
    const values = rows[index]!;
    let key = '';
    for (let k = 0; k < attributes.length; k++) key += values[k] === undefined ? '0' : '1';
    let g = key === lastKey ? lastGroup : groups.get(key);
    if (!g) {
      const columns = attributes.map((_, k) => k).filter((k) => values[k] !== undefined);
      groups.set(key, (g = { attrs: columns.map((k) => attributes[k]!), columns, rows: [] }));
    }
    lastKey = key;
    lastGroup = g;
    g.rows.push({ values, index });
  }
  return [...groups.values()];
}

function insertSql(db: DbSession, ctx: Context, names: readonly string[], count: number): string {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const target = db.dialect.qualify(ctx.table.schema, ctx.table.table_name);
  if (names.length === 0 && db.dialect.name === 'sqlite') return `INSERT INTO ${target} DEFAULT VALUES`;
  const tuple = `(${names.map(() => '?').join(', ')})`;
  const values = Array.from({ length: count }, () => tuple).join(', ');
  const cols = names.map(q).join(', ');
  if (db.dialect.name === 'mysql') {
    const verb = ctx.mode === 'replace' ? 'REPLACE' : 'INSERT';
    const firstKey = ctx.table.primary_key[0] ?? names[0];
    const tail = ctx.mode === 'skip' && firstKey ? ` ON DUPLICATE KEY UPDATE ${q(firstKey)} = ${q(firstKey)}` : '';
    return `${verb} INTO ${target} (${cols}) VALUES ${values}${tail}`;
  }
  const verb = ctx.mode === 'replace' ? 'INSERT OR REPLACE' : 'INSERT';
  const tail = ctx.mode === 'skip' ? ' ON CONFLICT DO NOTHING' : '';
  return `${verb} INTO ${target} (${cols}) VALUES ${values}${tail}`;
}

/** Re-runs a refused batch row by row to name the row, and the foreign key it breaks. */
async function explainFailure(tx: DbSession, ctx: Context, group: Group, batch: readonly IndexedRow[], e: unknown): Promise<AppError> {
  const names = group.attrs.map((a) => a.name);
  if (!isAppError(e)) return appError('DB_QUERY', String(e));
  if (batch.length === 1) return describeRowError(tx, ctx, batch[0]!, e);
  if (e.code !== 'CONFLICT' && e.code !== 'CONSTRAINT') return e;
  const sql = insertSql(tx, ctx, names, 1);
  for (const item of batch) {
    try {
      await tx.execute(sql, group.columns.map((k) => item.values[k]));
    } catch (rowError) {
      return describeRowError(tx, ctx, item, rowError);
    }
  }
  return e;
}

async function describeRowError(tx: DbSession, ctx: Context, { values, index }: IndexedRow, e: unknown): Promise<AppError> {
  const bound = (name: string) => valueOf(ctx, values, name);
  const { table, label } = ctx;
  const where = `${table.full_name}, ${label(index)}`;
  const given = ctx.source[index] ?? {};
  const key = Object.fromEntries(table.primary_key.map((k) => [k, given[k]]));
  const base = { table: table.full_name, row: index + 1, where: label(index) };
  if (isAppError(e) && e.code === 'CONFLICT') {
    return appError('CONFLICT', `${where}: a row with key ${JSON.stringify(key)} already exists.`, {
      details: { ...base, key, reason: 'duplicate' }, hint: 'Skip duplicates or replace them, or change the key; nothing was written.',
    });
  }
  for (const fk of table.foreign_keys) {
    const cols = Object.keys(fk.attr_map);
    if (cols.some((c) => bound(c) === null || bound(c) === undefined)) continue;
    const dot = fk.parent.indexOf('.');
    const cond = cols.map((c) => `${tx.dialect.quoteIdent(fk.attr_map[c]!)} = ?`).join(' AND ');
    const found = await tx.query(`SELECT 1 FROM ${tx.dialect.qualify(fk.parent.slice(0, dot), fk.parent.slice(dot + 1))} WHERE ${cond} LIMIT 1`, cols.map(bound));
    if (found.length === 0) {
      const ref = Object.fromEntries(cols.map((c) => [fk.attr_map[c]!, given[c]]));
      return appError('CONSTRAINT', `${where}: no ${fk.parent} row with ${JSON.stringify(ref)} (foreign key ${cols.join(', ')}).`, {
        details: { ...base, attribute: cols[0], attributes: cols, parent: fk.parent, reason: 'foreign key' },
        hint: `Insert the ${fk.parent} row first; nothing was written.`,
      });
    }
  }
  if (ctx.mode === 'replace' && isAppError(e) && e.code === 'CONSTRAINT') {
    return appError('CONSTRAINT', `${where}: the row with key ${JSON.stringify(key)} cannot be replaced, because rows of other tables refer to it (replacing deletes the row and inserts it again, as in DataJoint).`, {
      details: { ...base, key, reason: 'referenced' }, hint: 'Change its secondary attributes with an update instead; nothing was written.',
    });
  }
  const engine = isAppError(e) ? e.message : String(e);
  return appError(isAppError(e) ? e.code : 'DB_QUERY', `${where}: ${engine}`, { details: { ...base, reason: engine }, hint: 'Nothing was written.' });
}
