import { countRows } from './count-rows';
import { splitSqliteName } from '../../../../shared/sql/dialects/sqlite/quote';
import type { DbSession } from '../driver';
import type { Catalog, CatalogColumn, CatalogOptions, CatalogTable } from '../../../../shared/model/catalog';

/**
 * SQLite has no column or table comments and loose types, so Joinery keeps what MySQL would hold
 * in COLUMN_TYPE / COMMENT in a hidden table written in the same transaction as the DDL.
 */
export const SQLITE_META_TABLE = '~joinery_table_meta';
/** Schemas that exist without tables yet (on MySQL a database exists by itself). */
export const SQLITE_SCHEMA_TABLE = '~joinery_schema';

/** Per-table metadata stored in {@link SQLITE_META_TABLE}. */
export interface SqliteTableMeta {
  comment: string;
  columns: Record<string, { sqlType: string; comment: string; default?: string | null }>;
}

async function hasTable(db: DbSession, name: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [name]);
  return rows.length > 0;
}

/** Schema names: prefixes of table names plus registered empty schemas. */
export async function listSqliteSchemas(db: DbSession): Promise<string[]> {
  const names = new Set<string>();
  const rows = await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  for (const r of rows) {
    const split = splitSqliteName(r.name);
    if (split) names.add(split.schema);
  }
  if (await hasTable(db, SQLITE_SCHEMA_TABLE)) {
    for (const r of await db.query<{ name: string }>(`SELECT name FROM "${SQLITE_SCHEMA_TABLE}"`)) names.add(r.name);
  }
  return [...names].sort();
}

/**
 * Reads the tables of `schemas` through SQLite's pragmas and Joinery's metadata table: one query
 * per kind of fact for all tables at once (the pragmas as table-valued functions joined to
 * sqlite_master), so 500 tables cost a handful of statements, not thousands.
 */
export async function readSqliteCatalog(db: DbSession, schemas: string[], opts: CatalogOptions = {}): Promise<Catalog> {
  const wanted = new Set(schemas);
  const meta = await readMeta(db);
  const facts = await readFacts(db);
  const tables: CatalogTable[] = [];
  for (const { name, sql } of facts.tables) {
    const split = splitSqliteName(name);
    if (!split || !wanted.has(split.schema)) continue;
    tables.push(toTable(name, split.schema, split.table, sql, facts, meta.get(name)));
  }
  if (opts.rowCounts !== false) await countRows(db, tables);
  return {
    dialect: 'sqlite',
    schemas: schemas.map((s) => ({ name: s, tables: tables.filter((t) => t.schema === s) })),
  };
}

type ColumnRow = { t: string; name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
type FkRow = {
  t: string;
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
};
type IndexRow = { t: string; name: string; unique: number; origin: string };

/** Every table's columns, foreign keys and indexes, grouped by table name. */
interface Facts {
  tables: Array<{ name: string; sql: string }>;
  columns: Map<string, ColumnRow[]>;
  fks: Map<string, FkRow[]>;
  indexes: Map<string, IndexRow[]>;
  indexColumns: Map<string, string[]>;
}

function groupBy<R>(rows: R[], key: (r: R) => string): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

async function readFacts(db: DbSession): Promise<Facts> {
  const from = `FROM sqlite_master m`;
  const tables = await db.query<{ name: string; sql: string | null }>(
    `SELECT name, sql ${from} WHERE type = 'table' ORDER BY name`,
  );
  const columns = await db.query<ColumnRow>(
    `SELECT m.name AS t, p.name, p.type, p."notnull", p.dflt_value, p.pk ${from} JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid`,
  );
  const fks = await db.query<FkRow>(
    `SELECT m.name AS t, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete ${from} JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq`,
  );
  // pragma_index_list's own order (no ORDER BY within a table): the order the indexes are reported in
  const indexes = await db.query<IndexRow>(
    `SELECT m.name AS t, il.name, il."unique", il.origin ${from} JOIN pragma_index_list(m.name) il WHERE m.type = 'table'`,
  );
  const indexColumns = await db.query<{ idx: string; name: string }>(
    `SELECT il.name AS idx, ii.name ${from} JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii WHERE m.type = 'table' AND il.origin <> 'pk' ORDER BY il.name, ii.seqno`,
  );
  return {
    tables: tables.map((r) => ({ name: r.name, sql: r.sql ?? '' })),
    columns: groupBy(columns, (r) => r.t),
    fks: groupBy(fks, (r) => r.t),
    indexes: groupBy(indexes, (r) => r.t),
    indexColumns: new Map([...groupBy(indexColumns, (r) => r.idx)].map(([k, v]) => [k, v.map((c) => c.name)])),
  };
}

async function readMeta(db: DbSession): Promise<Map<string, SqliteTableMeta>> {
  const out = new Map<string, SqliteTableMeta>();
  if (!(await hasTable(db, SQLITE_META_TABLE))) return out;
  for (const r of await db.query<{ table_name: string; meta: string }>(
    `SELECT table_name, meta FROM "${SQLITE_META_TABLE}"`,
  )) {
    try {
      out.set(r.table_name, JSON.parse(r.meta) as SqliteTableMeta);
    } catch {
      // a damaged metadata row: fall back to what SQLite itself says
    }
  }
  return out;
}

function toTable(
  full: string,
  schema: string,
  name: string,
  sql: string,
  facts: Facts,
  meta: SqliteTableMeta | undefined,
): CatalogTable {
  const info = facts.columns.get(full) ?? [];
  const columns: CatalogColumn[] = info.map((c) => {
    const m = meta?.columns[c.name];
    return {
      name: c.name,
      sqlType: m?.sqlType ?? c.type.toLowerCase(),
      nullable: c.notnull === 0 && c.pk === 0,
      default: m && 'default' in m ? (m.default ?? null) : unquoteSqliteDefault(c.dflt_value),
      comment: m?.comment ?? '',
      inKey: c.pk > 0,
      autoIncrement: c.pk > 0 && /\bAUTOINCREMENT\b/i.test(sql) && /^integer$/i.test(c.type),
      jsonChecked: false,
    };
  });
  const primaryKey = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const foreignKeys = new Map<number, CatalogTable['foreignKeys'][number]>();
  for (const f of facts.fks.get(full) ?? []) {
    const ref = splitSqliteName(f.table) ?? { schema: '', table: f.table };
    let fk = foreignKeys.get(f.id);
    if (!fk) {
      fk = {
        name: `fk_${f.id}`,
        columns: [],
        refSchema: ref.schema,
        refTable: ref.table,
        refColumns: [],
        onUpdate: f.on_update,
        onDelete: f.on_delete,
      };
      foreignKeys.set(f.id, fk);
    }
    fk.columns.push(f.from);
    fk.refColumns.push(f.to);
  }
  const indexes = (facts.indexes.get(full) ?? [])
    .filter((r) => r.origin !== 'pk')
    .map((i) => {
      const columns = facts.indexColumns.get(i.name) ?? [];
      // MariaDB names an index after its first column; 2.x tables' indexes sort by that name on both engines
      return { name: i.name, columns, unique: i.unique === 1, serverName: columns[0] };
    });
  return {
    schema,
    name,
    comment: meta?.comment ?? '',
    columns,
    primaryKey,
    foreignKeys: [...foreignKeys.values()].reverse(),
    indexes,
    rowCount: 0,
  };
}

function unquoteSqliteDefault(d: string | null): string | null {
  if (d === null || /^null$/i.test(d)) return null;
  const m = /^'(.*)'$/s.exec(d);
  return m ? m[1]!.replaceAll("''", "'") : d;
}
