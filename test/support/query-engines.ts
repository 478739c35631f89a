import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbDriver } from '../../electron/core/db/driver';
import { BetterSqlite3Driver } from '../../electron/core/db/sqlite-driver';
import type { QueryHeading } from '../../shared/query/types';
import { isSkipped } from './env';
import { dropDatabases, openTestMysql, uniqueDbName } from './mysql';
import { createTestDatabase, dropTestDatabase, openTestPostgres } from './postgres';

/**
 * The engines for the query tests: the real MariaDB and PostgreSQL (unless JOINERY_SKIP names
 * them) and a SQLite file. Schema names are the same on both (a database on MySQL, a name prefix on SQLite), so one
 * resolved query compiles for either.
 */
export interface TestEngine {
  name: 'mysql' | 'sqlite' | 'postgres';
  db: DbDriver;
}

/** Opened engines, a schema-name factory unique to this test file, and cleanup. */
export interface QueryEngines {
  engines: TestEngine[];
  /** The SQLite file, for cores and CLIs that open it by URL. */
  sqlitePath: string;
  /** The PostgreSQL database of this test file (null when skipped), for cores and CLIs that open it by URL. */
  postgresUrl: string | null;
  schemaName(suffix: string): string;
  close(): Promise<void>;
}

/**
 * Opens the engines; `prefix` must be unique to the test file (concurrent files share the server).
 * PostgreSQL joins only where asked (`postgres: true`): the suites that pass on it so far.
 */
export async function openQueryEngines(prefix: string, opts: { postgres?: boolean } = {}): Promise<QueryEngines> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-query-'));
  const sqlitePath = path.join(dir, 'q.db');
  const sqlite = BetterSqlite3Driver.open({ path: sqlitePath, url: `sqlite:${sqlitePath}` });
  const engines: TestEngine[] = [{ name: 'sqlite', db: sqlite }];
  if (!isSkipped('mysql')) engines.unshift({ name: 'mysql', db: await openTestMysql() });
  // PostgreSQL: a database of its own per test file, its schemas inside it
  const pg = !opts.postgres || isSkipped('postgres') ? null : await createTestDatabase(prefix);
  if (pg) engines.push({ name: 'postgres', db: await openTestPostgres(pg.name) });
  const base = uniqueDbName(prefix);
  return {
    engines,
    sqlitePath,
    postgresUrl: pg?.url ?? null,
    schemaName: (suffix) => `${base}_${suffix}`,
    async close() {
      for (const e of engines) await e.db.close();
      rmSync(dir, { recursive: true, force: true });
      if (!isSkipped('mysql')) await dropDatabases(prefix);
      if (pg) await dropTestDatabase(pg.name);
    },
  };
}

/** Rows in a comparable form: floats to 12 significant digits, every row as one JSON string, sorted. */
export function normalizeRows(rows: readonly Record<string, unknown>[], h: QueryHeading): string[] {
  const floats = new Set(
    h.attributes.filter((a) => /^(double|float|real)\b/i.test(a.datajoint_type)).map((a) => a.name),
  );
  return rows
    .map((r) =>
      JSON.stringify(
        h.attributes.map((a) => {
          const v = r[a.name] ?? null;
          return floats.has(a.name) && typeof v === 'number' ? Number(v.toPrecision(12)) : v;
        }),
      ),
    )
    .sort();
}
