import { isAppError } from '../../../../shared/errors';
import type { CatalogTable } from '../../../../shared/model/catalog';
import { isHiddenTable } from '../../../../shared/model/naming';
import type { DbSession } from '../driver';

/**
 * Exact row counts of the visible tables, 100 per query (information_schema's table_rows is an
 * estimate; SQLite allows 500 terms in a compound SELECT). A table dropped by another client since
 * the catalog listed it fails its chunk; that chunk is then counted table by table, and a vanished
 * table keeps the count 0.
 */
export async function countRows(db: DbSession, tables: readonly CatalogTable[]): Promise<void> {
  const count = async (chunk: CatalogTable[]) => {
    const sql = chunk
      .map((t, j) => `SELECT ${j} AS i, COUNT(*) AS n FROM ${db.dialect.qualify(t.schema, t.name)}`)
      .join(' UNION ALL ');
    const rows = await db.query<{ i: number; n: number | string }>(sql);
    for (const r of rows) chunk[Number(r.i)]!.rowCount = Number(r.n);
  };
  const visible = tables.filter((t) => !isHiddenTable(t.name));
  for (let i = 0; i < visible.length; i += 100) {
    const chunk = visible.slice(i, i + 100);
    try {
      await count(chunk);
    } catch (e) {
      if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
      for (const t of chunk)
        await count([t]).catch((err: unknown) => {
          if (!isAppError(err) || err.code !== 'NOT_FOUND') throw err;
        });
    }
  }
}
