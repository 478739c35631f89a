import type { NamedTable } from '../../../../shared/query/class-resolver';
import { tableHeading } from '../../../../shared/query/heading-rules';
import type { QueryHeading } from '../../../../shared/query/types';
import type { CatalogColumn } from '../../../../shared/model/catalog';
import { toAttribute } from '../../../../shared/model/table-info';
import { detectConventions } from '../../../../shared/model/conventions';
import { attachLineage, readLineage } from './read-lineage';
import { SQLITE_SCHEMA_SEPARATOR, splitSqliteName } from '../../../../shared/sql/dialects/sqlite/quote';
import type { DbSession } from '../driver';
import { SQLITE_META_TABLE, type SqliteTableMeta } from './sqlite-catalog';
import { listPostgresSchemas } from './postgres-catalog';
import { readPostgresColumns } from './postgres-columns';

/**
 * What queries need from the catalog, and no more: table names (to resolve class names) and the
 * headings of the tables a query mentions. The full catalog reader also counts rows and reads keys
 * and indexes, which a query that runs many times a second must not pay for.
 */

const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/** Key of a table in maps: `schema` NUL `table`. */
export const tableKey = (schema: string, table: string) => `${schema}\u0000${table}`;

/** The base tables of the given schemas (all user schemas when omitted). */
export async function listQueryTables(db: DbSession, schemas?: readonly string[]): Promise<NamedTable[]> {
  if (db.dialect.name === 'postgres') {
    const names = schemas?.length ? [...schemas] : await listPostgresSchemas(db);
    const rows = await db.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema = ANY(?) ORDER BY table_schema, table_name`,
      [names],
    );
    return rows.map((r) => ({ schema: r.s, table_name: r.t }));
  }
  if (db.dialect.name === 'mysql') {
    const filter = schemas?.length
      ? `table_schema IN (${schemas.map(() => '?').join(', ')})`
      : `table_schema NOT IN (${SYSTEM_SCHEMAS.map(() => '?').join(', ')})`;
    const rows = await db.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND ${filter} ORDER BY table_schema, table_name`,
      schemas?.length ? [...schemas] : SYSTEM_SCHEMAS,
    );
    return rows.map((r) => ({ schema: r.s, table_name: r.t }));
  }
  const rows = await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
  const wanted = schemas?.length ? new Set(schemas) : null;
  return rows.flatMap((r) => {
    const split = splitSqliteName(r.name);
    return split && (!wanted || wanted.has(split.schema)) ? [{ schema: split.schema, table_name: split.table }] : [];
  });
}

/** Headings of the given tables, keyed by {@link tableKey}; tables that do not exist are absent. */
export async function readHeadings(
  db: DbSession,
  tables: readonly { schema: string; table: string }[],
): Promise<Map<string, QueryHeading>> {
  const unique = [...new Map(tables.map((t) => [tableKey(t.schema, t.table), t])).values()];
  const columns =
    db.dialect.name === 'postgres'
      ? await readPostgresColumns(db, [...new Set(unique.map((t) => t.schema))], unique)
      : db.dialect.name === 'mysql'
        ? await mysqlColumns(db, unique)
        : await sqliteColumns(db, unique);
  const lineage = await readLineage(db, [...new Set(unique.map((t) => t.schema))]);
  const out = new Map<string, QueryHeading>();
  for (const [key, cols] of columns) {
    const t = unique.find((u) => tableKey(u.schema, u.table) === key);
    if (t) attachLineage(lineage, t.schema, t.table, cols);
    // a query reads one table: its own type markers tell 2.x conventions
    const conventions = detectConventions([{ name: key, columns: cols }]);
    const attributes = cols.map((c) => toAttribute(c, conventions));
    out.set(key, tableHeading({ attributes, primary_key: attributes.filter((a) => a.in_key).map((a) => a.name) }));
  }
  return out;
}

async function mysqlColumns(
  db: DbSession,
  tables: { schema: string; table: string }[],
): Promise<Map<string, CatalogColumn[]>> {
  const out = new Map<string, CatalogColumn[]>();
  if (tables.length === 0) return out;
  const rows = await db.query<{
    s: string;
    t: string;
    name: string;
    type: string;
    nullable: string;
    dflt: string | null;
    comment: string;
    ckey: string;
    extra: string;
    coll: string | null;
  }>(
    `SELECT table_schema AS s, table_name AS t, column_name AS name, column_type AS type, is_nullable AS nullable,
            column_default AS dflt, column_comment AS comment, column_key AS ckey, extra, collation_name AS coll
     FROM information_schema.columns WHERE (table_schema, table_name) IN (${tables.map(() => '(?, ?)').join(', ')})
     ORDER BY table_schema, table_name, ordinal_position`,
    tables.flatMap((t) => [t.schema, t.table]),
  );
  // MariaDB's json is longtext utf8mb4_bin with a json_valid CHECK; look for the CHECK only when such a column exists
  const maybeJson = rows.filter((r) => /^longtext$/i.test(r.type) && r.coll === 'utf8mb4_bin');
  const json = maybeJson.length
    ? await mariadbJsonColumns(db, [...new Set(maybeJson.map((r) => r.s))])
    : new Set<string>();
  for (const r of rows) {
    const key = tableKey(r.s, r.t);
    const list = out.get(key) ?? [];
    list.push({
      name: r.name,
      sqlType: r.type,
      nullable: r.nullable === 'YES',
      default: r.dflt,
      comment: r.comment ?? '',
      inKey: r.ckey === 'PRI',
      autoIncrement: /auto_increment/i.test(r.extra ?? ''),
      jsonChecked: json.has(`${key}\u0000${r.name}`),
    });
    out.set(key, list);
  }
  return out;
}

async function mariadbJsonColumns(db: DbSession, schemas: string[]): Promise<Set<string>> {
  try {
    const checks = await db.query<{ s: string; t: string; clause: string }>(
      `SELECT constraint_schema AS s, table_name AS t, check_clause AS clause FROM information_schema.check_constraints
       WHERE constraint_schema IN (${schemas.map(() => '?').join(', ')})`,
      schemas,
    );
    const out = new Set<string>();
    for (const c of checks) {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(c.clause.trim());
      if (m) out.add(`${tableKey(c.s, c.t)}\u0000${m[1]!.replaceAll('``', '`')}`);
    }
    return out;
  } catch {
    return new Set(); // servers whose CHECK_CONSTRAINTS has no table_name (MySQL): json is a real type there
  }
}

async function sqliteColumns(
  db: DbSession,
  tables: { schema: string; table: string }[],
): Promise<Map<string, CatalogColumn[]>> {
  const out = new Map<string, CatalogColumn[]>();
  const hasMeta =
    (await db.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [SQLITE_META_TABLE])).length > 0;
  for (const t of tables) {
    const full = `${t.schema}${SQLITE_SCHEMA_SEPARATOR}${t.table}`;
    const info = await db.query<{ name: string; type: string; notnull: number; pk: number }>(
      'SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid',
      [full],
    );
    if (info.length === 0) continue;
    let meta: SqliteTableMeta | undefined;
    if (hasMeta) {
      const [row] = await db.query<{ meta: string }>(
        `SELECT meta FROM ${db.dialect.quoteIdent(SQLITE_META_TABLE)} WHERE table_name = ?`,
        [full],
      );
      try {
        meta = row ? (JSON.parse(row.meta) as SqliteTableMeta) : undefined;
      } catch {
        meta = undefined; // damaged metadata: fall back to SQLite's own column types
      }
    }
    out.set(
      tableKey(t.schema, t.table),
      info.map((c) => ({
        name: c.name,
        sqlType: meta?.columns[c.name]?.sqlType ?? c.type.toLowerCase(),
        nullable: c.notnull === 0 && c.pk === 0,
        default: null,
        comment: meta?.columns[c.name]?.comment ?? '',
        inKey: c.pk > 0,
        autoIncrement: false,
        jsonChecked: false,
      })),
    );
  }
  return out;
}
