import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlob } from '../../../electron/core/data/blob';
import { ensureJobTables } from '../../../electron/core/jobs/job-tables';
import { declareItems, DJ_JOBS_COLUMNS, ENGINES, openJobsSetup, type JobsSetup } from './support';

/**
 * jobs.list served paged, filtered and sorted by the database (status, table, worker, time range,
 * error text, key hash), with the total; and jobs.errorGroups, over `~jobs` rows written the way
 * DataJoint Python writes them and Joinery's lease rows, on MariaDB, SQLite and PostgreSQL.
 */
const hash = (s: string) => createHash('md5').update(s).digest('hex');

type JobsRow = {
  table: string;
  id: number;
  status: 'reserved' | 'error' | 'ignore';
  message?: string;
  host: string;
  pid?: number;
  ts: string;
  stack?: string;
};

const JOBS_COLUMNS = [...DJ_JOBS_COLUMNS, 'timestamp'];

async function writeJobsRow(s: JobsSetup, r: JobsRow): Promise<void> {
  await s.db.execute(
    `INSERT INTO ${s.t('~jobs')} (${JOBS_COLUMNS.map((c) => s.db.dialect.quoteIdent(c)).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      r.table,
      hash(`${r.table}:${r.id}`),
      r.status,
      Buffer.from(encodeBlob({ item_id: r.id })),
      r.message ?? '',
      r.stack ? Buffer.from(encodeBlob(r.stack)) : null,
      'dj@localhost',
      r.host,
      r.pid ?? 4242,
      7,
      r.ts,
    ],
  );
}

async function writeLease(
  s: JobsSetup,
  l: { table: string; id: number; state: 'running' | 'waiting'; worker: string; error?: string; pid?: number },
): Promise<void> {
  await s.db.execute(
    `INSERT INTO ${s.t('~joinery_lease')} (table_name, key_hash, key_json, state, priority, attempts, worker, reserved_host, reserved_pid, started, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      l.table,
      hash(`${l.table}:${l.id}`),
      JSON.stringify({ item_id: l.id }),
      l.state,
      l.id,
      1,
      l.worker,
      'joinery-host',
      l.pid ?? 0,
      Date.now(),
      l.error ?? '',
    ],
  );
}

describe.each(ENGINES)('jobs.list filters and error groups on $name', (engine) => {
  let s: JobsSetup;

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'list');
    await declareItems(s, 0);
    await ensureJobTables(s.db, s.schema);
    for (let i = 1; i <= 5; i++) {
      await writeJobsRow(s, {
        table: '__square',
        id: i,
        status: 'error',
        message: `ValueError: item ${i} failed at /data/raw/item_${i}.tif`,
        host: 'dj-host',
        ts: `2026-01-0${i} 10:00:00`,
        stack: i === 1 ? 'Traceback (most recent call last):\nValueError: item 1' : undefined,
      });
    }
    for (const i of [6, 7])
      await writeJobsRow(s, {
        table: '__summary',
        id: i,
        status: 'error',
        message: `KeyError: 'x${i}' 100% missing`,
        host: 'other',
        ts: '2026-02-01 08:00:00',
      });
    for (const i of [8, 9, 10])
      await writeJobsRow(s, {
        table: '__square',
        id: i,
        status: 'reserved',
        host: 'dj-host',
        ts: '2026-02-02 09:00:00',
      });
    await writeJobsRow(s, { table: '__summary', id: 11, status: 'ignore', host: 'dj-host', ts: '2026-02-03 09:00:00' });
    // two Joinery jobs running (their ~jobs reservation and their lease), one waiting for a retry (lease only)
    for (const i of [12, 13]) {
      await writeJobsRow(s, {
        table: '__square',
        id: i,
        status: 'reserved',
        host: 'joinery-host',
        pid: 0,
        ts: '2026-02-04 09:00:00',
      });
      await writeLease(s, { table: '__square', id: i, state: 'running', worker: 'w1' });
    }
    await writeLease(s, { table: '__square', id: 14, state: 'waiting', worker: 'w2', error: 'JobError: exit 1' });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it.skipIf(engine.skip)('lists every job of ~jobs and of the lease table once, with the total', async () => {
    const r = await s.call('jobs.list', { schemas: [s.schema] });
    expect(r.total).toBe(14);
    expect(r.jobs).toHaveLength(14);
    const byId = new Map(r.jobs.map((j) => [Number(j.key?.item_id), j]));
    expect(byId.get(1)).toMatchObject({ status: 'error', state: null, table_name: '__square', host: 'dj-host' });
    expect(byId.get(12)).toMatchObject({ status: 'reserved', state: 'running', worker: 'w1', joinery: true });
    expect(byId.get(14)).toMatchObject({ status: null, state: 'waiting', error_message: 'JobError: exit 1' });
    expect(byId.get(1)?.error_stack).toBeNull(); // decoded only when asked
  });

  it.skipIf(engine.skip)('filters by shown status: a running Joinery job is not also "reserved"', async () => {
    const n = async (input: object) => (await s.call('jobs.list', { schemas: [s.schema], ...input })).total;
    expect(await n({ status: 'error' })).toBe(7);
    expect(await n({ status: 'reserved' })).toBe(3);
    expect(await n({ status: 'running' })).toBe(2);
    expect(await n({ status: 'waiting' })).toBe(1);
    expect(await n({ status: 'ignore' })).toBe(1);
    expect(await n({ statuses: ['running', 'waiting'] })).toBe(3);
    expect(await n({ status: 'error', statuses: ['running'] })).toBe(0);
  });

  it.skipIf(engine.skip)('filters by table, worker (or DataJoint host), key hash and error text', async () => {
    const list = (input: object) => s.call('jobs.list', { schemas: [s.schema], ...input });
    expect((await list({ table: '__summary' })).total).toBe(3);
    expect((await list({ worker: 'w1' })).total).toBe(2);
    expect((await list({ worker: 'dj-host' })).total).toBe(9);
    const one = await list({ key_hash: hash('__square:3') });
    expect(one.jobs.map((j) => j.key)).toEqual([{ item_id: 3 }]);
    expect((await list({ error_text: 'item 3 ' })).total).toBe(1);
    expect((await list({ error_text: 'VALUEERROR' })).total).toBe(5);
    expect((await list({ error_text: '100%' })).total).toBe(2); // % is a literal, not a wildcard
    expect((await list({ error_text: '1_0' })).total).toBe(0); // _ too
    expect((await list({ error_text: 'exit 1' })).total).toBe(1); // a waiting job's last error
  });

  it.skipIf(engine.skip)('filters by a time range of the ~jobs timestamps, bounds included', async () => {
    const r = await s.call('jobs.list', {
      schemas: [s.schema],
      from: '2026-01-02 10:00:00',
      to: '2026-01-04T10:00',
      sort: { by: 'timestamp' },
    });
    expect(r.jobs.map((j) => j.key?.item_id)).toEqual([2, 3, 4]);
  });

  it.skipIf(engine.skip)('sorts and pages in the database: pages put together give the whole sorted list', async () => {
    const sort = { by: 'timestamp' as const, desc: true };
    const all = await s.call('jobs.list', { schemas: [s.schema], sort });
    const pages = [];
    for (let offset = 0; offset < all.total; offset += 4) {
      const p = await s.call('jobs.list', { schemas: [s.schema], sort, offset, limit: 4 });
      expect(p.total).toBe(14);
      pages.push(...p.jobs);
    }
    expect(pages.map((j) => j.key_hash)).toEqual(all.jobs.map((j) => j.key_hash));
    const past = await s.call('jobs.list', { schemas: [s.schema], sort, offset: 100, limit: 4 });
    expect(past).toEqual({ jobs: [], total: 14 }); // past the end: no rows, the total still told
    const stamped = all.jobs.filter((j) => j.timestamp !== null).map((j) => j.timestamp!);
    expect(stamped).toEqual([...stamped].sort().reverse());
    expect(all.jobs.at(-1)?.state).toBe('waiting'); // no timestamp: last when descending
    const byPriority = await s.call('jobs.list', {
      schemas: [s.schema],
      sort: { by: 'priority', desc: true },
      limit: 1,
    });
    expect(byPriority.jobs[0]?.key).toEqual({ item_id: 14 });
  });

  it.skipIf(engine.skip)(
    'every order pages the same list: each source cut at the page end, merged in order',
    async () => {
      const sorts = [
        undefined,
        { by: 'status' as const, desc: false },
        { by: 'table' as const, desc: true },
        { by: 'worker' as const, desc: false },
        { by: 'attempts' as const, desc: true },
        { by: 'key_hash' as const, desc: false },
      ];
      for (const sort of sorts) {
        const all = await s.call('jobs.list', { schemas: [s.schema], ...(sort ? { sort } : {}) });
        expect(all.jobs).toHaveLength(14);
        const paged = [];
        for (let offset = 0; offset < all.total; offset += 3)
          paged.push(
            ...(await s.call('jobs.list', { schemas: [s.schema], ...(sort ? { sort } : {}), offset, limit: 3 })).jobs,
          );
        expect(
          paged.map((j) => j.key_hash),
          JSON.stringify(sort),
        ).toEqual(all.jobs.map((j) => j.key_hash));
      }
      // the default order is the table, then the key hash
      const plain = await s.call('jobs.list', { schemas: [s.schema] });
      const pairs = plain.jobs.map((j) => `${j.table_name} ${j.key_hash}`);
      expect(pairs).toEqual([...pairs].sort());
    },
  );

  it.skipIf(engine.skip)("decodes DataJoint's error stack when asked", async () => {
    const r = await s.call('jobs.list', { schemas: [s.schema], key_hash: hash('__square:1'), with_stack: true });
    expect(r.jobs[0]?.error_stack).toBe('Traceback (most recent call last):\nValueError: item 1');
  });

  it.skipIf(engine.skip)('refuses bad filters with the field named', async () => {
    await expect(s.call('jobs.list', { schemas: [s.schema], status: 'broken' as never })).rejects.toMatchObject({
      data: { code: 'VALIDATION' },
    });
    await expect(s.call('jobs.list', { schemas: [s.schema], from: 'yesterday' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(s.call('jobs.list', { schemas: [s.schema], sort: { by: 'nope' as never } })).rejects.toThrow(/sort/);
  });

  it.skipIf(engine.skip)('groups failed jobs by error signature, and gives one group with its keys', async () => {
    const { groups } = await s.call('jobs.errorGroups', { schemas: [s.schema] });
    expect(groups.map((g) => [g.signature, g.count])).toEqual([
      ['ValueError: item <n> failed at <path>', 5],
      ["KeyError: '…' <n>% missing", 2],
    ]);
    expect(groups[0]?.tables).toEqual([{ schema: s.schema, table_name: '__square', count: 5 }]);
    const one = await s.call('jobs.errorGroups', { schemas: [s.schema], signature: groups[0]!.signature });
    expect(one.groups).toHaveLength(1);
    expect(one.groups[0]?.tables[0]?.key_hashes?.sort()).toEqual(
      [1, 2, 3, 4, 5].map((i) => hash(`__square:${i}`)).sort(),
    );
  });
});
