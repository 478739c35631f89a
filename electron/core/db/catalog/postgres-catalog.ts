import { countRows } from './count-rows';
import { POSTGRES_META_TABLE } from '../../../../shared/sql/dialects/postgres';
import type { Catalog, CatalogOptions, CatalogTable } from '../../../../shared/model/catalog';
import type { DbSession } from '../driver';
import { readMeta, readPostgresColumns } from './postgres-columns';

/** PostgreSQL's own schemas, never a pipeline. */
const SYSTEM_SCHEMAS = ['information_schema', 'public'];

const RULES: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const key = (s: string, t: string) => `${s}\u0000${t}`;

/** Names of the pipeline schemas of the connected database (not pg_*, not `~` ones, not public). */
export async function listPostgresSchemas(db: DbSession): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace
     WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT LIKE '~%' AND nspname <> ALL(?) ORDER BY nspname`,
    [SYSTEM_SCHEMAS],
  );
  return rows.map((r) => r.name);
}

/** Reads tables, columns, foreign keys and indexes of `schemas` from pg_catalog in a few queries. */
export async function readPostgresCatalog(
  db: DbSession,
  schemas: string[],
  opts: CatalogOptions = {},
): Promise<Catalog> {
  if (schemas.length === 0) return { dialect: 'postgres', schemas: [] };
  const [tables, columns, fks, indexes, meta] = await Promise.all([
    db.query<{ s: string; t: string; c: string | null }>(
      `SELECT n.nspname AS s, c.relname AS t, obj_description(c.oid, 'pg_class') AS c
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(?) AND c.relname <> ? ORDER BY n.nspname, c.relname`,
      [schemas, POSTGRES_META_TABLE],
    ),
    readPostgresColumns(db, schemas),
    readForeignKeys(db, schemas),
    readIndexes(db, schemas),
    readMeta(db, schemas),
  ]);
  const byKey = new Map<string, CatalogTable>();
  for (const r of tables) {
    const k = key(r.s, r.t);
    const cols = columns.get(k) ?? [];
    byKey.set(k, {
      schema: r.s,
      name: r.t,
      comment: meta.get(k)?.comment ?? r.c ?? '',
      columns: cols,
      primaryKey: cols.filter((c) => c.inKey).map((c) => c.name),
      foreignKeys: [],
      indexes: [],
      rowCount: 0,
    });
  }
  for (const f of fks) {
    const t = byKey.get(key(f.s, f.t));
    if (!t) continue;
    let fk = t.foreignKeys.find((x) => x.name === f.name);
    if (!fk) {
      const [onUpdate, onDelete] = [RULES[f.upd] ?? 'NO ACTION', RULES[f.del] ?? 'NO ACTION'];
      fk = { name: f.name, columns: [], refSchema: f.rs, refTable: f.rt, refColumns: [], onUpdate, onDelete };
      t.foreignKeys.push(fk);
    }
    fk.columns.push(f.col);
    fk.refColumns.push(f.rc);
  }
  for (const ix of indexes) {
    const t = byKey.get(key(ix.s, ix.t));
    if (!t) continue;
    let idx = t.indexes.find((x) => x.name === ix.idx);
    if (!idx) {
      idx = { name: ix.idx, columns: [], unique: Boolean(ix.uniq) };
      t.indexes.push(idx);
    }
    idx.columns.push(ix.col);
  }
  if (opts.rowCounts !== false) await countRows(db, [...byKey.values()]);
  return {
    dialect: 'postgres',
    schemas: schemas.map((name) => ({ name, tables: [...byKey.values()].filter((t) => t.schema === name) })),
  };
}

function readForeignKeys(db: DbSession, schemas: string[]) {
  return db.query<{
    s: string;
    t: string;
    name: string;
    col: string;
    rs: string;
    rt: string;
    rc: string;
    upd: string;
    del: string;
  }>(
    `SELECT n.nspname AS s, c.relname AS t, con.conname AS name, a.attname AS col,
            rn.nspname AS rs, rc.relname AS rt, ra.attname AS rc, con.confupdtype AS upd, con.confdeltype AS del
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
     JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum
     WHERE con.contype = 'f' AND n.nspname = ANY(?)
     ORDER BY n.nspname, c.relname, con.conname, k.ord`,
    [schemas],
  );
}

/** Indexes other than the primary key, in the order they were created (DataJoint's SHOW KEYS order). */
function readIndexes(db: DbSession, schemas: string[]) {
  return db.query<{ s: string; t: string; idx: string; uniq: boolean; col: string }>(
    `SELECT n.nspname AS s, c.relname AS t, ic.relname AS idx, ix.indisunique AS uniq, a.attname AS col
     FROM pg_index ix
     JOIN pg_class c ON c.oid = ix.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class ic ON ic.oid = ix.indexrelid
     CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE NOT ix.indisprimary AND n.nspname = ANY(?)
     ORDER BY n.nspname, c.relname, ic.oid, k.ord`,
    [schemas],
  );
}
