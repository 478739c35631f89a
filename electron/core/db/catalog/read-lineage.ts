import { LINEAGE_TABLE } from '../../../../shared/model/definition';
import type { CatalogColumn } from '../../../../shared/model/catalog';
import type { DbSession } from '../driver';
import { isAppError } from '../../../../shared/errors';

/**
 * DataJoint 2.x's `~lineage` rows of the given schemas (those that keep one), so headings carry
 * each attribute's origin: 2.x joins only namesakes of one lineage. Keyed by {@link lineageKey}.
 */
export async function readLineage(db: DbSession, schemas: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (schemas.length === 0) return out;
  const hidden = db.dialect.catalog.hiddenTables(schemas);
  const present = new Set((await db.query<{ name: string }>(hidden.sql, hidden.params)).map((r) => r.name));
  const q = (name: string) => db.dialect.quoteIdent(name);
  for (const schema of schemas) {
    if (!present.has(`${schema}.${LINEAGE_TABLE}`)) continue;
    const rows = await db
      .query<{ t: string; a: string; l: string }>(
        `SELECT ${q('table_name')} AS t, ${q('attribute_name')} AS a, ${q('lineage')} AS l FROM ${db.dialect.qualify(schema, LINEAGE_TABLE)}`,
      )
      .catch((e: unknown) => {
        // dropped by another client since it was listed: its schema is gone or going, as the catalog reader allows
        if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'DB_NOT_FOUND')) return [];
        throw e;
      });
    for (const r of rows) out.set(lineageKey(schema, r.t, r.a), r.l);
  }
  return out;
}

/** The key of one attribute in {@link readLineage}'s map. */
export function lineageKey(schema: string, table: string, attribute: string): string {
  return `${schema}\0${table}\0${attribute}`;
}

/** Gives the columns of one table their lineage, where the map has it. */
export function attachLineage(
  lineage: ReadonlyMap<string, string>,
  schema: string,
  table: string,
  columns: CatalogColumn[],
): void {
  for (const c of columns) {
    const l = lineage.get(lineageKey(schema, table, c.name));
    if (l !== undefined) c.lineage = l;
  }
}
