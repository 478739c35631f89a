import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { type AppError, appError, isAppError } from '../../../shared/errors';
import type { DbDriver, DbSession, Row } from '../db/driver';
import { checkRows, rowNumber, type RowLabel } from './row-check';
import { toDbValue, type BlobCodec } from './values';

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

/**
 * Inserts rows in ONE transaction with multi-row INSERTs: all rows or none. Rows are checked
 * first (nothing is sent for a bad row); a row the database refuses is found and named.
 */
export async function insertRows(db: DbDriver, table: TableInfo, rows: readonly Row[], opts: InsertOptions = {}): Promise<{ inserted: number; skipped: number }> {
  const label = opts.label ?? rowNumber;
  const { attributes, rows: canonical } = checkRows(table, rows, label);
  const mode = opts.onDuplicate ?? 'error';
  const work = async (tx: DbSession) => {
    let inserted = 0;
    // rows that leave an attribute out get its default, so each set of given attributes is one statement shape
    for (const group of groupByGivenAttributes(attributes.map((a) => a.name), canonical)) {
      const attrs = group.names.map((n) => attributes.find((a) => a.name === n)!);
      const perBatch = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, attrs.length)));
      for (let start = 0; start < group.rows.length; start += perBatch) {
        const batch = group.rows.slice(start, start + perBatch);
        const params: unknown[] = [];
        for (const { row } of batch) for (const a of attrs) params.push(toDbValue(a, row[a.name], tx.dialect.name, opts.blobs));
        try {
          inserted += (await tx.execute(insertSql(tx, table, group.names, batch.length, mode), params)).affectedRows;
        } catch (e) {
          throw await explainFailure(tx, table, group.names, batch, e, label, mode, opts.blobs);
        }
      }
    }
    return inserted;
  };
  const inserted = opts.tx ? await work(opts.tx) : await db.transaction(work);
  // MySQL's REPLACE counts a replaced row twice; skipped rows count zero
  const written = mode === 'replace' ? canonical.length : Math.min(inserted, canonical.length);
  return { inserted: written, skipped: mode === 'skip' ? canonical.length - written : 0 };
}

interface IndexedRow { row: Row; index: number }

/** Splits rows by which attributes they give, keeping each row's original index for messages. */
function groupByGivenAttributes(names: readonly string[], rows: readonly Row[]): { names: string[]; rows: IndexedRow[] }[] {
  const groups = new Map<string, { names: string[]; rows: IndexedRow[] }>();
  rows.forEach((row, index) => {
    const given = names.filter((n) => row[n] !== undefined);
    const key = given.join('\u0000');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { names: given, rows: [] }));
    g.rows.push({ row, index });
  });
  return [...groups.values()];
}

function insertSql(db: DbSession, table: TableInfo, names: readonly string[], count: number, mode: OnDuplicate): string {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const target = db.dialect.qualify(table.schema, table.table_name);
  const tuple = `(${names.map(() => '?').join(', ')})`;
  const values = names.length ? Array.from({ length: count }, () => tuple).join(', ') : Array.from({ length: count }, () => '()').join(', ');
  const cols = names.map(q).join(', ');
  if (db.dialect.name === 'mysql') {
    const verb = mode === 'replace' ? 'REPLACE' : 'INSERT';
    const tail = mode === 'skip' && names.length ? ` ON DUPLICATE KEY UPDATE ${q(names[0]!)} = ${q(names[0]!)}` : '';
    return `${verb} INTO ${target} (${cols}) VALUES ${values}${tail}`;
  }
  const verb = mode === 'replace' ? 'INSERT OR REPLACE' : 'INSERT';
  const tail = mode === 'skip' ? ' ON CONFLICT DO NOTHING' : '';
  return `${verb} INTO ${target} (${cols}) VALUES ${values}${tail}`;
}

/** Re-runs a refused batch row by row to name the row, and the foreign key it breaks. */
async function explainFailure(tx: DbSession, table: TableInfo, names: readonly string[], batch: readonly IndexedRow[], e: unknown, label: RowLabel, mode: OnDuplicate, blobs?: BlobCodec): Promise<AppError> {
  if (!isAppError(e) || (e.code !== 'CONFLICT' && e.code !== 'CONSTRAINT')) return isAppError(e) ? e : appError('DB_QUERY', String(e));
  const attrs = names.map((n) => table.attributes.find((a) => a.name === n)!);
  for (const { row, index } of batch) {
    try {
      await tx.execute(insertSql(tx, table, names, 1, mode), attrs.map((a) => toDbValue(a, row[a.name], tx.dialect.name, blobs)));
    } catch (rowError) {
      return describeRowError(tx, table, row, index, rowError, label);
    }
  }
  return e;
}

async function describeRowError(tx: DbSession, table: TableInfo, row: Row, index: number, e: unknown, label: RowLabel): Promise<AppError> {
  const where = `${table.full_name}, ${label(index)}`;
  const key = Object.fromEntries(table.primary_key.map((k) => [k, row[k]]));
  if (isAppError(e) && e.code === 'CONFLICT') {
    return appError('CONFLICT', `${where}: a row with key ${JSON.stringify(key)} already exists.`, {
      details: { table: table.full_name, row: index + 1, key }, hint: 'Skip duplicates or replace them, or change the key; nothing was written.',
    });
  }
  for (const fk of table.foreign_keys) {
    const cols = Object.keys(fk.attr_map);
    if (cols.some((c) => row[c] === null || row[c] === undefined)) continue;
    const [schema, name] = [fk.parent.slice(0, fk.parent.indexOf('.')), fk.parent.slice(fk.parent.indexOf('.') + 1)];
    const cond = cols.map((c) => `${tx.dialect.quoteIdent(fk.attr_map[c]!)} = ?`).join(' AND ');
    const found = await tx.query(`SELECT 1 FROM ${tx.dialect.qualify(schema, name)} WHERE ${cond} LIMIT 1`, cols.map((c) => row[c]));
    if (found.length === 0) {
      const ref = Object.fromEntries(cols.map((c) => [fk.attr_map[c]!, row[c]]));
      return appError('CONSTRAINT', `${where}: no ${fk.parent} row with ${JSON.stringify(ref)} (foreign key ${cols.join(', ')}).`, {
        details: { table: table.full_name, row: index + 1, attribute: cols[0], parent: fk.parent, reason: 'foreign key' },
        hint: `Insert the ${fk.parent} row first; nothing was written.`,
      });
    }
  }
  const engine = isAppError(e) ? e.message : String(e);
  return appError(isAppError(e) ? e.code : 'DB_QUERY', `${where}: ${engine}`, { details: { table: table.full_name, row: index + 1 }, hint: 'Nothing was written.' });
}
