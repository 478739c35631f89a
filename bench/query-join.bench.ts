import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { createTestCore } from '../test/support/core';
import { MYSQL_URL, uniqueDbName } from '../test/support/mysql';
import { POSTGRES_TYPES } from '../electron/core/db/postgres-driver';
import { numberPlaceholders } from '../electron/core/db/postgres-placeholders';
import { isSkipped } from '../test/support/env';
import { createTestDatabase, dropTestDatabase, openTestPostgres, rawPostgres } from '../test/support/postgres';
import { createPostgresTable } from '../test/support/postgres-tables';
import { report } from './harness';

/**
 * A 3-table DataJoint join returning 100k rows (Subject * Session * Trial): Joinery's query.fetch
 * (parse, headings, compile, run, decode to typed values, contract check) against the same SQL run
 * through the raw client in the same process. Ratio = Joinery rows/s / raw rows/s (goal >= 0.9).
 */
const SUBJECTS = 100;
const SESSIONS = 10;
const TRIALS = 100;
const ROWS = SUBJECTS * SESSIONS * TRIALS;
const EXPRESSION = 'Subject * Session * Trial';

const DDL = [
  'CREATE TABLE subject (subject_id INT NOT NULL, species VARCHAR(32) NOT NULL, date_of_birth DATE NOT NULL, PRIMARY KEY (subject_id))',
  'CREATE TABLE session (subject_id INT NOT NULL, session_idx SMALLINT UNSIGNED NOT NULL, session_date DATE NOT NULL, rig VARCHAR(8) NOT NULL, PRIMARY KEY (subject_id, session_idx))',
  'CREATE TABLE _trial (subject_id INT NOT NULL, session_idx SMALLINT UNSIGNED NOT NULL, trial_idx INT NOT NULL, outcome VARCHAR(16) NOT NULL, rt DOUBLE NOT NULL, score DECIMAL(6,2) NULL, PRIMARY KEY (subject_id, session_idx, trial_idx))',
];

function* rows(): Generator<[string, unknown[]]> {
  for (let s = 1; s <= SUBJECTS; s++) {
    yield ['subject', [s, s % 2 ? 'mus musculus' : 'rattus norvegicus', `2023-0${(s % 9) + 1}-15`]];
    for (let k = 1; k <= SESSIONS; k++) {
      yield ['session', [s, k, `2024-${String((k % 12) + 1).padStart(2, '0')}-0${(s % 9) + 1}`, k % 2 ? 'A' : 'B']];
      for (let t = 1; t <= TRIALS; t++)
        yield ['_trial', [s, k, t, t % 3 ? 'hit' : 'miss', (t * 7.25) % 900, t % 10 ? ((t * 13) % 10000) / 100 : null]];
    }
  }
}

function grouped(): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>();
  for (const [table, values] of rows()) out.set(table, [...(out.get(table) ?? []), values]);
  return out;
}

async function loadMysql(schema: string): Promise<mysql.Connection> {
  const u = new URL(MYSQL_URL);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    // the same value options as Joinery's driver, so both sides parse the same way
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    charset: 'utf8mb4',
  });
  await conn.query(`CREATE DATABASE \`${schema}\``);
  await conn.query(`USE \`${schema}\``);
  for (const ddl of DDL) await conn.query(ddl);
  for (const [table, values] of grouped()) {
    for (let i = 0; i < values.length; i += 5000)
      await conn.query(`INSERT INTO \`${table}\` VALUES ?`, [values.slice(i, i + 5000)]);
  }
  return conn;
}

function loadSqlite(file: string, schema: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const types: Record<string, string> = {
    INT: 'INT',
    'SMALLINT UNSIGNED': 'INT',
    DOUBLE: 'REAL',
    'DECIMAL(6,2)': 'NUMERIC',
    DATE: 'TEXT',
    'VARCHAR(32)': 'TEXT',
    'VARCHAR(8)': 'TEXT',
    'VARCHAR(16)': 'TEXT',
  };
  db.exec('CREATE TABLE "~joinery_table_meta" (table_name TEXT PRIMARY KEY NOT NULL, meta TEXT NOT NULL)');
  for (const ddl of DDL) {
    const [, table, body] = /^CREATE TABLE (\w+) \((.*)\)$/.exec(ddl)!;
    const cols = [...body!.matchAll(/(\w+) ((?:SMALLINT UNSIGNED|DECIMAL\(6,2\)|VARCHAR\(\d+\)|\w+)) (?:NOT )?NULL/g)];
    const meta = {
      comment: '',
      columns: Object.fromEntries(cols.map((m) => [m[1], { sqlType: m[2]!.toLowerCase(), comment: '' }])),
    };
    db.prepare('INSERT INTO "~joinery_table_meta" VALUES (?, ?)').run(`${schema}.${table}`, JSON.stringify(meta));
    db.exec(
      ddl
        .replace(`CREATE TABLE ${table}`, `CREATE TABLE "${schema}.${table}"`)
        .replace(/SMALLINT UNSIGNED|DECIMAL\(6,2\)|VARCHAR\(\d+\)|DOUBLE|DATE|INT(?= )/g, (t) => types[t] ?? t),
    );
  }
  db.transaction(() => {
    for (const [table, values] of grouped()) {
      const insert = db.prepare(`INSERT INTO "${schema}.${table}" VALUES (${values[0]!.map(() => '?').join(', ')})`);
      for (const v of values) insert.run(...v);
    }
  })();
  return db;
}

/**
 * Median seconds of each side over alternating rounds (after one warm-up each): on a shared
 * machine load spikes hit single runs, and the median of many rounds taken in ABBA order lets
 * drift, spikes and garbage collection affect both sides alike.
 */
async function interleaved(
  a: () => Promise<unknown> | unknown,
  b: () => Promise<unknown> | unknown,
  rounds = 16,
): Promise<[number, number]> {
  await a();
  await b();
  const times: [number[], number[]] = [[], []];
  const sides = [
    [a, times[0]],
    [b, times[1]],
  ] as const;
  for (let i = 0; i < rounds; i++) {
    // ABBA order: whoever runs second inherits the first one's garbage, so both take turns
    for (const [fn, list] of i % 2 ? [sides[1], sides[0]] : sides) {
      const t0 = process.hrtime.bigint();
      await fn();
      list.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(times[0]), median(times[1])];
}

async function joineryFetch(url: string, schema: string) {
  const { core } = createTestCore('cli');
  const ctx = { transport: 'in-process', host: 'cli' } as const;
  const open = await core.dispatch('connection.open', { url }, ctx);
  if (!open.ok) throw new Error(open.error.message);
  const connectionId = (open.value as { id: string }).id;
  const base = { connectionId, query: EXPRESSION, schemas: [schema] };
  const input = { ...base, limit: null };
  const preview = await core.dispatch('query.preview', base, ctx);
  if (!preview.ok) throw new Error(preview.error.message);
  const fetch = async () => {
    const res = await core.dispatch('query.fetch', input, ctx);
    if (!res.ok) throw new Error(res.error.message);
    const n = (res.value as { rows: unknown[] }).rows.length;
    if (n !== ROWS) throw new Error(`expected ${ROWS} rows, got ${n}`);
  };
  return {
    core,
    preview: preview.value as { sql: Record<'mysql' | 'sqlite' | 'postgres', { sql: string; params: unknown[] }> },
    fetch,
  };
}

const schema = uniqueDbName('jt_qbench');
const conn = await loadMysql(schema);
try {
  const j = await joineryFetch(MYSQL_URL, schema);
  const { sql, params } = j.preview.sql.mysql;
  const raw = async () => {
    const [result] = await conn.query({ sql, values: params });
    if ((result as unknown[]).length !== ROWS) throw new Error('raw row count');
  };
  const [rawSeconds, joinerySeconds] = await interleaved(raw, j.fetch);
  report({
    bench: 'query-join',
    metric: 'rows_per_s',
    value: ROWS / joinerySeconds,
    unit: 'rows/s',
    baseline: 'raw mysql2, same SQL, same run (MariaDB)',
    baseline_value: ROWS / rawSeconds,
  });
  await j.core.dispose();
} finally {
  await conn.query(`DROP DATABASE IF EXISTS \`${schema}\``);
  await conn.end();
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-qbench-'));
try {
  const file = path.join(dir, 'bench.db');
  const db = loadSqlite(file, 'lab');
  const j = await joineryFetch(`sqlite:${file}`, 'lab');
  const { sql, params } = j.preview.sql.sqlite;
  const stmt = db.prepare(sql);
  const rawSqlite = () => {
    if (stmt.all(...params).length !== ROWS) throw new Error('raw row count');
  };
  const [rawSeconds, joinerySeconds] = await interleaved(rawSqlite, j.fetch);
  report({
    bench: 'query-join',
    metric: 'rows_per_s_sqlite',
    value: ROWS / joinerySeconds,
    unit: 'rows/s',
    baseline: 'raw better-sqlite3, same SQL, same run',
    baseline_value: ROWS / rawSeconds,
  });
  await j.core.dispose();
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// PostgreSQL: the same tables in a database of this run, Joinery's query.fetch against raw pg on the same SQL
if (!isSkipped('postgres')) {
  const { name, url } = await createTestDatabase('jt_qbench');
  const raw = await rawPostgres(name);
  try {
    const pgDriver = await openTestPostgres(name);
    for (const ddl of DDL) {
      const [, table, body, pk] = /^CREATE TABLE (\w+) \((.*), PRIMARY KEY \((.*)\)\)$/.exec(ddl)!;
      const cols = [...body!.matchAll(/(\w+) ((?:SMALLINT UNSIGNED|DECIMAL\(6,2\)|VARCHAR\(\d+\)|\w+)) (NOT )?NULL/g)];
      const columns = cols.map((m) => ({ name: m[1]!, type: m[2]!.toLowerCase(), nullable: !m[3] }));
      const key = `PRIMARY KEY (${pk})`;
      await createPostgresTable(pgDriver, 'lab', table!, columns, [key]);
    }
    for (const [table, values] of grouped()) {
      for (let i = 0; i < values.length; i += 5000) {
        const chunk = values.slice(i, i + 5000);
        const marks = chunk.map((v) => `(${v.map(() => '?').join(', ')})`).join(', ');
        await pgDriver.execute(`INSERT INTO "lab"."${table}" VALUES ${marks}`, chunk.flat());
      }
    }
    await pgDriver.close();
    const j = await joineryFetch(url, 'lab');
    const sql = numberPlaceholders(j.preview.sql.postgres.sql);
    const params = j.preview.sql.postgres.params;
    const rawPg = async () => {
      const result = await raw.query({ text: sql, values: params, types: POSTGRES_TYPES });
      if (result.rows.length !== ROWS) throw new Error('raw row count');
    };
    const [rawSeconds, joinerySeconds] = await interleaved(rawPg, j.fetch);
    report({
      bench: 'query-join',
      metric: 'rows_per_s_postgres',
      value: ROWS / joinerySeconds,
      unit: 'rows/s',
      baseline: 'raw pg, same SQL and type parsers, same run (PostgreSQL)',
      baseline_value: ROWS / rawSeconds,
    });
    await j.core.dispose();
  } finally {
    await raw.end();
    await dropTestDatabase(name);
  }
}
