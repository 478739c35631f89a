import mysql from 'mysql2/promise';
import { Mysql2Driver } from '../../electron/core/db/mysql-driver';
import { START_SERVICES_HINT } from './env';

/** The test server: JOINERY_TEST_MYSQL_URL or root with an empty password on 127.0.0.1:3306. */
export const MYSQL_URL = process.env.JOINERY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

function parts() {
  const u = new URL(MYSQL_URL);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password) || undefined,
  };
}

/** Opens a Joinery driver on the test server, failing with instructions when it is down. */
export async function openTestMysql(): Promise<Mysql2Driver> {
  try {
    return await Mysql2Driver.open({ ...parts(), url: MYSQL_URL });
  } catch (e) {
    throw new Error(`MariaDB is not reachable at ${MYSQL_URL}: ${(e as Error).message}. ${START_SERVICES_HINT}`);
  }
}

/** A raw mysql2 connection (multiple statements allowed) for fixtures and baselines. */
export async function rawMysql(): Promise<mysql.Connection> {
  const p = parts();
  return mysql.createConnection({ ...p, password: p.password ?? '', multipleStatements: true, dateStrings: true });
}

/** A database name unique to this test file and run, so concurrent test files never collide. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** True when `name` was made by {@link uniqueDbName} in another process that still runs (a concurrent run of the same file). */
function ownedByAnotherLiveRun(name: string, prefix: string): boolean {
  const pid = Number(/^_(\d+)_/.exec(name.slice(prefix.length))?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops every database whose name starts with `prefix_` (left by a crashed earlier run too, but not
 * those of a concurrent run still going), or,
 * given an array, exactly the named databases. Foreign-key checks are off for the session, so
 * a database that another one's foreign keys point into can go first.
 */
export async function dropDatabases(prefix: string | readonly string[]): Promise<void> {
  const c = await rawMysql();
  try {
    let names: string[];
    if (typeof prefix === 'string') {
      const [rows] = await c.query<mysql.RowDataPacket[]>(
        'SELECT schema_name AS n FROM information_schema.schemata WHERE schema_name LIKE ?',
        [`${prefix}\\_%`],
      );
      names = rows.map((r) => String(r.n)).filter((n) => !ownedByAnotherLiveRun(n, prefix));
    } else {
      names = [...prefix];
    }
    await c.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const n of names) await c.query(`DROP DATABASE IF EXISTS \`${n.replaceAll('`', '``')}\``);
  } finally {
    await c.end();
  }
}

/** Runs a whole SQL script (for example a mysqldump file) on a connection of its own. */
export async function runMysqlScript(sql: string): Promise<void> {
  const c = await rawMysql();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
