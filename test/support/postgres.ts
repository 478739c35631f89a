import pg from 'pg';
import { PgDriver } from '../../electron/core/db/postgres-driver';
import { START_SERVICES_HINT } from './env';
import { uniqueDbName } from './mysql';

/** The test server (without a database): JOINERY_TEST_POSTGRES_URL or postgres trusted on 127.0.0.1:5432. */
export const POSTGRES_SERVER_URL = process.env.JOINERY_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

function parts(database: string) {
  const u = new URL(POSTGRES_SERVER_URL);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password) || undefined,
    database,
  };
}

/** The Joinery URL of database `name` on the test server. */
export function postgresUrl(name: string): string {
  return `${POSTGRES_SERVER_URL.replace(/\/$/, '')}/${encodeURIComponent(name)}`;
}

/** A raw pg client on database `name` (default: the server's `postgres` database). */
export async function rawPostgres(name = 'postgres'): Promise<pg.Client> {
  const c = new pg.Client(parts(name));
  try {
    await c.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_SERVER_URL}: ${(e as Error).message}. ${START_SERVICES_HINT}`,
    );
  }
  return c;
}

/**
 * Creates a database unique to this test file and run (`<prefix>_<pid>_<random>`): each test file
 * has its own, so concurrent runs never see each other's schemas. Returns its name and URL.
 */
export async function createTestDatabase(prefix: string): Promise<{ name: string; url: string }> {
  const name = uniqueDbName(prefix);
  const c = await rawPostgres();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  return { name, url: postgresUrl(name) };
}

/** Drops a test database, ending any connection still open on it. */
export async function dropTestDatabase(name: string): Promise<void> {
  const c = await rawPostgres();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** Opens a Joinery driver on database `name` of the test server. */
export async function openTestPostgres(name: string): Promise<PgDriver> {
  return PgDriver.open({ ...parts(name), url: postgresUrl(name) });
}
