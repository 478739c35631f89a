import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import type { DbDriver } from '../../../electron/core/db/driver';
import { openDriver } from '../../../electron/core/db/open-driver';
import { hashCanonicalKey } from '../../../electron/core/jobs/canonical-key-hash';
import type { WorkerIdentity } from '../../../electron/core/jobs/job-keys';
import { readLeaseRows } from '../../../electron/core/jobs/job-state';
import { ensureJobTables, LEASE_TABLE, OLD_LEASE_TABLE } from '../../../electron/core/jobs/job-tables';
import { datajointJobs as jobQueue, type QueueKey } from '../../../electron/core/jobs/queue';
import { openTestMysql } from '../../support/mysql';
import { declareItems, ENGINES, openJobsSetup, type JobsSetup } from './support';

/**
 * The job protocol module (DataJoint 0.14's `~jobs`) on its own, on every engine: what each
 * operation leaves in the shared queue, as DataJoint Python would read it.
 */
const w1: WorkerIdentity = { id: 'h1:101:a', host: 'h1', pid: 101, user: 'ann' };
const w2: WorkerIdentity = { id: 'h2:202:b', host: 'h2', pid: 202, user: 'bob' };

describe.each(ENGINES)('job queue protocol on $name', ({ name, skip }) => {
  let s: JobsSetup;
  let square: TableInfo;
  const keys: QueueKey[] = [];

  beforeAll(async () => {
    if (skip) return;
    s = await openJobsSetup(name, 'queue');
    await declareItems(s, 0);
    const info = await s.call('pipeline.inspect', {});
    square = Object.values(info.schemas)
      .flatMap((x) => x.tables)
      .find((t) => t.schema === s.schema && t.class_name === 'Square')!;
    for (let i = 0; i < 4; i++) keys.push({ key: { item_id: i }, keyHash: hashCanonicalKey({ item_id: i }, square) });
    await ensureJobTables(s.db, s.schema);
  });
  afterAll(async () => {
    await s?.close();
  });

  const rows = async () =>
    (await jobQueue.read(s.db, s.schema, await hiddenTables(s.db, s.schema))).map((r) => ({
      hash: r.key_hash,
      status: r.status,
      host: r.host,
      pid: r.pid,
      message: r.error_message,
    }));
  const statusOf = async (k: QueueKey) => (await rows()).find((r) => r.hash === k.keyHash)?.status ?? null;

  it.skipIf(skip)('reserves each key for one worker only', async () => {
    const [a, b, c] = keys;
    const first = await s.db.transaction((tx) => jobQueue.reserve(tx, square, [a!, b!], w1));
    expect([...first].sort()).toEqual([a!.keyHash, b!.keyHash].sort());
    const second = await s.db.transaction((tx) => jobQueue.reserve(tx, square, [b!, c!], w2));
    expect([...second]).toEqual([c!.keyHash]);
    const all = await rows();
    expect(all.filter((r) => r.status === 'reserved')).toHaveLength(3);
    expect(all.find((r) => r.hash === c!.keyHash)).toMatchObject({ host: 'h2', pid: 202 });
    expect((await jobQueue.held(s.db, square)).held).toEqual(new Set([a!.keyHash, b!.keyHash, c!.keyHash]));
  });

  it.skipIf(skip)(
    'never gives a worker a key another worker of the same process reserved on its connection',
    async () => {
      // one transaction: one connection for both, as a pool hands a connection to the workers of a process in turn
      const [, , , d] = keys;
      const sibling: WorkerIdentity = { ...w1, id: 'h1:101:other' };
      const extra = { key: { item_id: 99 }, keyHash: hashCanonicalKey({ item_id: 99 }, square) };
      const [mine, theirs] = await s.db.transaction(async (tx) => [
        await jobQueue.reserve(tx, square, [d!], sibling),
        await jobQueue.reserve(tx, square, [d!, extra], w1),
      ]);
      expect([...mine]).toEqual([d!.keyHash]);
      expect([...theirs]).toEqual([extra.keyHash]);
      expect(await jobQueue.release(s.db, square, [d!, extra])).toBe(2);
    },
  );

  it.skipIf(skip)('releases only the reservations of the given owner', async () => {
    const b = keys[1]!;
    expect(await jobQueue.release(s.db, square, [b], { host: w2.host, pid: w2.pid })).toBe(0);
    expect(await jobQueue.release(s.db, square, [b], { host: w1.host, pid: w1.pid })).toBe(1);
    expect(await statusOf(b)).toBeNull();
  });

  it.skipIf(skip)('records errors and ignores, and clears them by status', async () => {
    const [a, , , d] = keys;
    await s.db.transaction((tx) => jobQueue.error(tx, square, a!, { message: 'ValueError: bad', stack: 'trace' }, w1));
    await s.db.transaction((tx) => jobQueue.ignore(tx, square, d!, w1));
    expect((await rows()).find((r) => r.hash === a!.keyHash)).toMatchObject({
      status: 'error',
      message: 'ValueError: bad',
    });
    expect(await statusOf(d!)).toBe('ignore');
    // a reservation is not an error: releasing leaves the error row alone
    expect(await jobQueue.release(s.db, square, [a!])).toBe(0);
    expect(await jobQueue.clear(s.db, square, a!, ['ignore'])).toBe(0);
    expect(await jobQueue.clear(s.db, square, a!, ['error'])).toBe(1);
    expect(await jobQueue.clear(s.db, square, d!, ['error', 'ignore'])).toBe(1);
    expect(await statusOf(a!)).toBeNull();
  });

  it.skipIf(skip)('completes a reservation together with its lease, or reports the lease lost', async () => {
    const c = keys[2]!;
    const q = (x: string) => s.db.dialect.quoteIdent(x);
    const lease = s.t(LEASE_TABLE);
    await s.db.execute(
      `INSERT INTO ${lease} (${q('table_name')}, ${q('key_hash')}, ${q('key_json')}, ${q('state')}, ${q('worker')}) VALUES (?, ?, '{}', 'running', ?)`,
      [square.table_name, c.keyHash, w2.id],
    );
    const guard = (worker: string) => ({
      table: lease,
      where: (p: string) => `${p}${q('table_name')} = ? AND ${p}${q('worker')} = ? AND ${p}${q('key_hash')} IN (?)`,
      params: [square.table_name, worker, c.keyHash],
    });
    const other = await s.db.transaction((tx) => jobQueue.complete(tx, square, [c], guard(w1.id)));
    expect(other).toBe(false);
    const mine = await s.db.transaction((tx) => jobQueue.complete(tx, square, [c], guard(w2.id)));
    expect(mine).toBe(true);
    expect(await statusOf(c)).toBeNull();
    expect(await s.count(LEASE_TABLE)).toBe(0);
  });

  it.skipIf(skip)('counts queue rows per table for change polling', async () => {
    await s.db.transaction((tx) => jobQueue.reserve(tx, square, keys, w1));
    const { sql, params } = jobQueue.count(s.db.dialect, s.schema, await hiddenTables(s.db, s.schema), [square])!;
    const counts = await s.db.query<{ t: string; n: number | string }>(sql, params);
    expect(counts.map((r) => [r.t, Number(r.n)])).toEqual([[`${s.schema}.${square.table_name}`, 4]]);
    expect(jobQueue.exists(await hiddenTables(s.db, s.schema))).toBe(true);
  });

  it.skipIf(skip)('reads a lease table of before 0.2 under its old name and renames it on the next write', async () => {
    const q = (x: string) => s.db.dialect.quoteIdent(x);
    await s.db.execute(
      `INSERT INTO ${s.t(LEASE_TABLE)} (${q('table_name')}, ${q('key_hash')}, ${q('key_json')}, ${q('state')}, ${q('priority')}) VALUES (?, ?, '{"item_id":3}', 'waiting', 7)`,
      [square.table_name, keys[3]!.keyHash],
    );
    for (const st of s.db.dialect.ddl.renameTable(s.schema, LEASE_TABLE, OLD_LEASE_TABLE))
      await s.db.execute(st.sql, st.params);
    expect((await readLeaseRows(s.db, s.schema)).map((r) => r.priority)).toEqual([7]);
    // a process that has not made the job tables yet (ensureJobTables is remembered per driver)
    const other: DbDriver = name === 'mysql' ? await openTestMysql() : await openDriver({ url: s.url });
    try {
      await ensureJobTables(other, s.schema);
      const hidden = await hiddenTables(s.db, s.schema);
      expect(hidden.has(LEASE_TABLE)).toBe(true);
      expect(hidden.has(OLD_LEASE_TABLE)).toBe(false);
      expect((await readLeaseRows(s.db, s.schema)).map((r) => [r.key_hash, r.priority])).toEqual([
        [keys[3]!.keyHash, 7],
      ]);
    } finally {
      await other.close();
    }
  });
});
