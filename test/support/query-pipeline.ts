import { createPostgresTable } from './postgres-tables';
import type { DbDriver } from '../../electron/core/db/driver';
import { SQLITE_META_TABLE } from '../../electron/core/db/catalog/sqlite-catalog';
import type { QueryAttribute, QueryHeading } from '../../shared/query/types';
import { memoryKey, type MemoryDb } from './query-evaluator';
import type { EvalRow, V } from './query-eval-expr';

/**
 * Random DataJoint-style pipelines for the query tests: tables with tier prefixes (`#`, `_`, `__`,
 * parts `master__part`) whose keys and secondary attributes share names from small pools, so
 * joins, semijoins and forbidden joins all occur; small value domains so that they match.
 * The same tables and rows go to MariaDB, to SQLite and to the reference evaluator's memory.
 */
export type ColType = 'int' | 'varchar(6)' | 'date' | 'decimal(6,2)' | 'double' | "enum('z','a','m')";

/** One column of a generated table. */
export interface ColumnSpec {
  name: string;
  type: ColType;
  nullable: boolean;
}

/** One generated table with its rows (values as the evaluator holds them). */
export interface TableSpec {
  table: string;
  key: ColumnSpec[];
  secondary: ColumnSpec[];
  rows: EvalRow[];
}

/** A generated pipeline: one schema of tables. */
export interface PipelineSpec {
  seed: number;
  schema: string;
  tables: TableSpec[];
}

/** Values each type draws from; small on purpose, so that equality and joins hit. */
export const DOMAINS: Record<ColType, readonly V[]> = {
  int: [0, 1, 2, 3, 4, -2],
  'varchar(6)': ['a', 'b', 'ab', 'ba', 'abc', 'c'],
  date: ['2024-01-01', '2024-02-29', '2023-12-31', '2025-06-15'],
  'decimal(6,2)': [-1.5, 0, 2.25, 10.5, 3.75, 7],
  double: [0.25, -1.5, 2, 100.75, 0.5],
  // not in alphabetical order: MySQL sorts enums by position, compares them as text
  "enum('z','a','m')": ['z', 'a', 'm'],
};

const KEY_POOL: ColumnSpec[] = [
  { name: 'k1', type: 'int', nullable: false },
  { name: 'k2', type: 'varchar(6)', nullable: false },
  { name: 'k3', type: 'int', nullable: false },
  { name: 'k4', type: 'date', nullable: false },
];
const SHARED_SECONDARY: ColumnSpec[] = [
  { name: 'n1', type: 'int', nullable: false },
  { name: 'n2', type: 'decimal(6,2)', nullable: true },
  { name: 'n3', type: 'varchar(6)', nullable: false },
  { name: 'n4', type: 'date', nullable: true },
  { name: 'n5', type: 'double', nullable: false },
  { name: 'k3', type: 'int', nullable: true },
  { name: 'n6', type: "enum('z','a','m')", nullable: true },
];
const TYPES: ColType[] = ['int', 'varchar(6)', 'date', 'decimal(6,2)', 'double', "enum('z','a','m')"];
const PREFIXES = ['', '#', '_', '__'];

/** A small deterministic PRNG (mulberry32), so a pipeline is reproducible from its seed. */
export function seededRandom(seed: number): (min: number, max: number) => number {
  let a = seed >>> 0;
  return (min, max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(r * (max - min + 1));
  };
}

/** Generates a pipeline of 3 to 5 tables from `seed`. */
export function generatePipeline(seed: number, schema: string): PipelineSpec {
  const int = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const tables: TableSpec[] = [];
  const count = int(3, 5);
  for (let i = 0; i < count; i++) {
    const masters = tables.filter((t) => !t.table.replace(/^(#|__|_)/, '').includes('__'));
    const asPart = i > 0 && int(0, 4) === 0 && masters.length > 0;
    const name = asPart ? `${pick(masters).table}__p${i}` : `${pick(PREFIXES)}t${i}`;
    const key = shuffle(KEY_POOL, int).slice(0, int(1, 3));
    const secondary: ColumnSpec[] = [];
    for (const c of shuffle(SHARED_SECONDARY, int).slice(0, int(0, 3))) {
      if (key.some((k) => k.name === c.name)) continue;
      secondary.push(int(0, 2) === 0 ? c : { ...c, name: `${c.name}_${i}` });
    }
    if (int(0, 1)) secondary.push({ name: `u${i}`, type: pick(TYPES), nullable: int(0, 1) === 1 });
    tables.push({ table: name, key, secondary, rows: generateRows(key, secondary, int) });
  }
  return { seed, schema, tables };
}

function generateRows(key: ColumnSpec[], secondary: ColumnSpec[], int: (a: number, b: number) => number): EvalRow[] {
  const rows: EvalRow[] = [];
  const seen = new Set<string>();
  const n = int(0, 10);
  for (let r = 0; r < n; r++) {
    const row: EvalRow = {};
    for (const c of [...key, ...secondary]) {
      const domain = DOMAINS[c.type];
      row[c.name] = c.nullable && int(0, 4) === 0 ? null : domain[int(0, domain.length - 1)]!;
    }
    const k = JSON.stringify(key.map((c) => row[c.name]));
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push(row);
  }
  return rows;
}

function shuffle<T>(xs: readonly T[], int: (a: number, b: number) => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The heading a generated table should read back as (type names as DataJoint reports them). */
export function specHeading(t: TableSpec): QueryHeading {
  const attr = (c: ColumnSpec, inKey: boolean): QueryAttribute => ({
    name: c.name,
    in_key: inKey,
    nullable: c.nullable,
    datajoint_type: c.type,
    sql_type: c.type,
    uuid: false,
    is_blob: false,
    is_external: false,
    is_attachment: false,
    json: false,
    adapter: null,
  });
  return {
    attributes: [...t.key.map((c) => attr(c, true)), ...t.secondary.map((c) => attr(c, false))],
    primary_key: t.key.map((c) => c.name),
  };
}

const SQLITE_AFFINITY: Record<ColType, string> = {
  int: 'INT',
  'varchar(6)': 'TEXT',
  date: 'TEXT',
  'decimal(6,2)': 'NUMERIC',
  double: 'REAL',
  "enum('z','a','m')": 'TEXT',
};

/** Creates the pipeline's tables and rows on one engine (MySQL: a database; SQLite: a name prefix). */
export async function installPipeline(db: DbDriver, p: PipelineSpec): Promise<void> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const mysql = db.dialect.name === 'mysql';
  if (mysql) await db.execute(`CREATE DATABASE ${q(p.schema)}`);
  else if (db.dialect.name === 'sqlite')
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${q(SQLITE_META_TABLE)} (table_name TEXT PRIMARY KEY NOT NULL, meta TEXT NOT NULL)`,
    );
  for (const t of p.tables) {
    const cols = [...t.key, ...t.secondary];
    const defs = cols.map(
      (c) => `${q(c.name)} ${mysql ? c.type : SQLITE_AFFINITY[c.type]} ${c.nullable ? 'NULL' : 'NOT NULL'}`,
    );
    const key = `PRIMARY KEY (${t.key.map((c) => q(c.name)).join(', ')})`;
    if (db.dialect.name === 'postgres') await createPostgresTable(db, p.schema, t.table, cols, [key]);
    else await db.execute(`CREATE TABLE ${db.dialect.qualify(p.schema, t.table)} (${defs.join(', ')}, ${key})`);
    if (db.dialect.name === 'sqlite') {
      const meta = {
        comment: '',
        columns: Object.fromEntries(cols.map((c) => [c.name, { sqlType: c.type, comment: '' }])),
      };
      await db.execute(`INSERT INTO ${q(SQLITE_META_TABLE)} (table_name, meta) VALUES (?, ?)`, [
        `${p.schema}.${t.table}`,
        JSON.stringify(meta),
      ]);
    }
    if (t.rows.length === 0) continue;
    const placeholders = t.rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
    const values = t.rows.flatMap((r) => cols.map((c) => r[c.name] ?? null));
    await db.execute(
      `INSERT INTO ${db.dialect.qualify(p.schema, t.table)} (${cols.map((c) => q(c.name)).join(', ')}) VALUES ${placeholders}`,
      values,
    );
  }
}

/** The pipeline's rows for the reference evaluator. */
export function memoryOf(p: PipelineSpec): MemoryDb {
  return new Map(p.tables.map((t) => [memoryKey(p.schema, t.table), t.rows]));
}
