import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeBlob } from '../../../electron/core/data/blob';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { datajoint2Jobs } from '../../../electron/core/jobs/queue';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { claimKeyAs, declareItems, ENGINES, markAsV2, openJobsSetup, type JobsSetup } from './support';

/**
 * Joinery's workers in a DataJoint 2.x schema: they reserve, complete, fail and ignore keys in the
 * table's `~~<table>` queue exactly as DataJoint 2.x does (and never make a `~jobs` there), share a
 * table with a DataJoint 2.x worker without computing any key twice, leave a dead 2.x worker's
 * reservation alone, and take back a dead Joinery worker's key when its lease expires.
 */
const ITEMS = 120;
const QUEUE = '~~square';
const DJ2_PID = 4242;

async function reset(s: JobsSetup): Promise<void> {
  for (const t of ['__summary__digit', '__summary', '__square', QUEUE, '~joinery_lease', '~joinery_run'])
    await s.db.execute(`DELETE FROM ${s.t(t)}`).catch(() => {});
}

describe.each(ENGINES)('DataJoint 2.x job queues on $name', (engine) => {
  let s: JobsSetup;
  let executed: number[] = [];
  const q = (c: string) => s.db.dialect.quoteIdent(c);
  const queueRows = () =>
    s.db.query<{ item_id: number; status: string; host: string; pid: number; error_message: string }>(
      `SELECT ${['item_id', 'status', 'host', 'pid', 'error_message'].map(q).join(', ')} FROM ${s.t(QUEUE)} ORDER BY ${q('item_id')}`,
    );

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'dj2q');
    await declareItems(s, ITEMS);
    await markAsV2(s);
    s.core.hooks.inline.register('square', ({ key }: InlineContext) => {
      executed.push(Number(key.item_id));
      return { rows: [{ value: Number(key.item_id) ** 2 }] };
    });
    s.core.hooks.inline.register('squareBut7', ({ key }: InlineContext) => {
      if (key.item_id === 7) throw new Error('seven is bad');
      return { rows: [{ value: Number(key.item_id) ** 2 }] };
    });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    if (engine.skip) return;
    executed = [];
    await reset(s);
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
  });

  it.skipIf(engine.skip)(
    "populates through the table's ~~ queue, made with 2.x's columns, and makes no ~jobs",
    async () => {
      const summary = await s.populate({ schema: s.schema, table: '__square', workers: 2 });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS, failed: 0 });
      expect(executed.sort((a, b) => a - b)).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
      const hidden = await hiddenTables(s.db, s.schema);
      expect(hidden.has('~jobs')).toBe(false);
      expect(hidden.has(QUEUE)).toBe(true);
      // success deletes the row, as 2.x does by default
      expect(await queueRows()).toEqual([]);
      const info = await s.call('pipeline.inspect', { schemas: [s.schema] });
      expect(info.schemas[s.schema]!.conventions).toBe('2');
      expect(info.schemas[s.schema]!.hidden_tables).not.toContain('~jobs');
    },
  );

  it.skipIf(engine.skip)(
    "failures and ignores are 2.x's error and ignore rows; retry clears them; the Jobs list shows them",
    async () => {
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'squareBut7', retries: 0 } });
      const summary = await s.populate({ schema: s.schema, table: '__square' });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS - 1, failed: 1 });
      const [row] = await s.db.query<{ status: string; error_message: string; error_stack: Uint8Array; pid: number }>(
        `SELECT ${q('status')}, ${q('error_message')}, ${q('error_stack')}, ${q('pid')} FROM ${s.t(QUEUE)}`,
      );
      expect(row).toMatchObject({ status: 'error', pid: process.pid });
      expect(row!.error_message).toContain('seven is bad');
      expect(String(decodeBlob(Buffer.from(row!.error_stack)))).toContain('seven is bad');
      const listed = (await s.call('jobs.list', { schemas: [s.schema] })).jobs;
      expect(listed.map((j) => [j.status, j.key, j.table_name])).toEqual([['error', { item_id: 7 }, '__square']]);
      const pending = (await s.call('jobs.pending', { schemas: [s.schema] })).tables.find(
        (t) => t.table_name === '__square',
      )!;
      expect(pending).toMatchObject({
        pending_count: 1,
        pending_excluding_jobs_count: 0,
        jobs_by_status: { pending: 0, reserved: 0, success: 0, error: 1, ignore: 0 },
      });
      expect((await s.call('jobs.errorGroups', { schemas: [s.schema] })).groups).toHaveLength(1);
      // the change watcher's number per queue (an error row weighs 10^9)
      const hidden = await hiddenTables(s.db, s.schema);
      const count = datajoint2Jobs.count(s.db.dialect, s.schema, hidden, [{ table_name: '__square' }])!;
      const counted = await s.db.query<{ t: string; n: unknown }>(count.sql, count.params);
      expect(counted.map((r) => [r.t, Number(r.n)])).toEqual([[`${s.schema}.__square`, 1e9]]);
      // retried, then ignored: the error row goes, an ignore row comes
      expect((await s.call('jobs.retry', { schema: s.schema, table: '__square', status: 'error' })).count).toBe(1);
      expect(await queueRows()).toEqual([]);
      await s.call('jobs.ignore', { schema: s.schema, table: '__square', keys: [{ item_id: 7 }] });
      expect((await queueRows()).map((r) => [r.item_id, r.status])).toEqual([[7, 'ignore']]);
      const again = await s.populate({ schema: s.schema, table: '__square' });
      expect(again.tables[0]).toMatchObject({ done: 0, failed: 0 });
    },
  );

  it.skipIf(engine.skip)(
    "a dead 2.x worker's reservation stays reserved; a dead Joinery worker's lease expires and its key runs once",
    async () => {
      // a 2.x worker reserved key 1 and died (2.x has no leases: nobody may take it)
      await s.db.execute(
        `INSERT INTO ${s.t(QUEUE)} (${['item_id', 'status', 'priority', 'host', 'pid', 'user', 'reserved_time'].map(q).join(', ')}) ` +
          `VALUES (1, 'reserved', 5, 'dj-host', ${DJ2_PID}, 'dj@localhost', ${s.db.dialect.now})`,
      );
      // a Joinery worker claims key 5 and dies without renewing its lease
      const claim = await claimKeyAs(
        s,
        '__square',
        { item_id: 5 },
        { id: 'dead-worker', host: 'gone-host', pid: 999_999, user: 'me' },
        300,
      );
      expect(claim.claimed).toHaveLength(1);
      expect(await queueRows()).toEqual([
        expect.objectContaining({ item_id: 1, status: 'reserved', host: 'dj-host' }),
        expect.objectContaining({ item_id: 5, status: 'reserved', host: 'gone-host' }),
      ]);
      await new Promise((r) => setTimeout(r, 400));
      const summary = await s.populate({ schema: s.schema, table: '__square', lease_s: 1 });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS - 1, failed: 0 });
      expect(executed.filter((k) => k === 5)).toEqual([5]);
      expect(executed).not.toContain(1);
      expect(await queueRows()).toEqual([
        expect.objectContaining({ item_id: 1, status: 'reserved', host: 'dj-host', pid: DJ2_PID }),
      ]);
      const listed = (await s.call('jobs.list', { schemas: [s.schema] })).jobs;
      expect(listed.map((j) => [j.status, j.key, j.joinery, j.host])).toEqual([
        ['reserved', { item_id: 1 }, false, 'dj-host'],
      ]);
      // a person clears the dead reservation by naming the key; then it runs
      expect((await s.call('jobs.retry', { schema: s.schema, table: '__square', keys: [{ item_id: 1 }] })).count).toBe(
        1,
      );
      expect(await queueRows()).toEqual([]);
      expect((await s.populate({ schema: s.schema, table: '__square' })).tables[0]).toMatchObject({ done: 1 });
      const runs = (
        await s.call('jobs.runs', { schema: s.schema, table: '__square', key_hash: claim.claimed[0]!.keyHash })
      ).runs;
      expect(runs.map((r) => [r.status, r.worker]).sort()).toEqual([
        ['lost', 'dead-worker'],
        ['success', expect.any(String)],
      ]);
    },
  );

  it.skipIf(engine.skip)('a pending row written by 2.x refresh is taken; a row scheduled later waits', async () => {
    await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 0 } });
    await s.db.execute(
      `INSERT INTO ${s.t(QUEUE)} (${['item_id', 'status', 'priority', 'scheduled_time'].map(q).join(', ')}) VALUES ` +
        `(2, 'pending', 1, ${s.db.dialect.now}), (3, 'pending', 5, '2999-01-01 00:00:00.000')`,
    );
    const summary = await s.populate({ schema: s.schema, table: '__square' });
    expect(summary.tables[0]).toMatchObject({ done: ITEMS - 2, failed: 0 });
    expect(executed).toContain(2);
    expect(executed).not.toContain(3);
    expect((await queueRows()).map((r) => [r.item_id, r.status])).toEqual([[3, 'pending']]);
  });

  it.skipIf(engine.skip)('keys are taken in the order of their 2.x priorities (lower first)', async () => {
    await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 0 } });
    await s.db.execute(
      `INSERT INTO ${s.t(QUEUE)} (${['item_id', 'status', 'priority'].map(q).join(', ')}) VALUES ` +
        `(50, 'pending', 1), (60, 'pending', 9)`,
    );
    executed = [];
    const summary = await s.populate({ schema: s.schema, table: '__square', workers: 1, batch: 1 });
    expect(summary.tables[0]).toMatchObject({ done: ITEMS - 1, failed: 0 });
    expect(executed[0]).toBe(50);
    expect(executed.at(-1)).toBe(60);
  });
});
