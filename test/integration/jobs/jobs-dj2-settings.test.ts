import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { claimKeyAs, declareItems, ENGINES, markAsV2, openJobsSetup, type JobsSetup } from './support';

/**
 * DataJoint 2.x's queue settings, set per task (`keep_completed`, `orphan_timeout_s`,
 * `stale_timeout_s`), 2.x's optional `_job_*` columns, the error stack of a 2.x error row in
 * the job list, and cancelling a running job from the monitor, on every engine.
 */
const ITEMS = 12;
const QUEUE = '~~square';

describe.each(ENGINES)('DataJoint 2.x queue settings on $name', (engine) => {
  let s: JobsSetup;
  let executed: number[] = [];
  const q = (c: string) => s.db.dialect.quoteIdent(c);
  const queueRows = () =>
    s.db.query<{ item_id: number; status: string; completed_time: unknown; duration: number | null }>(
      `SELECT ${['item_id', 'status', 'completed_time', 'duration'].map(q).join(', ')} FROM ${s.t(QUEUE)} ORDER BY ${q('item_id')}`,
    );
  /**
   * A queue row as another client writes it: `values` as they are, `times` in seconds from now on
   * the database's clock (its own time zone, as 2.x's CURRENT_TIMESTAMP writes them).
   */
  const insertQueueRow = (
    id: number,
    status: string,
    values: Record<string, string>,
    times: Record<string, number>,
  ) => {
    const cols = ['item_id', 'status', 'priority', ...Object.keys(values), ...Object.keys(times)];
    const exprs = [
      '?',
      '?',
      '5',
      ...Object.keys(values).map(() => '?'),
      ...Object.keys(times).map(() => s.db.dialect.nowPlusSeconds),
    ];
    return s.db.execute(`INSERT INTO ${s.t(QUEUE)} (${cols.map(q).join(', ')}) VALUES (${exprs.join(', ')})`, [
      id,
      status,
      ...Object.values(values),
      ...Object.values(times),
    ]);
  };
  const setTask = (spec: Record<string, unknown>) =>
    s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square', ...spec } });

  let started = false;

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'dj2set');
    // runs until it is cancelled (its signal aborts)
    s.core.hooks.inline.register('untilCancelled', async ({ signal }: InlineContext) => {
      started = true;
      while (!signal.aborted) await new Promise((r) => setTimeout(r, 10));
      throw signal.reason;
    });
    await declareItems(s, ITEMS);
    await markAsV2(s);
    s.core.hooks.inline.register('square', ({ key }: InlineContext) => {
      executed.push(Number(key.item_id));
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
    for (const t of ['__summary__digit', '__summary', '__square', QUEUE, '~joinery_lease', '~joinery_run'])
      await s.db.execute(`DELETE FROM ${s.t(t)}`).catch(() => {});
  });

  it.skipIf(engine.skip)(
    'keep_completed keeps success rows with completed_time and duration; a vanished result is queued again',
    async () => {
      await setTask({ keep_completed: true });
      const first = await s.populate({ schema: s.schema, table: '__square' });
      expect(first.tables[0]).toMatchObject({ done: ITEMS - 1, failed: 1 });
      const rows = await queueRows();
      expect(rows.map((r) => r.status)).toEqual(rows.map((r) => (r.item_id === 7 ? 'error' : 'success')));
      for (const r of rows.filter((x) => x.status === 'success')) {
        expect(r.completed_time).not.toBeNull();
        expect(Number(r.duration)).toBeGreaterThanOrEqual(0);
      }
      const pending = (await s.call('jobs.pending', { schemas: [s.schema] })).tables.find(
        (t) => t.table_name === '__square',
      )!;
      expect(pending.jobs_by_status).toMatchObject({ success: ITEMS - 1, error: 1, pending: 0, reserved: 0 });
      // success rows are no jobs anyone holds: the list shows the error only
      const listed = (await s.call('jobs.list', { schemas: [s.schema] })).jobs;
      expect(listed.map((j) => j.key)).toEqual([{ item_id: 7 }]);
      await s.db.execute(`DELETE FROM ${s.t('__square')} WHERE ${q('item_id')} = 3`);
      executed = [];
      const again = await s.populate({ schema: s.schema, table: '__square' });
      expect(again.tables[0]).toMatchObject({ done: 1, failed: 0 });
      expect(executed).toEqual([3]);
      expect((await queueRows()).find((r) => r.item_id === 3)?.status).toBe('success');
    },
  );

  it.skipIf(engine.skip)(
    "orphan_timeout_s re-queues an old reservation of a dead 2.x worker, never a key under a Joinery worker's live lease",
    async () => {
      await setTask({ orphan_timeout_s: 60 });
      // a Joinery worker (alive, lease for an hour) holds key 5 since two hours, as the queue says
      const claim = await claimKeyAs(
        s,
        '__square',
        { item_id: 5 },
        { id: 'live-worker', host: 'busy-host', pid: 999_998, user: 'me' },
        3_600_000,
      );
      expect(claim.claimed).toHaveLength(1);
      await s.db.execute(
        `UPDATE ${s.t(QUEUE)} SET ${q('reserved_time')} = ${s.db.dialect.nowPlusSeconds} WHERE ${q('item_id')} = 5`,
        [-7200],
      );
      // a 2.x worker reserved key 1 two hours ago and died; key 2 only now
      await insertQueueRow(1, 'reserved', { host: 'dj-host' }, { reserved_time: -7200 });
      await insertQueueRow(2, 'reserved', { host: 'dj-host' }, { reserved_time: 0 });
      const summary = await s.populate({ schema: s.schema, table: '__square' });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS - 3, failed: 1 });
      expect(executed).toContain(1);
      expect(executed).not.toContain(2);
      expect(executed).not.toContain(5);
      expect((await queueRows()).map((r) => [r.item_id, r.status])).toEqual([
        [2, 'reserved'],
        [5, 'reserved'],
        [7, 'error'],
      ]);
    },
  );

  it.skipIf(engine.skip)(
    'stale_timeout_s removes old pending and error rows whose key left the key source, never ignore rows',
    async () => {
      await setTask({ stale_timeout_s: 3600 });
      await s.db.execute(
        `INSERT INTO ${s.t('item')} (${q('item_id')}, ${q('x')}) VALUES (100, 0), (101, 0), (102, 0), (103, 0)`,
      );
      await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: -1 } }); // makes the queue
      // pending rows scheduled far ahead, so that no worker takes them before the refresh looks
      await insertQueueRow(100, 'pending', {}, { created_time: -7200, scheduled_time: 3_600_000 });
      await insertQueueRow(101, 'error', { error_message: 'old' }, { created_time: -7200 });
      await insertQueueRow(102, 'ignore', {}, { created_time: -7200 });
      await insertQueueRow(103, 'pending', {}, { created_time: 0, scheduled_time: 3_600_000 });
      await insertQueueRow(4, 'error', { error_message: 'still wanted' }, { created_time: -7200 });
      // keys 100..103 leave the key source
      await s.db.execute(`DELETE FROM ${s.t('item')} WHERE ${q('item_id')} >= 100`);
      await s.populate({ schema: s.schema, table: '__square' });
      expect((await queueRows()).map((r) => [r.item_id, r.status])).toEqual([
        [4, 'error'],
        [7, 'error'],
        [102, 'ignore'],
        [103, 'pending'],
      ]);
    },
  );

  it.skipIf(engine.skip)("the job list's with_stack returns a 2.x error row's stack", async () => {
    await setTask({});
    await s.populate({ schema: s.schema, table: '__square' });
    const [job] = (await s.call('jobs.list', { schemas: [s.schema], status: 'error' })).jobs;
    expect(job).toMatchObject({ key: { item_id: 7 }, status: 'error' });
    expect(job!.error_stack ?? null).toBeNull();
    const withStack = await s.call('jobs.list', { schemas: [s.schema], key_hash: job!.key_hash, with_stack: true });
    expect(withStack.jobs[0]!.error_stack).toContain('seven is bad');
  });

  it.skipIf(engine.skip)(
    "a running job cancelled from the monitor ends as the 2.x queue's error row, listed as such",
    async () => {
      await setTask({ inline: 'untilCancelled' });
      started = false;
      const { populateId } = await s.call('jobs.populate', {
        schema: s.schema,
        table: '__square',
        restriction: { item_id: 3 },
        lease_s: 0.6,
      });
      for (let i = 0; i < 400 && !started; i++) await new Promise((r) => setTimeout(r, 25));
      const running = (await s.call('jobs.list', { schemas: [s.schema] })).jobs;
      expect(running.map((j) => [j.key, j.state])).toEqual([[{ item_id: 3 }, 'running']]);
      const cancelled = await s.call('jobs.cancel', { schema: s.schema, table: '__square', keys: [{ item_id: 3 }] });
      expect(cancelled.count).toBe(1);
      const summary = await s.core.services.populate.wait(populateId);
      expect(summary.errors).toEqual([
        expect.objectContaining({ key: { item_id: 3 }, message: 'CancelledError: cancelled by a user' }),
      ]);
      expect((await queueRows()).map((r) => [r.item_id, r.status])).toEqual([[3, 'error']]);
      const [job] = (await s.call('jobs.list', { schemas: [s.schema] })).jobs;
      expect(job).toMatchObject({ key: { item_id: 3 }, status: 'error' });
      expect(job!.error_message).toContain('CancelledError');
    },
  );

  it.skipIf(engine.skip)('refuses settings out of range, naming the setting', async () => {
    await expect(setTask({ stale_timeout_s: -1 })).rejects.toThrow(/stale_timeout_s/);
    await expect(setTask({ orphan_timeout_s: 0 })).rejects.toThrow(/orphan_timeout_s/);
    await expect(setTask({ keep_completed: 'yes' })).rejects.toThrow(/keep_completed/);
  });

  it.skipIf(engine.skip)("fills 2.x's optional _job_* columns where the table has them", async () => {
    await setTask({});
    const add =
      engine.name === 'postgres'
        ? [
            `ADD COLUMN _job_start_time timestamp(3) DEFAULT NULL`,
            `ADD COLUMN _job_duration real DEFAULT NULL`,
            `ADD COLUMN _job_version varchar(64) DEFAULT ''`,
          ]
        : engine.name === 'sqlite'
          ? [
              `ADD COLUMN _job_start_time datetime(3) DEFAULT NULL`,
              `ADD COLUMN _job_duration float DEFAULT NULL`,
              `ADD COLUMN _job_version varchar(64) DEFAULT ''`,
            ]
          : [
              `ADD _job_start_time datetime(3) DEFAULT NULL COMMENT ':datetime(3):'`,
              `ADD _job_duration float DEFAULT NULL COMMENT ':float32:'`,
              `ADD _job_version varchar(64) DEFAULT '' COMMENT ':varchar(64):'`,
            ];
    // one column per statement (SQLite adds one at a time)
    for (const a of add) await s.db.execute(`ALTER TABLE ${s.t('__square')} ${a}`);
    s.core.services.pipeline.invalidate(s.connectionId);
    try {
      const summary = await s.populate({ schema: s.schema, table: '__square' });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS - 1, failed: 1 });
      const rows = await s.db.query<{ start: unknown; duration: number | null; version: string }>(
        `SELECT _job_start_time AS start, _job_duration AS duration, _job_version AS version FROM ${s.t('__square')}`,
      );
      expect(rows).toHaveLength(ITEMS - 1);
      for (const r of rows) {
        const start = r.start instanceof Date ? r.start.toISOString() : String(r.start);
        expect(start).toMatch(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?/);
        expect(Number(r.duration)).toBeGreaterThanOrEqual(0);
        expect(r.version).toBe('');
      }
    } finally {
      for (const c of ['_job_start_time', '_job_duration', '_job_version'])
        await s.db.execute(`ALTER TABLE ${s.t('__square')} DROP COLUMN ${c}`);
      s.core.services.pipeline.invalidate(s.connectionId);
    }
  });
});
