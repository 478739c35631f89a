import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { CallbackInfo } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { DbDriver, DbSession } from '../db/driver';
import type { Logger } from '../log';
import type { ClaimedJob } from './claim';
import { columns } from './job-sql';
import { CALLBACK_TABLE, ensureJobTables } from './job-tables';
import { hiddenTables } from '../db/catalog/hidden-tables';

/**
 * Callbacks per table ("triggers", DataJoint's long-asked feature): on rows inserted, and on a job
 * succeeding or ending in error. A webhook receives the event as a JSON POST; a shell command
 * receives it on stdin and in JOINERY_EVENT, but only where the local user allowed commands,
 * because anyone who can write the database could otherwise make every worker run anything.
 */

type CallbackRow = {
  callback_id: number;
  table_name: string;
  event: CallbackInfo['event'];
  action: CallbackInfo['action'];
  target: string;
  seen_rows: number | string | null;
};

const COLS = ['callback_id', 'table_name', 'event', 'action', 'target', 'seen_rows'];

/** The callbacks of a schema (optionally one table's). */
export async function listCallbacks(
  db: DbSession,
  schema: string,
  table?: string,
): Promise<(CallbackInfo & { seen_rows: number | null })[]> {
  if (!(await hiddenTables(db, schema)).has(CALLBACK_TABLE)) return [];
  const q = (s: string) => db.dialect.quoteIdent(s);
  const where = table ? ` WHERE ${q('table_name')} = ?` : '';
  const rows = await db.query<CallbackRow>(
    `SELECT ${columns(db.dialect, COLS)} FROM ${db.dialect.qualify(schema, CALLBACK_TABLE)}${where} ORDER BY ${q('callback_id')}`,
    table ? [table] : [],
  );
  return rows.map((r) => ({
    callback_id: Number(r.callback_id),
    schema,
    table_name: r.table_name,
    event: r.event,
    action: r.action,
    target: r.target,
    seen_rows: r.seen_rows === null ? null : Number(r.seen_rows),
  }));
}

/** Adds a callback; an insert callback starts from the table's current row count (only later inserts fire it). */
export async function addCallback(
  db: DbDriver,
  table: TableInfo,
  c: Pick<CallbackInfo, 'event' | 'action' | 'target'>,
): Promise<CallbackInfo> {
  await ensureJobTables(db, table.schema);
  const seen = c.event === 'insert' ? await rowCount(db, table) : null;
  const res = await db.execute(
    `INSERT INTO ${db.dialect.qualify(table.schema, CALLBACK_TABLE)} (${columns(db.dialect, ['table_name', 'event', 'action', 'target', 'seen_rows'])}) VALUES (?, ?, ?, ?, ?)`,
    [table.table_name, c.event, c.action, c.target, seen],
  );
  return { callback_id: res.insertId ?? 0, schema: table.schema, table_name: table.table_name, ...c };
}

/** Removes a callback; NOT_FOUND when there is none with that id. */
export async function removeCallback(db: DbDriver, schema: string, id: number): Promise<void> {
  const has = (await hiddenTables(db, schema)).has(CALLBACK_TABLE);
  const res = has
    ? await db.execute(
        `DELETE FROM ${db.dialect.qualify(schema, CALLBACK_TABLE)} WHERE ${db.dialect.quoteIdent('callback_id')} = ?`,
        [id],
      )
    : { affectedRows: 0 };
  if (res.affectedRows === 0)
    throw appError('NOT_FOUND', `There is no callback ${id} in ${schema}.`, { details: { callback_id: id } });
}

async function rowCount(db: DbSession, table: Pick<TableInfo, 'schema' | 'table_name'>): Promise<number> {
  const [r] = await db.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ${db.dialect.qualify(table.schema, table.table_name)}`,
  );
  return Number(r?.n ?? 0);
}

/**
 * Fires the insert callbacks of a table whose row count grew. Each callback remembers the count
 * it last announced; moving it forward is a compare-and-set, so when several Joinery processes
 * notice the same insert (each polling), exactly one of them fires the callback.
 */
export async function announceInserts(db: DbDriver, table: TableInfo, firer: CallbackFirer): Promise<number> {
  // a process that may not run commands leaves command callbacks to one that may
  const callbacks = (await listCallbacks(db, table.schema, table.table_name)).filter(
    (c) => c.event === 'insert' && firer.canDeliver(c),
  );
  if (callbacks.length === 0) return 0;
  const count = await rowCount(db, table);
  const q = (s: string) => db.dialect.quoteIdent(s);
  let fired = 0;
  for (const cb of callbacks) {
    const seen = cb.seen_rows ?? 0;
    if (count === seen) continue;
    const res = await db.execute(
      `UPDATE ${db.dialect.qualify(table.schema, CALLBACK_TABLE)} SET ${q('seen_rows')} = ? WHERE ${q('callback_id')} = ? AND ${cb.seen_rows === null ? `${q('seen_rows')} IS NULL` : `${q('seen_rows')} = ?`}`,
      cb.seen_rows === null ? [count, cb.callback_id] : [count, cb.callback_id, seen],
    );
    if (res.affectedRows !== 1 || count < seen) continue; // another process announced it, or rows were deleted
    firer.fire(cb, {
      event: 'insert',
      schema: table.schema,
      table: table.table_name,
      full_name: table.full_name,
      rows_before: seen,
      rows_after: count,
      inserted: count - seen,
    });
    fired++;
  }
  return fired;
}

/**
 * The success/failure callbacks of the tables a job loop serves, sent as its jobs end. A populate
 * reads them once; a long-running worker calls `refresh()` on every tick, so callbacks added while
 * it works are honoured within seconds.
 */
export class JobEndCallbacks {
  private list: CallbackInfo[] = [];

  constructor(private readonly deps: { db: DbSession; firer: CallbackFirer; log: Logger }) {}

  /** Re-reads the callbacks of these schemas; a failed read keeps the previous list. */
  async refresh(schemas: Iterable<string>): Promise<void> {
    try {
      const list: CallbackInfo[] = [];
      for (const s of new Set(schemas)) list.push(...(await listCallbacks(this.deps.db, s)));
      this.list = list.filter((c) => c.event !== 'insert');
    } catch (e) {
      this.deps.log.warn('could not read the job callbacks', { error: String(e) });
    }
  }

  /** Sends one ended job to its table's callbacks (done and cached are successes, error a failure). */
  jobEnded(job: ClaimedJob, end: string, message: string | null, extra: Record<string, unknown> = {}): void {
    if (end !== 'done' && end !== 'cached' && end !== 'error') return;
    const event = end === 'error' ? 'failure' : 'success';
    const { table } = job.tj;
    for (const cb of this.list) {
      if (cb.event !== event || cb.schema !== table.schema || cb.table_name !== table.table_name) continue;
      this.deps.firer.fire(cb, {
        event,
        schema: table.schema,
        table: table.table_name,
        full_name: table.full_name,
        key: job.key,
        key_hash: job.keyHash,
        attempt: job.attempt,
        ...extra,
        ...(message ? { error_message: message } : {}),
      });
    }
  }
}

/** Waits between delivery attempts: a receiver that is briefly down still gets the event. */
const RETRY_DELAYS_MS = [1_000, 5_000];

/**
 * Delivers callback events; `idle()` waits for deliveries in flight (a CLI run waits before exiting).
 * A failed delivery (an error status, no answer, a command's non-zero exit) is tried again after
 * each of the retry delays, so delivery is at least once while this process lives; the payload's
 * `delivery_id` is the same in every attempt, for receivers that must not act twice.
 */
export class CallbackFirer {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      allowCommands: boolean;
      log: Logger;
      timeoutMs?: number;
      retryDelaysMs?: readonly number[];
    },
  ) {}

  /** Whether this process delivers such callbacks (commands only where the local user allowed them). */
  canDeliver(cb: Pick<CallbackInfo, 'action'>): boolean {
    return cb.action === 'webhook' || this.deps.allowCommands;
  }

  /** Sends one event to one callback, without waiting; failures are retried, then logged, never thrown. */
  fire(cb: Pick<CallbackInfo, 'callback_id' | 'action' | 'target'>, event: Record<string, unknown>): void {
    const payload = JSON.stringify({
      ...event,
      callback_id: cb.callback_id,
      delivery_id: randomUUID(),
      time: new Date().toISOString(),
    });
    const p = this.deliver(cb, payload).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async deliver(cb: Pick<CallbackInfo, 'callback_id' | 'action' | 'target'>, payload: string): Promise<void> {
    const delays = this.deps.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await (cb.action === 'webhook' ? this.post(cb.target, payload) : this.command(cb.target, payload));
        return;
      } catch (e) {
        const last = attempt >= delays.length;
        this.deps.log.warn(last ? 'a callback failed; giving up' : 'a callback failed; trying again', {
          callback: cb.callback_id,
          target: cb.target,
          attempt: attempt + 1,
          error: String(e),
        });
        if (last) return;
        await new Promise((r) => setTimeout(r, delays[attempt]));
      }
    }
  }

  /** Resolves when every delivery started so far has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async post(url: string, body: string): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  }

  private command(cmd: string, body: string): Promise<void> {
    if (!this.deps.allowCommands) {
      this.deps.log.warn('a command callback was skipped: command callbacks are off in this process', { command: cmd });
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', cmd], {
        env: { ...process.env, JOINERY_EVENT: body },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), this.deps.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`command exited with ${code}`));
      });
      child.stdin.on('error', () => {});
      child.stdin.end(body);
    });
  }
}
