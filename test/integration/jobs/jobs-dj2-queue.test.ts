import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeBlob } from '../../../electron/core/data/blob';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { claimJobs } from '../../../electron/core/jobs/claim';
import { hashCanonicalKey } from '../../../electron/core/jobs/canonical-key-hash';
import { buildTableJobs } from '../../../electron/core/jobs/job-context';
import { readTasks } from '../../../electron/core/jobs/task-store';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { parseDefinition, resolveDefinition } from '../../../shared/model/definition';
import { createTableDdl } from '../../../shared/sql/ddl';
import { rawMysql } from '../../support/mysql';
import { declareItems, ENGINES, openJobsSetup, type JobsSetup } from './support';

/**
 * Joinery's workers in a DataJoint 2.x schema: they reserve, complete, fail and ignore keys in the
 * table's `~~<table>` queue exactly as DataJoint 2.x does (and never make a `~jobs` there), share a
 * table with a DataJoint 2.x worker without computing any key twice, leave a dead 2.x worker's
 * reservation alone, and take back a dead Joinery worker's key when its lease expires.
 */
const ITEMS = 120;
const QUEUE = '~~square';
const DJ2_PID = 4242;

/** Makes the schema a DataJoint 2.x one, as 2.x's declare does: its `~lineage` table. */
async function markAsV2(s: JobsSetup): Promise<void> {
  const def = `# lineage\ntable_name : varchar(64)\nattribute_name : varchar(64)\n---\nlineage : varchar(255)`;
  const t = resolveDefinition(parseDefinition(def, { table: '~lineage' }), {
    schema: s.schema,
    tableName: '~lineage',
    lookup: () => undefined,
  });
  for (const st of createTableDdl(s.db.dialect, t)) await s.db.execute(st.sql, st.params);
  s.core.services.pipeline.invalidate(s.connectionId);
}

async function reset(s: JobsSetup): Promise<void> {
  for (const t of ['__summary__digit', '__summary', '__square', QUEUE, '~joinery_lease', '~joinery_run'])
    await s.db.execute(`DELETE FROM ${s.t(t)}`).catch(() => {});
}

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
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
      const tables = await s.core.services.pipeline.tables(s.connectionId);
      const tasks = new Map([...(await readTasks(s.db, s.schema)).values()].map((t) => [`${s.schema}.${t.table}`, t]));
      const [tj] = buildTableJobs(s.db.dialect, tables, tasks, { schema: s.schema, table: '__square' }).jobs;
      const key = { item_id: 5 };
      const who = { id: 'dead-worker', host: 'gone-host', pid: 999_999, user: 'me' };
      const claim = await claimJobs(
        s.db,
        tj!,
        [{ key, keyHash: hashCanonicalKey(key, tj!.table), priority: 0, known: false }],
        who,
        Date.now(),
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

/**
 * DataJoint 2.x's `populate(reserve_jobs=True)`, on its own connection, in the SQL 2.x sends
 * (datajoint2.md "Jobs"): refresh fetches the missing keys and inserts them as pending; each due pending key is
 * reserved by an UPDATE that only a pending row satisfies; the result is inserted and the row set
 * to success (`jobs.keep_completed`). Returns the keys it computed.
 */
async function dataJoint2Worker(schema: string, stop: () => boolean): Promise<number[]> {
  const c = await rawMysql();
  const mine: number[] = [];
  const t = (n: string) => `\`${schema}\`.\`${n}\``;
  try {
    for (;;) {
      // refresh: the new keys are fetched, then inserted with skip_duplicates (INSERT IGNORE)
      const [fresh] = await c.query<RowDataPacket[]>(
        `SELECT i.item_id FROM ${t('item')} i WHERE i.item_id NOT IN (SELECT item_id FROM ${t('__square')}) ` +
          `AND i.item_id NOT IN (SELECT item_id FROM ${t(QUEUE)}) ORDER BY i.item_id`,
      );
      if (fresh.length)
        await c.query(
          `INSERT IGNORE INTO ${t(QUEUE)} (item_id, status, priority, scheduled_time) VALUES ${fresh.map(() => "(?, 'pending', 5, NOW(3))").join(', ')}`,
          fresh.map((r) => r.item_id as number),
        );
      const [pending] = await c.query<RowDataPacket[]>(
        `SELECT item_id FROM ${t(QUEUE)} WHERE status = 'pending' AND scheduled_time <= NOW(3) ORDER BY priority, scheduled_time`,
      );
      if (pending.length === 0 && stop()) return mine;
      for (const { item_id: id } of pending) {
        const [res] = await c.query<ResultSetHeader>(
          `UPDATE ${t(QUEUE)} SET status = 'reserved', host = 'dj-host', pid = ?, connection_id = CONNECTION_ID(), ` +
            `user = USER(), version = '', reserved_time = NOW(3) WHERE item_id = ? AND status = 'pending' AND scheduled_time <= NOW(3)`,
          [DJ2_PID, id],
        );
        if (res.affectedRows !== 1) continue;
        await c.query('START TRANSACTION');
        const [done] = await c.query<RowDataPacket[]>(`SELECT 1 FROM ${t('__square')} WHERE item_id = ?`, [id]);
        if (done.length === 0) {
          await c.query(`INSERT INTO ${t('__square')} (item_id, value, pid) VALUES (?, ?, ?)`, [id, id * id, DJ2_PID]);
          mine.push(Number(id));
        }
        await c.query('COMMIT');
        await c.query(
          `UPDATE ${t(QUEUE)} SET status = 'success', completed_time = NOW(), duration = 0.001 WHERE item_id = ?`,
          [id],
        );
      }
      if (pending.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await c.end();
  }
}

describe.skipIf(ENGINES[0]!.skip)('two Joinery workers and a DataJoint 2.x worker on one table (MariaDB)', () => {
  let s: JobsSetup;
  const executed: number[] = [];

  beforeAll(async () => {
    s = await openJobsSetup('mysql', 'dj2mix');
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

  it('computes every key exactly once, with no duplicate or error rows in the queue', async () => {
    // the queue as 2.x makes it, before either side starts
    await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: -1 } });
    let joineryDone = false;
    const dj2 = dataJoint2Worker(s.schema, () => joineryDone);
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
  });

  it("fills 2.x's optional _job_* metadata columns where the table has them", async () => {
    await s.db.execute(`DELETE FROM ${s.t('__square')} WHERE item_id < 3`);
    await s.db.execute(
      `ALTER TABLE ${s.t('__square')} ADD _job_start_time datetime(3) DEFAULT NULL COMMENT ':datetime(3):', ` +
        `ADD _job_duration float DEFAULT NULL COMMENT ':float32:', ADD _job_version varchar(64) DEFAULT '' COMMENT ':varchar(64):'`,
    );
    s.core.services.pipeline.invalidate(s.connectionId);
    const summary = await s.populate({ schema: s.schema, table: '__square' });
    expect(summary.tables[0]).toMatchObject({ done: 3, failed: 0 });
    const rows = await s.db.query<{ start: string | null; duration: number | null; version: string }>(
      `SELECT _job_start_time AS start, _job_duration AS duration, _job_version AS version FROM ${s.t('__square')} WHERE item_id < 3`,
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(String(r.start)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
      expect(Number(r.duration)).toBeGreaterThanOrEqual(0);
      expect(r.version).toBe('');
    }
    const others = await s.count('__square', '_job_start_time IS NULL');
    expect(others).toBe(ITEMS - 3);
  });

  it('beside a 0.14 schema on the same server, each keeps its own queue', async () => {
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
  });
});
