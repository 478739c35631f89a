import { spawn } from 'node:child_process';
import Docker from 'dockerode';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCore } from '../../../electron/core/container';
import { silentLogger } from '../../../electron/core/log';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { JOINERY_BIN, openJobsSetup, type JobsSetup } from '../jobs/support';
import { isSkipped } from '../../support/env';

const CTX = { transport: 'in-process', host: 'desktop' } as const;

/** The desktop's donation switch through the API, its persisted settings, and SIGTERM on a server worker. */
describe.skipIf(isSkipped('docker'))('workers through the API and the CLI', () => {
  let s: JobsSetup;
  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'wapi');
    await s.call('table.declare', {
      tables: [
        { schema: s.schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int' },
        { schema: s.schema, class_name: 'Slow', tier: 'Computed', definition: '-> Item\n---\ny : int' },
      ],
    });
    await s.call('task.set', {
      schema: s.schema,
      table: '__slow',
      spec: {
        image: 'lab/busybox:1',
        command: ['sh', '-c', 'sleep 2; echo \'{"rows":[{"y":1}]}\' > /joinery/out/result.json'],
        resources: { cpus: 1, memory: '32M' },
      },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('turns donation on and off, lists the worker lab-wide, and remembers the choice across restarts', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-desk-'));
    const make = () =>
      createCore(
        { host: 'desktop', dataDir, defaultDbUrl: `sqlite:${dataDir}/j.db`, version: 't' },
        { secrets: new MemorySecretStore(), log: silentLogger, nativeDialogs: true, idleSeconds: () => 3600 },
      );
    const core = make();
    const call = async (m: string, input: object) => {
      const r = await core.dispatch(m, input, CTX);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as Record<string, unknown>;
    };
    const { id } = await call('connection.open', { url: s.url });
    expect(await call('workers.status', {})).toMatchObject({ running: false, reason: 'Not donating this machine.' });
    await call('workers.setPolicy', {
      policy: {
        idleOnly: true,
        idleMinutes: 1,
        windows: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '00:00' }],
      },
    });
    const started = await call('workers.start', { connectionId: id });
    expect(started).toMatchObject({ running: true });
    const { workers } = (await call('workers.list', { connectionId: id })) as {
      workers: { worker_id: string; online: boolean; policy: { idleOnly: boolean } }[];
    };
    expect(workers.find((w) => w.worker_id === started.workerId)).toMatchObject({
      online: true,
      policy: { idleOnly: true },
    });
    expect(await call('workers.settings', {})).toMatchObject({
      donateTo: s.url,
      policy: { idleOnly: true, idleMinutes: 1 },
    });
    await expect(call('workers.start', { connectionId: id })).rejects.toThrow(/already donating/);
    await call('workers.stop', { mode: 'finish' });
    expect(await call('workers.status', {})).toMatchObject({ running: false, state: 'stopped' });
    expect(await call('workers.settings', {})).toMatchObject({ donateTo: null, policy: { idleOnly: true } });
    await core.dispose();
    const again = make();
    const r = await again.dispatch('workers.settings', {}, CTX);
    expect(r).toMatchObject({ ok: true, value: { policy: { idleOnly: true, idleMinutes: 1 } } });
    await again.dispose();
  });

  it('on SIGTERM, finishes the job in hand and unregisters', { timeout: 60_000 }, async () => {
    await s.call('data.insert', { schema: s.schema, table: 'item', rows: [{ item_id: 1 }] });
    const child = spawn(
      process.execPath,
      [JOINERY_BIN, 'worker', '--db', s.url, '--schema', s.schema, '--worker-id', `term-${process.pid}`],
      { env: { ...process.env, JOINERY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'joinery-w-')) } },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const running = async () =>
      (await new Docker().listContainers({ filters: { label: [`org.joinery.worker=term-${process.pid}`] } })).length >
      0;
    for (let i = 0; i < 200 && !(await running()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await running()).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopping: finishing the jobs in hand/);
    expect(out).toMatch(/done +\S+__slow \{"item_id":1\}/);
    expect(await s.count('__slow')).toBe(1);
    const { workers } = await s.call('workers.list', {});
    expect(workers.some((w) => w.worker_id === `term-${process.pid}`)).toBe(false);
  });
});
