import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PopulateSummary } from '../../../shared/api/schemas/jobs';
import { declareItems, ENGINES, INLINE_MODULE, JOINERY_BIN, openJobsSetup, type JobsSetup } from './support';

/**
 * Real worker processes (`joinery populate`) competing for the same keys: every key is computed
 * exactly once with 4 processes x 2000 keys, and a worker killed with SIGKILL in the middle of a
 * job loses its lease, after which another worker computes that key, once.
 */
const KEYS = 2000;
const WORKERS = 4;

interface Worker {
  child: ChildProcess;
  done: Promise<{ status: number | null; stdout: string; stderr: string }>;
}

function startWorker(s: JobsSetup, args: string[]): Worker {
  const child = spawn(
    process.execPath,
    [
      JOINERY_BIN,
      'populate',
      '--db',
      s.url,
      '--schema',
      s.schema,
      '--table',
      '__square',
      '--runner',
      'inline',
      '--inline',
      INLINE_MODULE,
      '--json',
      ...args,
    ],
    {
      env: { ...process.env, JOINERY_DATA_DIR: s.dir, JOINERY_TEST_DIR: s.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
  return { child, done };
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(ENGINES)('worker processes on $name', (engine) => {
  let s: JobsSetup;

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'proc');
    await declareItems(s, KEYS);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it.skipIf(engine.skip)(
    `every key exactly once with ${WORKERS} worker processes x ${KEYS} keys`,
    async () => {
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'squareAfterGo' } });
      const workers = Array.from({ length: WORKERS }, () => startWorker(s, ['--lease', '20']));
      await until(
        () => readdirSync(s.dir).filter((f) => f.startsWith('ready-')).length >= WORKERS,
        60_000,
        'the workers to start',
      );
      writeFileSync(path.join(s.dir, 'go'), '');
      const results = await Promise.all(workers.map((w) => w.done));
      for (const r of results) expect(r.status, r.stderr).toBe(0);
      const summaries = results.map((r) => JSON.parse(r.stdout) as PopulateSummary);
      expect(summaries.reduce((n, x) => n + x.executed, 0)).toBe(KEYS);
      expect(summaries.reduce((n, x) => n + x.tables[0]!.done, 0)).toBe(KEYS);
      expect(await s.count('__square')).toBe(KEYS);
      expect(await s.count('__square', `value = item_id * item_id`)).toBe(KEYS);
      const pids = await s.db.query(`SELECT DISTINCT pid FROM ${s.t('__square')}`);
      expect(pids.length).toBeGreaterThan(1);
      expect(await s.count('~joinery_provenance')).toBe(KEYS);
      expect(await s.count('~jobs')).toBe(0);
      expect(await s.count('~joinery_lease')).toBe(0);
      // every attempt succeeded: one run each, no failed or lost ones
      expect(await s.count('~joinery_run', "status <> 'success'")).toBe(0);
      expect(await s.count('~joinery_run', "status = 'success'")).toBe(KEYS);
    },
    180_000,
  );

  it.skipIf(engine.skip)(
    'kill -9 of a worker in the middle of a job: the job completes exactly once after its lease',
    async () => {
      await s.db.execute(`DELETE FROM ${s.t('~joinery_provenance')}`);
      await s.db.execute(`DELETE FROM ${s.t('~joinery_run')}`); // the earlier test's 2000 successful runs
      await s.db.execute(`DELETE FROM ${s.t('__square')} WHERE item_id = 0`);
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'slow' } });
      const a = startWorker(s, ['--lease', '2', '--restrict', 'item_id=0']);
      await until(
        () => existsSync(path.join(s.dir, `started-${a.child.pid}-0`)),
        60_000,
        'the first worker to start the job',
      );
      a.child.kill('SIGKILL');
      expect((await a.done).status).toBe(null);
      const [held] = await s.db.query(`SELECT status, pid FROM ${s.t('~jobs')}`);
      expect(held).toMatchObject({ status: 'reserved' });
      expect(Number(held!.pid)).toBe(a.child.pid);

      writeFileSync(path.join(s.dir, 'release'), '');
      const b = startWorker(s, ['--lease', '2', '--restrict', 'item_id=0', '--wait']);
      const r = await b.done;
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as PopulateSummary).tables[0]).toMatchObject({ done: 1, failed: 0 });
      const rows = await s.db.query(`SELECT pid FROM ${s.t('__square')} WHERE item_id = 0`);
      expect(rows.map((x) => Number(x.pid))).toEqual([b.child.pid]);
      const runs = (await s.call('jobs.runs', { schema: s.schema, table: '__square', limit: 10 })).runs;
      expect(runs.map((x) => [x.status, x.attempt, x.worker.split(':')[1]])).toEqual([
        ['success', 2, String(b.child.pid)],
        ['lost', 1, String(a.child.pid)],
      ]);
      expect(await s.count('~jobs')).toBe(0);
      expect(await s.count('~joinery_lease')).toBe(0);
    },
    120_000,
  );

  it.skipIf(engine.skip)(
    'SIGTERM gives the job in hand back at once, without using its retry budget',
    async () => {
      await s.db.execute(`DELETE FROM ${s.t('__square')} WHERE item_id = 1`);
      rmSync(path.join(s.dir, 'release'), { force: true });
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'slow', retries: 0 } });
      const w = startWorker(s, ['--lease', '30', '--restrict', 'item_id=1']);
      await until(
        () => existsSync(path.join(s.dir, `started-${w.child.pid}-1`)),
        60_000,
        'the worker to start the job',
      );
      w.child.kill('SIGTERM');
      const r = await w.done;
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/stopping; the jobs in hand are given back/);
      expect(await s.count('~jobs')).toBe(0);
      const [lease] = await s.db.query(`SELECT state, failures FROM ${s.t('~joinery_lease')}`);
      expect(lease).toMatchObject({ state: 'waiting' });
      expect(Number(lease!.failures)).toBe(0);
    },
    120_000,
  );
});
