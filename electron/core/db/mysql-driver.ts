import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { Connection as CallbackConnection } from 'mysql2';
import { mysqlDialect } from '../../../shared/sql/dialects/mysql';
import type { DbDriver, DbSession, ExecResult, Row } from './driver';
import { translateMysqlError } from './errors';

/** Connection settings of a MySQL/MariaDB server. */
export interface MysqlOptions {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  /** Redacted URL, for display and error messages. */
  url: string;
  connectionLimit?: number;
}

// Dates come back as text (no time-zone games), decimals and big integers as exact strings.
const TYPE_OPTIONS = {
  dateStrings: true,
  supportBigNumbers: true,
  bigNumberStrings: false,
  decimalNumbers: false,
} as const;

/** A session bound to one pooled connection (or the pool itself outside transactions). */
class MysqlSession implements DbSession {
  readonly dialect = mysqlDialect;
  constructor(
    protected readonly target: Pool | PoolConnection,
    protected readonly where: string,
  ) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      const [rows] = await this.target.query({ sql, values: params as unknown[] });
      return rows as R[];
    } catch (e) {
      throw translateMysqlError(e, this.where);
    }
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<ExecResult> {
    try {
      const [res] = await this.target.query<ResultSetHeader>({ sql, values: params as unknown[] });
      return { affectedRows: res.affectedRows ?? 0, insertId: res.insertId ? Number(res.insertId) : null };
    } catch (e) {
      throw translateMysqlError(e, this.where);
    }
  }

  async *stream<R extends Row = Row>(sql: string, params: readonly unknown[] = []): AsyncIterable<R> {
    const conn =
      'getConnection' in this.target ? await this.acquire(this.target as Pool) : (this.target as PoolConnection);
    try {
      // the promise wrapper has no streaming; its underlying callback connection does
      const raw = conn.connection as unknown as CallbackConnection;
      const stream = raw.query({ sql, values: params as unknown[] }).stream({ objectMode: true, highWaterMark: 256 });
      try {
        for await (const row of stream) yield row as R;
      } catch (e) {
        throw translateMysqlError(e, this.where);
      }
    } finally {
      if (conn !== this.target) conn.release();
    }
  }

  protected async acquire(pool: Pool): Promise<PoolConnection> {
    try {
      return await pool.getConnection();
    } catch (e) {
      throw translateMysqlError(e, this.where);
    }
  }
}

/** mysql2 pool behind {@link DbDriver}; each transaction runs on one pooled connection. */
export class Mysql2Driver extends MysqlSession implements DbDriver {
  readonly url: string;
  private readonly pool: Pool;

  private constructor(pool: Pool, url: string, where: string) {
    super(pool, where);
    this.pool = pool;
    this.url = url;
  }

  /** Opens the pool and checks the login with one round trip, so bad credentials fail here. */
  static async open(opts: MysqlOptions): Promise<Mysql2Driver> {
    const where = `${opts.host}:${opts.port}`;
    const pool = mysql.createPool({
      host: opts.host,
      port: opts.port,
      user: opts.user,
      password: opts.password ?? '',
      connectionLimit: opts.connectionLimit ?? 8,
      connectTimeout: 10_000,
      charset: 'utf8mb4',
      multipleStatements: false,
      ...TYPE_OPTIONS,
    });
    // mysql2 emits pool-level errors as events; without a listener they would crash the process
    pool.on('connection', (c) => c.on('error', () => {}));
    const driver = new Mysql2Driver(pool, opts.url, where);
    try {
      await driver.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    return driver;
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SELECT VERSION() AS v');
    return row?.v ?? 'unknown';
  }

  async transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T> {
    const conn = await this.acquire(this.pool);
    const tx = new MysqlSession(conn, this.where);
    try {
      await tx.execute('START TRANSACTION');
      const result = await work(tx);
      await tx.execute('COMMIT');
      return result;
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => {});
      throw translateMysqlError(e, this.where);
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
