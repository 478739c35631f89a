import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteDialect } from '../../../shared/sql/dialects/sqlite';
import { appError } from '../../../shared/errors';
import { AsyncLock } from './async-lock';
import type { DbDriver, DbSession, ExecResult, Row } from './driver';
import { translateSqliteError } from './errors';

type Statement = Database.Statement<unknown[], unknown>;

/** How to open a SQLite file. */
export interface SqliteOptions {
  path: string;
  /** Refuse to create the file when it does not exist. */
  mustExist?: boolean;
  url: string;
}

/** better-sqlite3 binds only numbers, strings, bigints, buffers and null. */
function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

/**
 * better-sqlite3 behind {@link DbDriver}: WAL, enforced foreign keys, one connection per process
 * (SQLite allows one writer; a second writer in the same process only adds lock fights). Work is
 * serialised by an async lock; a transaction holds it until commit, and calls made from inside a
 * transaction's async context run directly instead of waiting for themselves.
 */
export class BetterSqlite3Driver implements DbDriver {
  readonly dialect = sqliteDialect;
  readonly url: string;
  private readonly lock = new AsyncLock();
  private readonly inTransaction = new AsyncLocalStorage<{ depth: number }>();
  private readonly statements = new Map<string, Statement>();
  /** Statements reading `bigint` columns: read as big integers, so values past 2^53 stay exact. */
  private readonly bigIntegers = new WeakSet<Statement>();

  private constructor(
    private readonly db: Database.Database,
    url: string,
    private readonly where: string,
  ) {
    this.url = url;
  }

  /** Opens (or creates) the file and applies the pragmas every Joinery database relies on. */
  static open(opts: SqliteOptions): BetterSqlite3Driver {
    const where = opts.path;
    if (opts.path !== ':memory:') checkLocation(opts);
    let db: Database.Database;
    try {
      db = new Database(opts.path, { fileMustExist: Boolean(opts.mustExist), timeout: 5000 });
      if (opts.path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      throw translateSqliteError(e, where);
    }
    return new BetterSqlite3Driver(db, opts.url, where);
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SELECT sqlite_version() AS v');
    return `SQLite ${row?.v ?? 'unknown'}`;
  }

  query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.exclusive(() => {
      const stmt = this.prepare(sql);
      if (!stmt.reader) {
        stmt.run(...params.map(bindable));
        return [];
      }
      const rows = stmt.all(...params.map(bindable)) as R[];
      if (this.bigIntegers.has(stmt)) for (const row of rows) exactIntegers(row);
      return rows;
    });
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<ExecResult> {
    return this.exclusive(() => {
      const stmt = this.prepare(sql);
      if (stmt.reader) {
        stmt.all(...params.map(bindable));
        return { affectedRows: 0, insertId: null };
      }
      const res = stmt.run(...params.map(bindable));
      return { affectedRows: res.changes, insertId: res.changes > 0 ? Number(res.lastInsertRowid) : null };
    });
  }

  async *stream<R extends Row = Row>(sql: string, params: readonly unknown[] = []): AsyncIterable<R> {
    // better-sqlite3 allows no other statement while an iterator is open, so the lock is held
    // for the whole iteration: consumers must not query this driver while they read a stream.
    const nested = this.inTransaction.getStore() !== undefined;
    const release = nested ? () => {} : await this.lock.acquire();
    try {
      const stmt = this.prepare(sql);
      const big = this.bigIntegers.has(stmt);
      const it = stmt.iterate(...params.map(bindable)) as IterableIterator<R>;
      try {
        for (const row of it) yield big ? exactIntegers(row) : row;
      } catch (e) {
        throw translateSqliteError(e, this.where);
      }
    } finally {
      release();
    }
  }

  async transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T> {
    const outer = this.inTransaction.getStore();
    if (outer) return this.savepoint(outer.depth + 1, work);
    const release = await this.lock.acquire();
    try {
      return await this.inTransaction.run({ depth: 0 }, async () => {
        this.raw('BEGIN IMMEDIATE');
        try {
          const result = await work(this);
          this.raw('COMMIT');
          return result;
        } catch (e) {
          if (this.db.inTransaction) this.raw('ROLLBACK');
          throw translateSqliteError(e, this.where);
        }
      });
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.lock.run(() => {
      this.statements.clear();
      if (this.db.open) this.db.close();
    });
  }

  private async savepoint<T>(depth: number, work: (tx: DbSession) => Promise<T>): Promise<T> {
    const name = `sp_${depth}`;
    return this.inTransaction.run({ depth }, async () => {
      this.raw(`SAVEPOINT ${name}`);
      try {
        const result = await work(this);
        this.raw(`RELEASE ${name}`);
        return result;
      } catch (e) {
        this.raw(`ROLLBACK TO ${name}`);
        this.raw(`RELEASE ${name}`);
        throw e;
      }
    });
  }

  /** Runs synchronous work under the lock, or directly when inside this driver's transaction. */
  private exclusive<T>(work: () => T): Promise<T> {
    const run = () => {
      try {
        return work();
      } catch (e) {
        throw translateSqliteError(e, this.where);
      }
    };
    if (this.inTransaction.getStore()) return Promise.resolve().then(run);
    return this.lock.run(run);
  }

  private raw(sql: string): void {
    this.db.exec(sql);
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (stmt.reader && stmt.columns().some((c) => c.type === 'BIGINT')) {
        stmt.safeIntegers(true);
        this.bigIntegers.add(stmt);
      }
      if (this.statements.size >= 500) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** As mysql2 with supportBigNumbers: integers as numbers, as exact decimal strings beyond 2^53. */
function exactIntegers<R extends Row>(row: R): R {
  const r = row as Row;
  for (const k in r) {
    const v = r[k];
    if (typeof v === 'bigint') r[k] = v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v.toString();
  }
  return row;
}

function checkLocation(opts: SqliteOptions): void {
  const dir = path.dirname(opts.path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw appError(
      'DB_NOT_FOUND',
      `The folder ${dir} does not exist, so the SQLite file ${path.basename(opts.path)} cannot be created there.`,
      {
        hint: 'Create the folder first, or choose a file in an existing folder.',
        details: { field: 'url', path: opts.path },
      },
    );
  }
  if (opts.mustExist && !existsSync(opts.path)) {
    throw appError('DB_NOT_FOUND', `There is no SQLite file at ${opts.path}.`, {
      hint: 'Check the path, or choose "Create" to make a new database there.',
      details: { field: 'url', path: opts.path },
    });
  }
  if (existsSync(opts.path) && statSync(opts.path).isDirectory()) {
    throw appError('DB_NOT_FOUND', `${opts.path} is a folder, not a SQLite file.`, {
      hint: 'Add a file name, for example /path/to/lab.db.',
      details: { field: 'url', path: opts.path },
    });
  }
}
