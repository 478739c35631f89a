import type { TableInfo } from '../api/schemas/pipeline';
import type { CompiledSql, SqlDialect } from '../sql/dialect';
import { LINEAGE_TABLE, type ResolvedTable } from './definition';

/**
 * DataJoint 2.x's attribute lineage (lineage.py): the `schema.table.attribute` an attribute
 * originates in. A table's own key attributes originate in it; an attribute brought by a foreign
 * key has its parent attribute's lineage. 2.x writes these rows into `~lineage` when it declares
 * a table and joins only on namesakes of the same lineage.
 */

/** One row of `~lineage`. */
export interface LineageRow {
  table_name: string;
  attribute_name: string;
  lineage: string;
}

/** Lineage of an attribute of an existing table (`~lineage` where kept), or undefined when unknown. */
export type KnownLineage = (schema: string, table: string, attribute: string) => string | undefined;

/** Rows for tables about to be declared, parents first; `known` answers for tables that exist already. */
export function lineageRows(tables: readonly ResolvedTable[], known: KnownLineage): Map<string, LineageRow[]> {
  const made = new Map<string, string>();
  const out = new Map<string, LineageRow[]>();
  for (const t of tables) {
    const rows: LineageRow[] = [];
    for (const col of t.columns) {
      let lineage: string | undefined;
      if (col.fromForeignKey !== null) {
        const fk = t.foreignKeys[col.fromForeignKey]!;
        const attr = fk.refColumns[fk.columns.indexOf(col.name)]!;
        const origin = `${fk.refSchema}.${fk.refTable}.${attr}`;
        lineage = made.get(origin) ?? known(fk.refSchema, fk.refTable, attr) ?? origin;
      } else if (col.inKey) {
        lineage = `${t.schema}.${t.tableName}.${col.name}`;
      }
      if (lineage === undefined) continue;
      made.set(`${t.schema}.${t.tableName}.${col.name}`, lineage);
      rows.push({ table_name: t.tableName, attribute_name: col.name, lineage });
    }
    out.set(`${t.schema}.${t.tableName}`, rows);
  }
  return out;
}

/**
 * The origin of an attribute of an existing table traced through its foreign keys, for parents
 * whose schema keeps no `~lineage` (0.14 schemas): the same rule 2.x applies when it declares.
 */
export function traceLineage(tables: readonly TableInfo[], schema: string, table: string, attribute: string): string {
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  let [s, tn, a] = [schema, table, attribute];
  for (let hops = 0; hops < 100; hops++) {
    const t = byName.get(`${s}.${tn}`);
    const fk = t?.foreign_keys.find((f) => a in f.attr_map);
    if (!fk) break;
    const [ps, ...rest] = fk.parent.split('.');
    [s, tn, a] = [ps!, rest.join('.'), fk.attr_map[a]!];
  }
  return `${s}.${tn}.${a}`;
}

/** Lineage of existing tables: their `~lineage` rows as read into the heading, else traced through foreign keys. */
export function knownLineageOf(existing: readonly TableInfo[]): KnownLineage {
  const byName = new Map(existing.map((t) => [t.full_name, t]));
  return (schema, table, attribute) => {
    const t = byName.get(`${schema}.${table}`);
    if (!t) return undefined;
    return t.attributes.find((a) => a.name === attribute)?.lineage ?? traceLineage(existing, schema, table, attribute);
  };
}

/** The INSERT of a table's `~lineage` rows (replacing stale ones, as a re-declared table needs). */
export function lineageInsertSql(dialect: SqlDialect, schema: string, rows: readonly LineageRow[]): CompiledSql {
  const sql = dialect.insert({
    into: dialect.qualify(schema, LINEAGE_TABLE),
    columns: ['table_name', 'attribute_name', 'lineage'],
    values: rows.map(() => '(?, ?, ?)').join(', '),
    key: ['table_name', 'attribute_name'],
    onConflict: 'replace',
  });
  return { sql, params: rows.flatMap((r) => [r.table_name, r.attribute_name, r.lineage]) };
}
