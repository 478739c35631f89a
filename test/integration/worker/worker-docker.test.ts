import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DonationPolicy } from '../../../shared/api/schemas/worker';
import { JOB_LABEL, WORKER_LABEL } from '../../../electron/core/worker/docker/container-run';
import { JOINERY_BIN, openJobsSetup, type JobsSetup } from '../jobs/support';
import { isSkipped } from '../../support/env';

const IMAGE = 'lab/busybox:1';
/** y = 10 * item_id, computed inside the container from /joinery/in/key.json. */
const TIMES_TEN = [
  'sh',
  '-c',
  'id=$(sed -n "s/.*\\"item_id\\": *\\([0-9]*\\).*/\\1/p" /joinery/in/key.json); echo "{\\"rows\\":[{\\"y\\":$((id*10))}]}" > /joinery/out/result.json; echo computed $id',
];
const docker = new Docker();

function declare(s: JobsSetup, tables: string[]) {
  return s.call('table.declare', {
    tables: [
      { schema: s.schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int\n---\nx = 0 : int' },
      ...tables.map((name) => ({
        schema: s.schema,
        class_name: name,
        tier: 'Computed' as const,
        definition: '-> Item\n---\ny : int',
      })),
    ],
  });
}

/** Sets the task of `table` as the only task of the schema, so each test's worker sees its own jobs only. */
async function task(s: JobsSetup, table: string, spec: Record<string, unknown>) {
  for (const t of (await s.call('task.list', { schemas: [s.schema] })).tasks)
    await s.call('task.delete', { schema: t.schema, table: t.table });
  await s.call('task.set', {
    schema: s.schema,
    table,
    spec: { image: IMAGE, command: TIMES_TEN, resources: { cpus: 1, memory: '64M' }, ...spec },
  });
}

async function errorOf(s: JobsSetup, table: string): Promise<string[]> {
  const rows = await s.db.query<{ m: string }>(
    `SELECT error_message AS m FROM ${s.t('~jobs')} WHERE table_name = ? AND status = 'error'`,
    [table],
  );
  return rows.map((r) => r.m);
}

/** `joinery worker` as a separate process (as on a lab server). */
function workerProcess(
  s: JobsSetup,
  args: string[],
  dataDir: string,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [JOINERY_BIN, 'worker', '--db', s.url, '--schema', s.schema, ...args], {
    env: { ...process.env, JOINERY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => out, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

/** A local webhook receiver for callback events; closed when the test ends. */
async function webhook(): Promise<{ url: string; events: Record<string, unknown>[] }> {
  const events: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      events.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => {
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A donated worker on the real Docker engine and MariaDB or PostgreSQL: matching, limits, failures, crashes. */
const SERVERS = (['mysql', 'postgres'] as const).filter((name) => !isSkipped(name));

describe.skipIf(isSkipped('docker')).each(SERVERS)('workers running jobs in Docker on %s', (engine) => {
  let s: JobsSetup;
  beforeAll(async () => {
    s = await openJobsSetup(engine, 'worker');
    await declare(s, ['Ten', 'Greedy', 'Slow', 'Ghost', 'Cuda', 'Parallel', 'Crash']);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const runOnce = async (limits = {}, allowCommandCallbacks = false) => {
    const d = await s.core.services.worker.run({
      connectionId: s.connectionId,
      policy: DonationPolicy.parse({}),
      limits,
      once: true,
      schemas: [s.schema],
      workerId: `t-${process.pid}`,
      leaseS: 10,
      tickMs: 500,
      allowCommandCallbacks,
    });
    await d.stopped;
    return d.current();
  };

  it('runs a 1 CPU / 64 MB job in the local busybox image and inserts its result with provenance', async () => {
    await task(s, '__ten', {});
    const hook = await webhook();
    await s.call('jobs.addCallback', {
      schema: s.schema,
      table: '__ten',
      event: 'success',
      action: 'webhook',
      target: hook.url,
    });
    const commandLog = path.join(s.dir, 'ten-events.jsonl');
    await s.call('jobs.addCallback', {
      schema: s.schema,
      table: '__ten',
      event: 'success',
      action: 'command',
      target: `printf '%s\\n' "$JOINERY_EVENT" >> '${commandLog}'`,
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: 'item',
      rows: [{ item_id: 1 }, { item_id: 2 }, { item_id: 3 }],
    });
    await runOnce();
    // the worker sends the table's success callbacks, once per job, before it stops
    expect(hook.events.map((e) => e.key)).toEqual(
      expect.arrayContaining([{ item_id: 1 }, { item_id: 2 }, { item_id: 3 }]),
    );
    expect(hook.events).toHaveLength(3);
    expect(hook.events[0]).toMatchObject({ event: 'success', table: '__ten', worker_id: `t-${process.pid}` });
    expect(existsSync(commandLog)).toBe(false); // command callbacks only where the local user allowed them
    const rows = await s.db.query<{ item_id: number; y: number }>(
      `SELECT item_id, y FROM ${s.t('__ten')} ORDER BY item_id`,
    );
    expect(rows).toEqual([
      { item_id: 1, y: 10 },
      { item_id: 2, y: 20 },
      { item_id: 3, y: 30 },
    ]);
    const prov = await s.db.query<{ code_hash: string; runner: string; log_tail: string }>(
      `SELECT code_hash, runner, log_tail FROM ${s.t('~joinery_provenance')} WHERE table_name = '__ten'`,
    );
    expect(prov).toHaveLength(3);
    const image = await docker.getImage(IMAGE).inspect();
    expect(prov.every((p) => p.code_hash === image.Id && p.runner === 'docker')).toBe(true);
    expect(prov.map((p) => p.log_tail).join('\n')).toMatch(/computed \d/);
  });

  it('reports a job that exceeds its memory as out of memory', async () => {
    await task(s, '__greedy', {
      command: ['sh', '-c', 'head -c 200000000 /dev/zero | tail -c 150000000 > /dev/null'],
      resources: { cpus: 1, memory: '32M' },
    });
    await runOnce();
    expect(await errorOf(s, '__greedy')).toEqual(
      Array(3).fill(expect.stringMatching(/^OutOfMemoryError: the container ran out of memory \(limit 32 MB\)/)),
    );
  });

  it('kills and reports a job that runs past its time limit', async () => {
    await task(s, '__slow', { command: ['sleep', '60'], timeout_s: 2 });
    const t0 = Date.now();
    await runOnce();
    expect(Date.now() - t0).toBeLessThan(40_000);
    expect(await errorOf(s, '__slow')).toEqual(Array(3).fill(expect.stringMatching(/^TimeoutError: /)));
    const left = await docker.listContainers({ all: true, filters: { label: [`${WORKER_LABEL}=t-${process.pid}`] } });
    expect(left).toEqual([]);
  });

  it('names a missing image', async () => {
    await task(s, '__ghost', { image: 'lab/not-loaded-here:7' });
    const hook = await webhook();
    await s.call('jobs.addCallback', {
      schema: s.schema,
      table: '__ghost',
      event: 'failure',
      action: 'webhook',
      target: hook.url,
    });
    const commandLog = path.join(s.dir, 'ghost-events.jsonl');
    await s.call('jobs.addCallback', {
      schema: s.schema,
      table: '__ghost',
      event: 'failure',
      action: 'command',
      target: `printf '%s\\n' "$JOINERY_EVENT" >> '${commandLog}'`,
    });
    await runOnce({}, true);
    expect(
      readFileSync(commandLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).event),
    ).toEqual(['failure', 'failure', 'failure']);
    expect(await errorOf(s, '__ghost')).toEqual(
      Array(3).fill(expect.stringMatching(/lab\/not-loaded-here:7 is not on this machine/)),
    );
    expect(hook.events).toHaveLength(3);
    expect(hook.events.every((e) => e.event === 'failure' && /not-loaded-here/.test(String(e.error_message)))).toBe(
      true,
    );
  });

  it('leaves GPU jobs to GPU workers and says why', async () => {
    await task(s, '__cuda', { resources: { cpus: 1, memory: '64M', gpus: 1 } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-w-'));
    const w = workerProcess(s, ['--once', '--gpus', 'none', '--worker-id', `gpu-${process.pid}`], dir);
    expect(await w.exited).toBe(0);
    expect(w.output()).toMatch(/cannot take: .*__cuda \(it needs 1 GPU and none is free here\)/);
    expect(await s.count('__cuda')).toBe(0);
    const held = await s.db.query(`SELECT 1 FROM ${s.t('~jobs')} WHERE table_name = '__cuda'`);
    expect(held).toEqual([]);
  });

  it('two workers with one slot each share 10 jobs, each done once', async () => {
    await task(s, '__parallel', {});
    await s.call('data.insert', {
      schema: s.schema,
      table: 'item',
      rows: Array.from({ length: 7 }, (_, i) => ({ item_id: 10 + i })),
    });
    const workers = ['a', 'b'].map((n) =>
      workerProcess(
        s,
        ['--once', '--cpus', '1', '--worker-id', `${n}-${process.pid}`, '--lease', '10'],
        mkdtempSync(path.join(os.tmpdir(), 'joinery-w-')),
      ),
    );
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    expect(await s.count('__parallel')).toBe(10);
    expect(await s.count('~joinery_provenance', "table_name = '__parallel'")).toBe(10);
    const runs = workers.map((w) => (w.output().match(/^\S+\s+done\s+\S+__parallel/gm) ?? []).length);
    expect(runs[0]! + runs[1]!).toBe(10);
  }, 120_000);

  it('after kill -9 of a worker, its container is removed at its next start and the job runs exactly once', async () => {
    // item 1 takes a while (the job to kill mid-run); the others are quick
    await task(s, '__crash', {
      command: ['sh', '-c', `grep -q '"item_id": 1$' /joinery/in/key.json && sleep 6; ${TIMES_TEN[2]}`],
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-w-'));
    const id = `crash-${process.pid}`;
    const first = workerProcess(s, ['--worker-id', id, '--lease', '3', '--cpus', '1'], dir);
    const itemOne = `${s.schema}.__crash/${createHash('md5').update('1').digest('hex')}`; // key_hash of {item_id: 1}
    const mine = () => docker.listContainers({ filters: { label: [`${JOB_LABEL}=${itemOne}`] } });
    await until('a running job container', async () => (await mine()).length > 0);
    const orphan = (await mine())[0]!.Id;
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await docker.getContainer(orphan).inspect()).State.Running).toBe(true); // the engine does not know the worker died
    const second = workerProcess(s, ['--worker-id', id, '--lease', '3', '--cpus', '1', '--once'], dir);
    await until(
      'the orphan to be removed',
      async () =>
        !(await docker
          .getContainer(orphan)
          .inspect()
          .then(
            () => true,
            () => false,
          )),
    );
    expect(await second.exited).toBe(0);
    const items = await s.count('item');
    expect(await s.count('__crash')).toBe(items);
    expect(await s.count('~joinery_provenance', "table_name = '__crash'")).toBe(items);
    const lost = await s.db.query<{ status: string }>(
      `SELECT status FROM ${s.t('~joinery_run')} WHERE table_name = '__crash' AND status <> 'success'`,
    );
    expect(lost.map((r) => r.status)).toEqual(['lost']);
  }, 120_000);
});

describe('joinery worker usage errors', () => {
  it.each([
    [['--memory', 'lots'], /--memory must be a size/],
    [['--gpus', 'first'], /--gpus takes all, none or GPU indexes/],
    [['--cpus', '-2'], /--cpus must be a positive number/],
  ])('%j', (args, message) => {
    const r = spawnSync(process.execPath, [JOINERY_BIN, 'worker', '--db', 'sqlite::memory:', ...args], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
