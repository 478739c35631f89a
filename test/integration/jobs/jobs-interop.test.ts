import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeBlob } from '../../../electron/core/data/blob';
import { claimJobs } from '../../../electron/core/jobs/claim';
import { buildTableJobs } from '../../../electron/core/jobs/job-context';
import { columns } from '../../../electron/core/jobs/job-sql';
import { ensureJobTables } from '../../../electron/core/jobs/job-tables';
import { readTasks } from '../../../electron/core/jobs/task-store';
import { hashCanonicalKey } from '../../../electron/core/jobs/canonical-key-hash';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { declareItems, DJ_JOBS_COLUMNS, ENGINES, openJobsSetup, type JobsSetup } from './support';

/**
 * Living beside DataJoint Python and other clients: keys held in `~jobs` rows written as
 * DataJoint writes them are skipped; a dead worker's lease expires and its job runs again;
 * callbacks fire once per event even with several workers and several polling clients; retry,
 * ignore, cancel and priority; the result cache and staleness.
 */
const ITEMS = 10;
// both clients of the callback test may run command callbacks (a local choice, never a database's)
process.env.JOINERY_ALLOW_COMMAND_CALLBACKS = '1';

async function reset(s: JobsSetup): Promise<void> {
  for (const t of [
    '__summary__digit',
    '__summary',
    '__square',
    '~jobs',
    '~joinery_lease',
    '~joinery_run',
    '~joinery_provenance',
    '~joinery_cache',
    '~joinery_callback',
  ]) {
    await s.db.execute(`DELETE FROM ${s.t(t)}`).catch(() => {});
  }
  await s.db.execute(`DELETE FROM ${s.t('item')} WHERE item_id >= ${ITEMS}`);
}

/** A `~jobs` row exactly as DataJoint 0.14's jobs.reserve / jobs.error / jobs.ignore write it. */
async function writeDataJointJob(
  s: JobsSetup,
  itemId: number,
  status: 'reserved' | 'error' | 'ignore',
): Promise<string> {
  const keyHash = createHash('md5').update(String(itemId)).digest('hex'); // key_hash({'item_id': n}) = md5(str(n))
  const errorStack =
    status === 'error' ? Buffer.from(encodeBlob('Traceback (most recent call last):\nValueError: bad')) : null;
  await s.db.execute(
    `INSERT INTO ${s.t('~jobs')} (${columns(s.db.dialect, DJ_JOBS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      '__square',
      keyHash,
      status,
      Buffer.from(encodeBlob({ item_id: itemId })),
      status === 'error' ? 'ValueError: bad' : '',
      errorStack,
      'dj@localhost',
      'dj-host',
      4242,
      7,
    ],
  );
  return keyHash;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error('timed out');
}

describe.each(ENGINES)('jobs beside other clients on $name', (engine) => {
  let s: JobsSetup;
  let executed: string[] = [];

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'interop');
    await declareItems(s, ITEMS);
    await ensureJobTables(s.db, s.schema);
    const inline = s.core.hooks.inline;
    inline.register('square', ({ key }: InlineContext) => {
      executed.push(String(key.item_id));
      return { rows: [{ value: Number(key.item_id) ** 2 }] };
    });
    inline.register('squareBut7', ({ key }: InlineContext) => {
      if (key.item_id === 7) throw new Error('seven is bad');
      return { rows: [{ value: Number(key.item_id) ** 2 }] };
    });
    inline.register('wait', async ({ key, signal }: InlineContext) => {
      writeFileSync(path.join(s.dir, `started-${String(key.item_id)}`), '');
      await new Promise((_r, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
      );
    });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    if (engine.skip) return;
    executed = [];
    for (const f of readdirSync(s.dir)) if (f.startsWith('started-')) rmSync(path.join(s.dir, f));
    await reset(s);
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
  });

  it.skipIf(engine.skip)(
    'keys held by ~jobs rows written the way DataJoint Python writes them are skipped, and those rows are left alone',
    async () => {
      const held = [
        await writeDataJointJob(s, 1, 'reserved'),
        await writeDataJointJob(s, 2, 'error'),
        await writeDataJointJob(s, 3, 'ignore'),
      ];
      expect(held[0]).toBe(
        hashCanonicalKey({ item_id: 1 }, await s.core.services.pipeline.table(s.connectionId, s.schema, '__square')),
      );
      const summary = await s.populate({ schema: s.schema, table: '__square', lease_s: 0.5, workers: 2 });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS - 3, failed: 0 });
      expect(executed.sort()).toEqual(['0', '4', '5', '6', '7', '8', '9']);
      const rows = await s.db.query(
        `SELECT ${columns(s.db.dialect, ['key_hash', 'status', 'user', 'host', 'pid'])} FROM ${s.t('~jobs')}`,
      );
      expect(rows.map((r) => [r.status, r.user, r.host, Number(r.pid)]).sort()).toEqual([
        ['error', 'dj@localhost', 'dj-host', 4242],
        ['ignore', 'dj@localhost', 'dj-host', 4242],
        ['reserved', 'dj@localhost', 'dj-host', 4242],
      ]);
      const listed = (await s.call('jobs.list', { schemas: [s.schema] })).jobs;
      expect(listed.map((j) => [j.status, j.key, j.joinery])).toEqual(
        expect.arrayContaining([
          ['reserved', { item_id: 1 }, false],
          ['error', { item_id: 2 }, false],
          ['ignore', { item_id: 3 }, false],
        ]),
      );
      const pending = (await s.call('jobs.pending', { schemas: [s.schema] })).tables.find(
        (t) => t.table_name === '__square',
      )!;
      expect(pending).toMatchObject({
        pending_count: 3,
        pending_excluding_jobs_count: 0,
        jobs_by_status: { reserved: 1, error: 1, ignore: 1 },
      });
    },
  );

  it.skipIf(engine.skip)(
    "Joinery's reservations are DataJoint's: reserved rows with the key blob, user, host and pid",
    async () => {
      const tables = await s.core.services.pipeline.tables(s.connectionId);
      const tasks = new Map([...(await readTasks(s.db, s.schema)).values()].map((t) => [`${s.schema}.${t.table}`, t]));
      const [tj] = buildTableJobs(s.db.dialect, tables, tasks, { schema: s.schema, table: '__square' }).jobs;
      const who = { id: 'dead-worker', host: 'gone-host', pid: 999_999, user: 'me' };
      const key = { item_id: 5 };
      const res = await claimJobs(
        s.db,
        tj!,
        [{ key, keyHash: hashCanonicalKey(key, tj!.table), priority: 0, known: false }],
        who,
        Date.now(),
        300,
      );
      expect(res.claimed).toHaveLength(1);
      const [row] = await s.db.query(
        `SELECT status, \`key\` AS k, host, pid FROM ${s.t('~jobs')}`.replaceAll(
          '`',
          s.db.dialect.name === 'mysql' ? '`' : '"',
        ),
      );
      expect(row).toMatchObject({ status: 'reserved', host: 'gone-host' });
      expect(Buffer.from(row!.k as Buffer).equals(Buffer.from(encodeBlob({ item_id: 5 })))).toBe(true);
      // that worker never renews its lease: after it expires the job returns to the queue and runs once
      await new Promise((r) => setTimeout(r, 400));
      const summary = await s.populate({ schema: s.schema, table: '__square', lease_s: 1 });
      expect(summary.tables[0]).toMatchObject({ done: ITEMS, failed: 0 });
      expect(executed.filter((k) => k === '5')).toEqual(['5']);
      const runs = (
        await s.call('jobs.runs', { schema: s.schema, table: '__square', key_hash: res.claimed[0]!.keyHash })
      ).runs;
      expect(runs.map((r) => [r.status, r.worker]).sort()).toEqual([
        ['lost', 'dead-worker'],
        ['success', expect.any(String)],
      ]);
      expect(await s.count('~jobs')).toBe(0);
    },
  );

  it.skipIf(engine.skip)(
    'callbacks fire once per event: job successes and failures with two workers, inserts noticed by two polling clients',
    async () => {
      const log = path.join(s.dir, `events-${Date.now()}.jsonl`);
      const cmd = `printf '%s\\n' "$JOINERY_EVENT" >> '${log}'`;
      for (const event of ['success', 'failure'] as const)
        await s.call('jobs.addCallback', {
          schema: s.schema,
          table: '__square',
          event,
          action: 'command',
          target: cmd,
        });
      await s.call('jobs.addCallback', {
        schema: s.schema,
        table: 'item',
        event: 'insert',
        action: 'command',
        target: cmd,
      });
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'squareBut7' } });
      await s.populate({ schema: s.schema, table: '__square', workers: 2, batch: 2, allow_command_callbacks: true });
      const read = () =>
        existsSync(log)
          ? readFileSync(log, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as Record<string, unknown>)
          : [];
      const jobs = read();
      expect(
        jobs
          .filter((e) => e.event === 'success')
          .map((e) => (e.key as { item_id: number }).item_id)
          .sort((a, b) => a - b),
      ).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9]);
      expect(jobs.filter((e) => e.event === 'failure')).toEqual([
        expect.objectContaining({ key: { item_id: 7 }, error_message: 'Error: seven is bad', table: '__square' }),
      ]);

      // a second client watching the same database: an insert is announced by exactly one of them
      const other = await openJobsSetup(engine.name, 'other');
      try {
        const open = await other.core.dispatch(
          'connection.open',
          { url: s.url },
          { transport: 'in-process', host: 'cli' },
        );
        if (!open.ok) throw new Error(open.error.message);
        const clients = [
          { core: s.core, id: s.connectionId },
          { core: other.core, id: (open.value as { id: string }).id },
        ];
        for (const c of clients)
          await c.core.dispatch(
            'jobs.watch',
            { connectionId: c.id, interval_ms: 3_600_000 },
            { transport: 'in-process', host: 'cli' },
          );
        await s.call('data.insert', {
          schema: s.schema,
          table: 'item',
          rows: [
            { item_id: ITEMS, x: 0 },
            { item_id: ITEMS + 1, x: 0 },
          ],
        });
        await s.core.services.callbacks.idle();
        await s.db.execute(`INSERT INTO ${s.t('item')} (item_id, x) VALUES (${ITEMS + 2}, 0)`); // another client's insert
        for (let i = 0; i < 2; i++) for (const c of clients) await c.core.services.watch.pollNow(c.id);
        for (const c of clients) await c.core.services.callbacks.idle();
        const inserts = read().filter((e) => e.event === 'insert');
        expect(inserts.map((e) => [e.rows_before, e.rows_after])).toEqual([
          [ITEMS, ITEMS + 2],
          [ITEMS + 2, ITEMS + 3],
        ]);
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(engine.skip)('retry, ignore, cancel and priority', async () => {
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'squareBut7' } });
    await s.populate({ schema: s.schema, table: '__square' });
    expect((await s.call('jobs.list', { schemas: [s.schema], status: 'error' })).jobs.map((j) => j.key)).toEqual([
      { item_id: 7 },
    ]);
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
    expect((await s.call('jobs.retry', { schema: s.schema, table: '__square', keys: [{ item_id: 7 }] })).count).toBe(1);
    await s.call('data.insert', {
      schema: s.schema,
      table: 'item',
      rows: [
        { item_id: ITEMS, x: 0 },
        { item_id: ITEMS + 1, x: 0 },
        { item_id: ITEMS + 2, x: 0 },
      ],
    });
    expect(
      (await s.call('jobs.ignore', { schema: s.schema, table: '__square', keys: [{ item_id: ITEMS }] })).count,
    ).toBe(1);
    expect(
      (
        await s.call('jobs.setPriority', {
          schema: s.schema,
          table: '__square',
          keys: [{ item_id: ITEMS + 2 }],
          priority: 5,
        })
      ).count,
    ).toBe(1);
    executed = [];
    await s.populate({ schema: s.schema, table: '__square', batch: 1 });
    expect(executed).toEqual([String(ITEMS + 2), expect.any(String), expect.any(String)]);
    expect(executed.sort()).toEqual(['11', '12', '7']);
    expect((await s.call('jobs.list', { schemas: [s.schema] })).jobs.map((j) => [j.status, j.key])).toEqual([
      ['ignore', { item_id: ITEMS }],
    ]);

    // cancel a running job: its worker stops it at the next heartbeat and records a CancelledError
    await s.call('jobs.retry', { schema: s.schema, table: '__square', status: 'ignore' });
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'wait' } });
    const { populateId } = await s.call('jobs.populate', { schema: s.schema, table: '__square', lease_s: 0.6 });
    const marker = path.join(s.dir, `started-${ITEMS}`);
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
    expect(
      (await s.call('jobs.cancel', { schema: s.schema, table: '__square', keys: [{ item_id: ITEMS }] })).count,
    ).toBe(1);
    const summary = await s.core.services.populate.wait(populateId);
    expect(summary.errors).toEqual([
      expect.objectContaining({ key: { item_id: ITEMS }, message: 'CancelledError: cancelled by a user' }),
    ]);
  });

  it.skipIf(engine.skip)(
    'stopping with release gives running and claimed jobs back at once, without using their retry budget',
    async () => {
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'wait', retries: 0 } });
      const { populateId } = await s.call('jobs.populate', { schema: s.schema, table: '__square', batch: 4 });
      await until(() => readdirSync(s.dir).some((f) => f.startsWith('started-')));
      s.core.services.populate.stop({ populateId, mode: 'release' });
      const summary = await s.core.services.populate.wait(populateId);
      expect(summary.tables[0]).toMatchObject({ done: 0, failed: 0 });
      expect(await s.count('~jobs')).toBe(0);
      const leases = await s.db.query(`SELECT state, failures FROM ${s.t('~joinery_lease')}`);
      expect(leases.length).toBeGreaterThan(0);
      expect(leases.every((l) => l.state === 'waiting' && Number(l.failures) === 0)).toBe(true);
      expect((await s.call('jobs.runs', { schema: s.schema, table: '__square' })).runs.map((r) => r.status)).toEqual([
        'released',
      ]);
    },
  );

  it.skipIf(engine.skip)(
    'a key computed meanwhile by a client that does not reserve is skipped, not failed',
    async () => {
      s.core.hooks.inline.register('raced', async ({ key }: InlineContext) => {
        await s.db.execute(`INSERT INTO ${s.t('__square')} (item_id, value) VALUES (?, 0)`, [key.item_id]);
        return { rows: [{ value: 1 }] };
      });
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'raced' } });
      const summary = await s.populate({
        schema: s.schema,
        table: '__square',
        restriction: [{ item_id: 1 }, { item_id: 2 }],
      });
      expect(summary.tables[0]).toMatchObject({ done: 0, failed: 0, skipped: 2 });
      expect(await s.count('~jobs')).toBe(0);
      expect(await s.count('~joinery_lease')).toBe(0);
    },
  );

  it.skipIf(engine.skip)('webhooks receive job events as JSON', async () => {
    const got: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        got.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const cb = await s.call('jobs.addCallback', {
        schema: s.schema,
        table: '__square',
        event: 'success',
        action: 'webhook',
        target: url,
      });
      await s.populate({ schema: s.schema, table: '__square', restriction: [{ item_id: 1 }, { item_id: 2 }] });
      expect(got.map((e) => (e as { key: unknown }).key)).toEqual(
        expect.arrayContaining([{ item_id: 1 }, { item_id: 2 }]),
      );
      expect(got).toHaveLength(2);
      expect(got[0]).toMatchObject({ event: 'success', table: '__square', schema: s.schema, attempt: 1 });
      await s.call('jobs.removeCallback', { schema: s.schema, callback_id: cb.callback_id });
    } finally {
      server.close();
    }
  });

  it.skipIf(engine.skip)('a webhook that fails is tried again with the same delivery id', async () => {
    const got: { delivery_id: string; key: unknown }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        got.push(JSON.parse(body));
        res.statusCode = got.length === 1 ? 503 : 200; // down for the first attempt only
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const cb = await s.call('jobs.addCallback', {
        schema: s.schema,
        table: '__square',
        event: 'success',
        action: 'webhook',
        target: url,
      });
      await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 3 } });
      await s.core.services.callbacks.idle();
      expect(got).toHaveLength(2);
      expect(got[1]!.delivery_id).toBe(got[0]!.delivery_id);
      expect(got[1]!.key).toEqual({ item_id: 3 });
      await s.call('jobs.removeCallback', { schema: s.schema, callback_id: cb.callback_id });
    } finally {
      server.close();
    }
  });

  it.skipIf(engine.skip)(
    'cached tasks reuse results of unchanged inputs; jobs.stale lists rows whose inputs or task changed',
    async () => {
      await s.call('task.set', {
        schema: s.schema,
        table: '__square',
        spec: { inline: 'square', cache: true, inputs: [{ table: `${s.schema}.item`, attributes: ['x'] }] },
      });
      await s.populate({ schema: s.schema, table: '__square' });
      expect(executed).toHaveLength(ITEMS);
      await s.db.execute(`DELETE FROM ${s.t('__square')} WHERE item_id IN (1, 2)`);
      await s.db.execute(`UPDATE ${s.t('item')} SET x = 99 WHERE item_id = 2`);
      executed = [];
      const again = await s.populate({ schema: s.schema, table: '__square' });
      expect(again.tables[0]).toMatchObject({ done: 2, cached: 1 });
      expect(executed).toEqual(['2']);
      expect((await s.call('jobs.stale', { schema: s.schema })).rows).toEqual([]);
      await s.db.execute(`UPDATE ${s.t('item')} SET x = 5 WHERE item_id = 3`);
      expect((await s.call('jobs.stale', { schema: s.schema })).rows.map((r) => [r.key, r.reason])).toEqual([
        [{ item_id: 3 }, 'inputs'],
      ]);
      await s.call('task.set', {
        schema: s.schema,
        table: '__square',
        spec: { inline: 'square', cache: true, inputs: [{ table: `${s.schema}.item` }] },
      });
      expect((await s.call('jobs.stale', { schema: s.schema })).rows.filter((r) => r.reason === 'task')).toHaveLength(
        ITEMS,
      );
    },
  );
});
