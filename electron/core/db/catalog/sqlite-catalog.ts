import { splitSqliteName } from '../../../../shared/sql/dialects/sqlite/quote';
import type { DbSession } from '../driver';
import type { Catalog, CatalogColumn, CatalogOptions, CatalogTable } from '../../../../shared/model/catalog';
import { isHiddenTable } from '../../../../shared/model/naming';

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

/** Reads the tables of `schemas` through SQLite's pragmas and Joinery's metadata table. */
export async function readSqliteCatalog(db: DbSession, schemas: string[], opts: CatalogOptions = {}): Promise<Catalog> {
  const wanted = new Set(schemas);
  const meta = await readMeta(db);
  const rows = await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
  const tables: CatalogTable[] = [];
  for (const { name } of rows) {
    const split = splitSqliteName(name);
    if (!split || !wanted.has(split.schema)) continue;
    const counted = opts.rowCounts !== false && !isHiddenTable(split.table);
    tables.push(await readTable(db, name, split.schema, split.table, meta.get(name), counted));
  }
  return {
    dialect: 'sqlite',
    schemas: schemas.map((s) => ({ name: s, tables: tables.filter((t) => t.schema === s) })),
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

async function readTable(
  db: DbSession,
  full: string,
  schema: string,
  name: string,
  meta: SqliteTableMeta | undefined,
  counted: boolean,
): Promise<CatalogTable> {
  const info = await db.query<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(
    'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid',
    [full],
  );
  const sql = (await db.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = ?`, [full]))[0]?.sql ?? '';
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
  const fkRows = await db.query<{
    id: number;
    seq: number;
    table: string;
    from: string;
    to: string;
    on_update: string;
    on_delete: string;
  }>('SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [
    full,
  ]);
  const foreignKeys = new Map<number, CatalogTable['foreignKeys'][number]>();
  for (const f of fkRows) {
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
  const idxRows = await db.query<{ name: string; unique: number; origin: string }>(
    'SELECT name, "unique", origin FROM pragma_index_list(?)',
    [full],
  );
  const indexes = [];
  for (const i of idxRows.filter((r) => r.origin !== 'pk')) {
    const cols = await db.query<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [i.name]);
    indexes.push({ name: i.name, columns: cols.map((c) => c.name), unique: i.unique === 1 });
  }
  const [count] = counted
    ? await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.dialect.quoteIdent(full)}`)
    : [];
  return {
    schema,
    name,
    comment: meta?.comment ?? '',
    columns,
    primaryKey,
    foreignKeys: [...foreignKeys.values()].reverse(),
    indexes,
    rowCount: Number(count?.n ?? 0),
  };
}

function unquoteSqliteDefault(d: string | null): string | null {
  if (d === null || /^null$/i.test(d)) return null;
  const m = /^'(.*)'$/s.exec(d);
  return m ? m[1]!.replaceAll("''", "'") : d;
}
