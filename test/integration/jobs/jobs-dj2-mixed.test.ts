import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { rawMysql } from '../../support/mysql';
import { rawPostgres } from '../../support/postgres';
import { declareItems, ENGINES, markAsV2, openJobsSetup, type JobsSetup } from './support';

/**
 * Two Joinery workers and a DataJoint 2.x worker (simulated on its own connection, in the SQL 2.x
 * sends) share one table's `~~` queue, on MariaDB and PostgreSQL (2.x has no SQLite adapter):
 * every key is computed once, and the queue is left with no duplicate or error rows.
 */
const ITEMS = 120;
const QUEUE = '~~square';
const DJ2_PID = 4242;

/** The few statements the simulated 2.x worker needs, in one engine's SQL. */
interface RawClient {
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  changed(sql: string, params?: unknown[]): Promise<number>;
  end(): Promise<void>;
  /** `schema.table` quoted. */
  t(table: string): string;
  /** A column name quoted (`user` is a reserved word on both). */
  q(column: string): string;
  now: string;
  connectionId: string;
  user: string;
  /** INSERT that skips keys already queued (2.x's `skip_duplicates`). */
  insertSkipping(table: string, columns: string, values: string): string;
}

async function rawClient(engine: 'mysql' | 'postgres', s: JobsSetup): Promise<RawClient> {
  if (engine === 'mysql') {
    const c = await rawMysql();
    return {
      rows: async (sql, p) => (await c.query<RowDataPacket[]>(sql, p))[0],
      changed: async (sql, p) => (await c.query<ResultSetHeader>(sql, p))[0].affectedRows,
      end: () => c.end(),
      t: (n) => `\`${s.schema}\`.\`${n}\``,
      q: (n) => `\`${n}\``,
      now: 'NOW(3)',
      connectionId: 'CONNECTION_ID()',
      user: 'USER()',
      insertSkipping: (t, cols, values) => `INSERT IGNORE INTO ${t} (${cols}) VALUES ${values}`,
    };
  }
  const c = await rawPostgres(decodeURIComponent(new URL(s.url).pathname.slice(1)));
  let n = 0;
  const numbered = (sql: string) => ((n = 0), sql.replace(/\?/g, () => `$${++n}`));
  return {
    rows: async (sql, p) => (await c.query(numbered(sql), p)).rows as Record<string, unknown>[],
    changed: async (sql, p) => (await c.query(numbered(sql), p)).rowCount ?? 0,
    end: () => c.end(),
    t: (name) => `"${s.schema}"."${name}"`,
    q: (name) => `"${name}"`,
    now: 'LOCALTIMESTAMP(3)',
    connectionId: 'pg_backend_pid()',
    user: 'CURRENT_USER',
    insertSkipping: (t, cols, values) => `INSERT INTO ${t} (${cols}) VALUES ${values} ON CONFLICT DO NOTHING`,
  };
}

/**
 * DataJoint 2.x's `populate(reserve_jobs=True)` (datajoint2.md "Jobs"): refresh fetches the missing
 * keys and inserts them as pending; each due pending key is reserved by an UPDATE that only a
 * pending row satisfies; the result is inserted and the row set to success
 * (`jobs.keep_completed`). Returns the keys it computed.
 */
async function dataJoint2Worker(c: RawClient, stop: () => boolean): Promise<number[]> {
  const mine: number[] = [];
  const { t, now } = c;
  for (;;) {
    const fresh = await c.rows(
      `SELECT i.item_id FROM ${t('item')} i WHERE i.item_id NOT IN (SELECT item_id FROM ${t('__square')}) ` +
        `AND i.item_id NOT IN (SELECT item_id FROM ${t(QUEUE)}) ORDER BY i.item_id`,
    );
    if (fresh.length)
      await c.changed(
        c.insertSkipping(
          t(QUEUE),
          'item_id, status, priority, scheduled_time',
          fresh.map(() => `(?, 'pending', 5, ${now})`).join(', '),
        ),
        fresh.map((r) => Number(r.item_id)),
      );
    const pending = await c.rows(
      `SELECT item_id FROM ${t(QUEUE)} WHERE status = 'pending' AND scheduled_time <= ${now} ORDER BY priority, scheduled_time`,
    );
    if (pending.length === 0 && stop()) return mine;
    for (const r of pending) {
      const id = Number(r.item_id);
      const won = await c.changed(
        `UPDATE ${t(QUEUE)} SET status = 'reserved', host = 'dj-host', pid = ?, connection_id = ${c.connectionId}, ` +
          `${c.q('user')} = ${c.user}, version = '', reserved_time = ${now} WHERE item_id = ? AND status = 'pending' AND scheduled_time <= ${now}`,
        [DJ2_PID, id],
      );
      if (won !== 1) continue;
      await c.changed('START TRANSACTION');
      const done = await c.rows(`SELECT 1 AS x FROM ${t('__square')} WHERE item_id = ?`, [id]);
      if (done.length === 0) {
        await c.changed(`INSERT INTO ${t('__square')} (item_id, value, pid) VALUES (?, ?, ?)`, [id, id * id, DJ2_PID]);
        mine.push(id);
      }
      await c.changed('COMMIT');
      await c.changed(
        `UPDATE ${t(QUEUE)} SET status = 'success', completed_time = ${now}, duration = 0.001 WHERE item_id = ?`,
        [id],
      );
    }
    if (pending.length === 0) await new Promise((res) => setTimeout(res, 20));
  }
}

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

const SHARED = ENGINES.filter((e) => e.name !== 'sqlite');

describe.each(SHARED)('two Joinery workers and a DataJoint 2.x worker on one table on $name', (engine) => {
  let s: JobsSetup;
  const executed: number[] = [];

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'dj2mix');
    await declareItems(s, ITEMS);
    await markAsV2(s);
    s.core.hooks.inline.register('square', ({ key }: InlineContext) => {
      executed.push(Number(key.item_id));
      return { rows: [{ value: Number(key.item_id) ** 2 }] };
    });
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it.skipIf(engine.skip)('computes every key exactly once, with no duplicate or error rows in the queue', async () => {
    // the queue as 2.x makes it, before either side starts
    await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: -1 } });
    const c = await rawClient(engine.name as 'mysql' | 'postgres', s);
    let joineryDone = false;
    try {
      const dj2 = dataJoint2Worker(c, () => joineryDone);
      await until(async () => (await s.count(QUEUE)) > 0);
      const summary = await s.populate({ schema: s.schema, table: '__square', workers: 2 }).finally(() => {
        joineryDone = true;
      });
      const byDj2 = await dj2;
      expect(summary.tables[0]!.failed).toBe(0);
      const all = [...executed, ...byDj2].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
      expect(await s.count('__square')).toBe(ITEMS);
      expect(await s.count(QUEUE, `status <> 'success'`)).toBe(0);
      // 2.x also marks success a key it reserved and then found computed (by Joinery meanwhile)
      expect(await s.count(QUEUE, `status = 'success'`)).toBeGreaterThanOrEqual(byDj2.length);
      expect(await s.count('__square', `pid = ${DJ2_PID}`)).toBe(byDj2.length);
    } finally {
      joineryDone = true;
      await c.end();
    }
  });

  it.skipIf(engine.skip || engine.name !== 'mysql')(
    'beside a 0.14 schema on the same server, each keeps its own queue',
    async () => {
      const old = await openJobsSetup('mysql', 'dj2old');
      try {
        await declareItems(old, 5);
        old.core.hooks.inline.register('square', ({ key }: InlineContext) => ({
          rows: [{ value: Number(key.item_id) ** 2 }],
        }));
        await old.call('task.set', { schema: old.schema, table: '__square', spec: { inline: 'square' } });
        await old.populate({ schema: old.schema, table: '__square' });
        const oldHidden = await hiddenTables(old.db, old.schema);
        const newHidden = await hiddenTables(s.db, s.schema);
        expect(oldHidden.has('~jobs')).toBe(true);
        expect([...oldHidden].some((h) => h.startsWith('~~'))).toBe(false);
        expect(newHidden.has('~jobs')).toBe(false);
        expect(newHidden.has(QUEUE)).toBe(true);
        const info = await s.call('pipeline.inspect', { schemas: [s.schema, old.schema] });
        expect(info.schemas[s.schema]!.conventions).toBe('2');
        expect(info.schemas[old.schema]!.conventions).toBe('0.14');
      } finally {
        await old.close();
      }
    },
  );
});
