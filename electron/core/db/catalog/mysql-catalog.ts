import { countRows } from './count-rows';
import type { DbSession } from '../driver';
import type { Catalog, CatalogOptions, CatalogTable } from '../../../../shared/model/catalog';

const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/** Names of the user databases on the server. */
export async function listMysqlSchemas(db: DbSession): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    // names starting with ~ hold Joinery's lab-wide state, not a pipeline
    `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name NOT IN (${SYSTEM_SCHEMAS.map(() => '?').join(',')}) AND schema_name NOT LIKE '~%' ORDER BY schema_name`,
    SYSTEM_SCHEMAS,
  );
  return rows.map((r) => r.name);
}

/** Reads tables, columns, keys and indexes of `schemas` from information_schema in a few queries. */
export async function readMysqlCatalog(db: DbSession, schemas: string[], opts: CatalogOptions = {}): Promise<Catalog> {
  if (schemas.length === 0) return { dialect: 'mysql', schemas: [] };
  const inList = schemas.map(() => '?').join(',');
  const [tables, columns, fks, stats, checks] = await Promise.all([
    db.query<{ s: string; t: string; c: string }>(
      `SELECT table_schema AS s, table_name AS t, table_comment AS c FROM information_schema.tables
       WHERE table_schema IN (${inList}) AND table_type = 'BASE TABLE' ORDER BY table_schema, table_name`,
      schemas,
    ),
    db.query<{
      s: string;
      t: string;
      name: string;
      type: string;
      nullable: string;
      dflt: string | null;
      comment: string;
      ckey: string;
      extra: string;
    }>(
      `SELECT table_schema AS s, table_name AS t, column_name AS name, column_type AS type, is_nullable AS nullable,
              column_default AS dflt, column_comment AS comment, column_key AS ckey, extra
       FROM information_schema.columns WHERE table_schema IN (${inList}) ORDER BY table_schema, table_name, ordinal_position`,
      schemas,
    ),
    db.query<{
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
      `SELECT k.table_schema AS s, k.table_name AS t, k.constraint_name AS name, k.column_name AS col,
              k.referenced_table_schema AS rs, k.referenced_table_name AS rt, k.referenced_column_name AS rc,
              r.update_rule AS upd, r.delete_rule AS del
       FROM information_schema.key_column_usage k
       JOIN information_schema.referential_constraints r
         ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name
       WHERE k.table_schema IN (${inList}) AND k.referenced_table_name IS NOT NULL
       ORDER BY k.table_schema, k.table_name, k.constraint_name, k.ordinal_position`,
      schemas,
    ),
    // no ORDER BY index_name: the server lists indexes in SHOW KEYS order, which DataJoint reports
    db.query<{ s: string; t: string; idx: string; nonUnique: number | string; col: string; seq: number }>(
      `SELECT table_schema AS s, table_name AS t, index_name AS idx, non_unique AS nonUnique, column_name AS col, seq_in_index AS seq
       FROM information_schema.statistics WHERE table_schema IN (${inList}) AND index_name <> 'PRIMARY'`,
      schemas,
    ),
    readJsonChecks(db, inList, schemas),
  ]);

  const byKey = new Map<string, CatalogTable>();
  const key = (s: string, t: string) => `${s}\u0000${t}`;
  for (const r of tables) {
    byKey.set(key(r.s, r.t), {
      schema: r.s,
      name: r.t,
      comment: r.c ?? '',
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      indexes: [],
      rowCount: 0,
    });
  }
  for (const c of columns) {
    const t = byKey.get(key(c.s, c.t));
    if (!t) continue;
    const inKey = c.ckey === 'PRI';
    t.columns.push({
      name: c.name,
      sqlType: c.type,
      nullable: c.nullable === 'YES',
      default: normalizeDefault(c.dflt),
      comment: c.comment ?? '',
      inKey,
      autoIncrement: /auto_increment/i.test(c.extra ?? ''),
      jsonChecked: checks.has(`${key(c.s, c.t)}\u0000${c.name}`),
    });
    if (inKey) t.primaryKey.push(c.name);
  }
  for (const f of fks) {
    const t = byKey.get(key(f.s, f.t));
    if (!t) continue;
    let fk = t.foreignKeys.find((x) => x.name === f.name);
    if (!fk) {
      fk = {
        name: f.name,
        columns: [],
        refSchema: f.rs,
        refTable: f.rt,
        refColumns: [],
        onUpdate: f.upd,
        onDelete: f.del,
      };
      t.foreignKeys.push(fk);
    }
    fk.columns.push(f.col);
    fk.refColumns.push(f.rc);
  }
  for (const s of stats) {
    const t = byKey.get(key(s.s, s.t));
    if (!t) continue;
    let idx = t.indexes.find((x) => x.name === s.idx);
    if (!idx) {
      idx = { name: s.idx, columns: [], unique: Number(s.nonUnique) === 0 };
      t.indexes.push(idx);
    }
    idx.columns[Number(s.seq) - 1] = s.col;
  }
  if (opts.rowCounts !== false) await countRows(db, [...byKey.values()]);
  return {
    dialect: 'mysql',
    schemas: schemas.map((name) => ({ name, tables: [...byKey.values()].filter((t) => t.schema === name) })),
  };
}

/** MariaDB's `json` = longtext + CHECK (json_valid(col)); MySQL 8 reports type `json` directly. */
async function readJsonChecks(db: DbSession, inList: string, schemas: string[]): Promise<Set<string>> {
  try {
    const rows = await db.query<{ s: string; t: string; clause: string }>(
      `SELECT constraint_schema AS s, table_name AS t, check_clause AS clause FROM information_schema.check_constraints
       WHERE constraint_schema IN (${inList})`,
      schemas,
    );
    const out = new Set<string>();
    for (const r of rows) {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(r.clause.trim());
      if (m) out.add(`${r.s}\u0000${r.t}\u0000${m[1]!.replaceAll('``', '`')}`);
    }
    return out;
  } catch {
    return new Set(); // servers without CHECK_CONSTRAINTS (MySQL 5.7)
  }
}

/** MariaDB reports string defaults quoted ('x') and NULL as the text NULL; MySQL reports them bare. */
function normalizeDefault(d: string | null): string | null {
  if (d === null || d === 'NULL') return null;
  const m = /^'(.*)'$/s.exec(d);
  return m ? m[1]!.replaceAll("''", "'").replaceAll('\\\\', '\\') : d;
}
