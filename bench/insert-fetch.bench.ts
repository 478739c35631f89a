import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import type { Core } from '../electron/core/container';
import { callCore, createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, uniqueDbName } from '../test/support/mysql';
import { POSTGRES_TYPES } from '../electron/core/db/postgres-driver';
import { numberPlaceholders } from '../electron/core/db/postgres-placeholders';
import { isSkipped } from '../test/support/env';
import { createTestDatabase, dropTestDatabase, rawPostgres } from '../test/support/postgres';
import { report } from './harness';

/**
 * Rows per second for inserting 100k rows (batched, one transaction) and fetching them back
 * through Joinery's API (core.dispatch: contract validation, per-value checks and conversion,
 * typed values out), against raw mysql2 / better-sqlite3 running the same SQL statements with
 * the same batches in the same run.
 */
const ROWS = 100_000;
const REPEATS = 5;
const COLUMNS = ['id', 'subject', 'value', 'n', 'taken', 'amount'] as const;
const DEFINITION =
  'id : int unsigned\n---\nsubject : varchar(16)\nvalue : double\nn : int\ntaken : datetime\namount : decimal(8,3)';
// as insert.ts: one statement per 30000 bound values
const PER_BATCH = Math.floor(30_000 / COLUMNS.length);

const rows = Array.from({ length: ROWS }, (_, i) => ({
  id: i + 1,
  subject: `s${i % 100}`,
  value: i / 7,
  n: i % 1000,
  taken: `2024-0${1 + (i % 9)}-1${i % 10} 1${i % 10}:00:00`,
  amount: `${i % 10000}.${i % 1000}`,
}));

const call = callCore;

const seconds = async (work: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

/**
 * Best times of Joinery and of the baseline, run in turns (after one warm-up turn), each run
 * after an untimed `reset`, so that drift in the machine's load hits both alike.
 */
async function bestOfTurns(
  reset: () => Promise<unknown>,
  joinery: () => Promise<unknown>,
  raw: () => Promise<unknown>,
): Promise<[number, number]> {
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i <= REPEATS; i++) {
    await reset();
    const x = await seconds(joinery);
    await reset();
    const y = await seconds(raw);
    if (i > 0) [a, b] = [Math.min(a, x), Math.min(b, y)];
  }
  return [a, b];
}

const insertSql = (table: string, count: number, quote: (s: string) => string) =>
  `INSERT INTO ${table} (${COLUMNS.map(quote).join(', ')}) VALUES ${Array.from({ length: count }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;
/** The bound values of a batch, built the way any careful caller would (one preallocated array). */
function paramsOf(batch: typeof rows): unknown[] {
  const out: unknown[] = new Array(batch.length * COLUMNS.length);
  let p = 0;
  for (const r of batch) for (const c of COLUMNS) out[p++] = r[c];
  return out;
}
const batches = Array.from({ length: Math.ceil(ROWS / PER_BATCH) }, (_, i) =>
  rows.slice(i * PER_BATCH, (i + 1) * PER_BATCH),
);

interface Engine {
  name: 'mysql' | 'sqlite' | 'postgres';
  url: string;
  schema: string;
  table: string;
  raw: { insert(): Promise<void>; fetch(): Promise<number>; clear(): Promise<void>; close(): Promise<void> };
}

async function mysqlEngine(): Promise<Engine> {
  const schema = uniqueDbName('jt_bench_if');
  const u = new URL(MYSQL_URL);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    charset: 'utf8mb4',
  });
  const table = `\`${schema}\`.\`measurement\``;
  const q = (s: string) => `\`${s}\``;
  return {
    name: 'mysql',
    url: MYSQL_URL,
    schema,
    table: 'measurement',
    raw: {
      async insert() {
        await conn.query('START TRANSACTION');
        for (const b of batches) await conn.query(insertSql(table, b.length, q), paramsOf(b));
        await conn.query('COMMIT');
      },
      async fetch() {
        const [got] = await conn.query(
          `SELECT ${COLUMNS.map(q).join(', ')} FROM ${table} WHERE 1=1 ORDER BY \`id\` LIMIT ${ROWS + 1} OFFSET 0`,
        );
        return (got as unknown[]).length;
      },
      async clear() {
        await conn.query(`TRUNCATE TABLE ${table}`);
      },
      async close() {
        await conn.end();
        await dropDatabases([schema]);
      },
    },
  };
}

async function sqliteEngine(dataDir: string): Promise<Engine> {
  const file = path.join(dataDir, 'bench.db');
  const schema = 'bench';
  const open = () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    return db;
  };
  let db: Database.Database | null = null;
  const table = `"${schema}.measurement"`;
  const q = (s: string) => `"${s}"`;
  return {
    name: 'sqlite',
    url: `sqlite:${file}`,
    schema,
    table: 'measurement',
    raw: {
      async insert() {
        db ??= open();
        const full = db.prepare(insertSql(table, PER_BATCH, q));
        db.transaction(() => {
          for (const b of batches)
            (b.length === PER_BATCH ? full : db!.prepare(insertSql(table, b.length, q))).run(paramsOf(b));
        })();
      },
      async fetch() {
        db ??= open();
        return db
          .prepare(
            `SELECT ${COLUMNS.map(q).join(', ')} FROM ${table} WHERE 1=1 ORDER BY "id" LIMIT ${ROWS + 1} OFFSET 0`,
          )
          .all().length;
      },
      async clear() {
        db ??= open();
        db.exec(`DELETE FROM ${table}`);
      },
      async close() {
        db?.close();
      },
    },
  };
}

/** PostgreSQL: a database of this run, raw pg with Joinery's type parsers and `$n` placeholders. */
async function postgresEngine(): Promise<Engine> {
  const { name, url } = await createTestDatabase('jt_bench_if');
  const client = await rawPostgres(name);
  const schema = 'bench';
  const table = `"${schema}"."measurement"`;
  const q = (c: string) => `"${c}"`;
  const query = (sql: string, values: unknown[] = []) =>
    client.query({ text: numberPlaceholders(sql), values, types: POSTGRES_TYPES });
  return {
    name: 'postgres',
    url,
    schema,
    table: 'measurement',
    raw: {
      async insert() {
        await query('BEGIN');
        for (const b of batches) await query(insertSql(table, b.length, q), paramsOf(b));
        await query('COMMIT');
      },
      async fetch() {
        const got = await query(
          `SELECT ${COLUMNS.map(q).join(', ')} FROM ${table} WHERE 1=1 ORDER BY "id" LIMIT ${ROWS + 1} OFFSET 0`,
        );
        return got.rows.length;
      },
      async clear() {
        await query(`TRUNCATE TABLE ${table}`);
      },
      async close() {
        await client.end();
        await dropTestDatabase(name);
      },
    },
  };
}

async function run(core: Core, engine: Engine): Promise<void> {
  const conn = (await call(core, 'connection.open', { url: engine.url })) as { id: string };
  const ref = { connectionId: conn.id, schema: engine.schema, table: engine.table };
  await call(core, 'table.declare', {
    connectionId: conn.id,
    tables: [{ schema: engine.schema, class_name: 'Measurement', tier: 'Manual', definition: DEFINITION }],
  });
  const [joineryInsert, rawInsert] = await bestOfTurns(
    () => engine.raw.clear(),
    () => call(core, 'data.insert', { ...ref, rows }),
    () => engine.raw.insert(),
  );
  const fetched = (await call(core, 'data.fetch', { ...ref, limit: ROWS })) as { rows: unknown[] };
  if (fetched.rows.length !== ROWS || (await engine.raw.fetch()) !== ROWS)
    throw new Error('fetch returned the wrong number of rows');
  const [joineryFetch, rawFetch] = await bestOfTurns(
    async () => {},
    () => call(core, 'data.fetch', { ...ref, limit: ROWS }),
    () => engine.raw.fetch(),
  );
  const driver = { mysql: 'mysql2', sqlite: 'better-sqlite3', postgres: 'pg' }[engine.name];
  report({
    bench: 'insert-fetch',
    metric: `${engine.name}_insert_rows_per_s`,
    value: ROWS / joineryInsert,
    unit: 'rows/s',
    baseline: `raw ${driver}, the same INSERT statements and batches`,
    baseline_value: ROWS / rawInsert,
  });
  report({
    bench: 'insert-fetch',
    metric: `${engine.name}_fetch_rows_per_s`,
    value: ROWS / joineryFetch,
    unit: 'rows/s',
    baseline: `raw ${driver}, the same SELECT (LIMIT n+1, as Joinery pages)`,
    baseline_value: ROWS / rawFetch,
  });
}

const { core, dataDir } = createTestCore();
const engines: Engine[] = [await sqliteEngine(dataDir)];
if (!(process.env.JOINERY_SKIP ?? '').split(',').includes('mysql')) engines.push(await mysqlEngine());
if (!isSkipped('postgres')) engines.push(await postgresEngine());
try {
  for (const e of engines) await run(core, e);
} finally {
  await core.dispose();
  for (const e of engines) await e.raw.close();
}
