import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { postgresDialect } from '../../../shared/sql/dialects/postgres';
import type { DbDriver, DbSession, ExecResult, Row } from './driver';
import { translatePostgresError } from './postgres-errors';
import { numberPlaceholders } from './postgres-placeholders';

/**
 * node-postgres (`pg`) behind {@link DbDriver}: maintained, pure JavaScript (nothing to compile for
 * Electron), pooled, and the driver the PostgreSQL ecosystem tests against.
 */

/** Connection settings of a PostgreSQL server and the one database that holds the schemas. */
export interface PostgresOptions {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** Redacted URL, for display and error messages. */
  url: string;
  connectionLimit?: number;
}

const OID = {
  bool: 16,
  int8: 20,
  json: 114,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  jsonb: 3802,
};

/**
 * Values come back as the MySQL driver gives them: dates and times as text (no time-zone games),
 * big integers as numbers while exact (text beyond), decimals as exact text, json as its text,
 * booleans as 0/1.
 */
export const POSTGRES_TYPES = new pg.TypeOverrides();
const TYPES = POSTGRES_TYPES;
TYPES.setTypeParser(OID.int8, (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});
for (const oid of [OID.date, OID.time, OID.interval, OID.timestamp, OID.timestamptz, OID.json, OID.jsonb])
  TYPES.setTypeParser(oid, (v: string) => v);
TYPES.setTypeParser(OID.bool, (v: string) => (v === 't' ? 1 : 0));

type Target = Pool | PoolClient;

/** Booleans bind as 1/0 as on MySQL (pg would send `true`, which no integer column takes); BigInts as exact text. */
const bindable = (v: unknown): unknown =>
  typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? v.toString() : v;
const STREAM_BATCH = 256;
/** `INSERT INTO t (...) VALUES ...`: runs again with the same effect after a rollback to the savepoint. */
const PLAIN_INSERT = /^\s*INSERT\s+INTO\s+(?:"(?:[^"]|"")*"\.)?"(?:[^"]|"")*"\s*\([^)]*\)\s*VALUES\s*\(/i;
const PREPARED_CACHE = 32;
const preparedCache = new Map<string, { text: string; replayable: boolean }>();

/**
 * The statement with `$n` placeholders and whether it may run again after a rollback, remembered
 * for the last statements (a bulk insert sends one 30000-value statement text again and again).
 */
function prepared(sql: string): { text: string; replayable: boolean } {
  let p = preparedCache.get(sql);
  if (!p) {
    p = {
      text: numberPlaceholders(sql),
      replayable: PLAIN_INSERT.test(sql) && !/\bON\s+CONFLICT\b|\bRETURNING\b/i.test(sql),
    };
    if (preparedCache.size >= PREPARED_CACHE) preparedCache.delete(preparedCache.keys().next().value!);
    preparedCache.set(sql, p);
  }
  return p;
}
/** At most this many statements and bound values wait for a replay; then a fresh savepoint. */
const REPLAY_STATEMENTS = 1000;
const REPLAY_VALUES = 1_000_000;

/** A session bound to one pooled client (inside a transaction) or to the pool itself. */
class PostgresSession implements DbSession {
  readonly dialect = postgresDialect;
  constructor(
    protected readonly target: Target,
    protected readonly where: string,
    private readonly inTransaction: boolean,
    /** Identity column per quoted table name, shared by the pool's sessions. */
    protected readonly identities: Map<string, string | null>,
  ) {}

  /** Whether this transaction has set its statement savepoint yet. */
  private savepoint = false;
  /** Whether a statement ran in this transaction (before the first, its start serves as the savepoint). */
  private ran = false;
  /** The next statement must set a fresh savepoint first (the last one cannot be run again). */
  private fresh = true;
  /** Plain INSERTs run since the savepoint, run again after a failure rolls back to it. */
  private replay: { text: string; values: unknown[] }[] = [];
  private replayValues = 0;

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.run(this.target, sql, params)).rows as R[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<ExecResult> {
    const into = /^\s*INSERT\s+INTO\s+((?:"(?:[^"]|"")*"\.)?"(?:[^"]|"")*")/i.exec(sql)?.[1];
    const identity = into ? await this.identityColumn(into) : null;
    if (!into || !identity) {
      const res = await this.run(this.target, sql, params);
      return { affectedRows: res.rowCount ?? 0, insertId: null };
    }
    // the statement hands back the identity value it wrote, generated or given (as MySQL's insertId
    // does; currval would fail after an INSERT that names the value itself); a multi-row INSERT: the first
    const returning = /\bRETURNING\b/i.test(sql)
      ? ''
      : ` RETURNING "${identity.replaceAll('"', '""')}" AS "joinery_insert_id"`;
    const res = await this.run(this.target, sql + returning, params);
    if (namesColumn(sql, identity)) await this.advanceIdentity(into, identity);
    const first = returning ? (res.rows[0] as { joinery_insert_id: string | number } | undefined) : undefined;
    return { affectedRows: res.rowCount ?? 0, insertId: first ? Number(first.joinery_insert_id) : null };
  }

  /**
   * After an INSERT that gave the identity column's values itself, moves the sequence past them, as
   * MySQL moves AUTO_INCREMENT (PostgreSQL's sequence would otherwise hand out those values again).
   */
  private async advanceIdentity(table: string, column: string): Promise<void> {
    const col = `"${column.replaceAll('"', '""')}"`;
    await this.run(
      this.target,
      `SELECT setval(pg_get_serial_sequence(?, ?), GREATEST((SELECT MAX(${col}) FROM ${table}), 1))`,
      [table, column],
    );
  }

  /** The identity (auto-increment) column of a quoted table, or null; cached per table for the pool's life. */
  private async identityColumn(table: string): Promise<string | null> {
    const cached = this.identities.get(table);
    if (cached !== undefined) return cached;
    const rows = (await this.run(
      this.target,
      `SELECT a.attname AS name FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0
       AND NOT a.attisdropped AND (a.attidentity <> '' OR pg_get_serial_sequence(?, a.attname) IS NOT NULL)`,
      [table, table],
    ).then((r) => r.rows)) as { name: string }[];
    const name = rows[0]?.name ?? null;
    // a table not created yet is looked up again next time
    if (rows.length || (await this.exists(table))) this.identities.set(table, name);
    return name;
  }

  private async exists(table: string): Promise<boolean> {
    const res = await this.run(this.target, 'SELECT to_regclass(?) IS NOT NULL AS ok', [table]);
    return Boolean((res.rows[0] as { ok: boolean } | undefined)?.ok);
  }

  /** Rows in batches through a cursor (inside a transaction, as PostgreSQL requires). */
  async *stream<R extends Row = Row>(sql: string, params: readonly unknown[] = []): AsyncIterable<R> {
    const client = this.inTransaction ? (this.target as PoolClient) : await this.acquire();
    const cursor = `joinery_stream_${Math.random().toString(36).slice(2, 10)}`;
    try {
      if (!this.inTransaction) await this.run(client, 'BEGIN', []);
      await this.run(client, `DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const batch = await this.run(client, `FETCH ${STREAM_BATCH} FROM ${cursor}`, []);
        for (const row of batch.rows) yield row as R;
        if (batch.rows.length < STREAM_BATCH) break;
      }
      await this.run(client, `CLOSE ${cursor}`, []);
      if (!this.inTransaction) await this.run(client, 'COMMIT', []);
    } finally {
      if (!this.inTransaction) {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    }
  }

  /**
   * One statement. Inside a transaction each runs after a savepoint, so a failed statement undoes
   * only itself as on MySQL and SQLite (PostgreSQL would otherwise refuse every later statement
   * of the transaction, and the core goes on after a failure, for example to find the bad row).
   */
  protected async run(target: Target, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    const { text, replayable } = prepared(sql);
    const values = params.some((v) => typeof v === 'boolean' || typeof v === 'bigint')
      ? params.map(bindable)
      : (params as unknown[]);
    if (!(this.inTransaction && target === this.target)) {
      try {
        return await target.query(text, values);
      } catch (e) {
        throw translatePostgresError(e, this.where);
      }
    }
    try {
      await this.markSavepoint(target, replayable);
    } catch (e) {
      throw translatePostgresError(e, this.where);
    }
    this.ran = true;
    let res: pg.QueryResult;
    try {
      res = await target.query(text, values);
    } catch (e) {
      await this.undoFailed(target).catch((lost: unknown) => {
        throw translatePostgresError(lost, this.where);
      });
      throw translatePostgresError(e, this.where);
    }
    if (replayable) {
      this.replay.push({ text, values });
      this.replayValues += values.length;
    } else {
      this.fresh = true;
    }
    return res;
  }

  /**
   * Sets the statement savepoint where the statements since the last one could not be run again
   * (anything but plain INSERTs) or would take too long to; a bulk insert's statements share one,
   * which saves a savepoint's work and round trip per statement.
   */
  private async markSavepoint(target: Target, replayable: boolean): Promise<void> {
    if (!this.fresh && this.replay.length < REPLAY_STATEMENTS && this.replayValues < REPLAY_VALUES) return;
    if (!this.ran && replayable) {
      // the transaction's start serves as the savepoint (rows written in a subtransaction cost more)
      this.fresh = false;
      return;
    }
    await target.query(
      this.savepoint ? 'RELEASE SAVEPOINT joinery_stmt; SAVEPOINT joinery_stmt' : 'SAVEPOINT joinery_stmt',
    );
    this.savepoint = true;
    this.fresh = false;
    this.replay = [];
    this.replayValues = 0;
  }

  /** Undoes a failed statement: back to the savepoint, then the plain INSERTs since it once more. */
  private async undoFailed(target: Target): Promise<void> {
    const redo = this.replay;
    this.replay = [];
    this.replayValues = 0;
    this.fresh = true;
    if (this.savepoint) {
      await target.query('ROLLBACK TO SAVEPOINT joinery_stmt').catch(() => {});
    } else {
      // no savepoint yet: every statement so far is in `redo`, so the transaction starts again
      await target.query('ROLLBACK');
      await target.query('BEGIN');
    }
    // a row another session wrote meanwhile may now clash: then the transaction is lost, and says so
    for (const st of redo) await target.query(st.text, st.values);
  }

  protected async acquire(): Promise<PoolClient> {
    try {
      return await (this.target as Pool).connect();
    } catch (e) {
      throw translatePostgresError(e, this.where);
    }
  }
}

/** A pg pool behind {@link DbDriver}; each transaction runs on one pooled client. */
export class PgDriver extends PostgresSession implements DbDriver {
  readonly url: string;
  private readonly pool: Pool;

  private constructor(pool: Pool, url: string, where: string) {
    super(pool, where, false, new Map());
    this.pool = pool;
    this.url = url;
  }

  /** Opens the pool and checks the login with one round trip, so bad credentials fail here. */
  static async open(opts: PostgresOptions): Promise<PgDriver> {
    const where = `${opts.host}:${opts.port}/${opts.database}`;
    const pool = new pg.Pool({
      host: opts.host,
      port: opts.port,
      user: opts.user,
      password: opts.password,
      database: opts.database,
      max: opts.connectionLimit ?? 8,
      connectionTimeoutMillis: 10_000,
      types: TYPES,
      // one clock for every client: Joinery's timestamps and DataJoint's are UTC
      options: '-c TimeZone=UTC',
      application_name: 'joinery',
    });
    // an idle client that loses its server emits on the pool; without a listener it would crash the process
    pool.on('error', () => {});
    const driver = new PgDriver(pool, opts.url, where);
    try {
      await driver.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    return driver;
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SHOW server_version');
    return row ? `PostgreSQL ${(row as Record<string, string>).server_version ?? row.v}` : 'unknown';
  }

  async transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    const tx = new PostgresSession(client, this.where, true, this.identities);
    try {
      await client.query('BEGIN').catch((e: unknown) => {
        throw translatePostgresError(e, this.where);
      });
      const result = await work(tx);
      await client.query('COMMIT').catch((e: unknown) => {
        throw translatePostgresError(e, this.where);
      });
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw translatePostgresError(e, this.where);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** True when an INSERT's column list names `column` (the statement gives its values itself). */
function namesColumn(sql: string, column: string): boolean {
  const list = /^\s*INSERT\s+INTO\s+(?:"(?:[^"]|"")*"\.)?"(?:[^"]|"")*"\s*\(([^)]*)\)/i.exec(sql)?.[1];
  if (!list) return false;
  return list.split(',').some((c) => c.trim().replace(/^"|"$/g, '').replaceAll('""', '"') === column);
}
