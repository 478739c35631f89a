import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DonationPolicy, type DonationPolicy as Policy } from '../../../shared/api/schemas/worker';
import { JOB_LABEL, WORKER_LABEL } from '../../../electron/core/worker/docker/container-run';
import { WorkerDaemon, type WorkerStatusLine } from '../../../electron/core/worker/worker-daemon';
import { jsonBlobCodec } from '../../../electron/core/data/blob-values';
import { silentLogger } from '../../../electron/core/log';
import { openJobsSetup, type JobsSetup } from '../jobs/support';
import { isSkipped } from '../../support/env';

const docker = new Docker();
const hardware = {
  hostname: 'desk-7',
  cpu: { model: 'test', cores: 2, threads: 2, speedGHz: 2 },
  memoryBytes: 4 * 1024 ** 3,
  gpus: [],
  os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64' },
  docker: { available: true, version: '20.10', problem: null },
  diskFreeBytes: 1e10,
};

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The owner's policy decides when a donated desktop works, and what happens when the owner comes back. */
describe.skipIf(isSkipped('docker'))('donation policy on a desktop worker', () => {
  let s: JobsSetup;
  let idle = 3600;
  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'policy');
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
        command: ['sh', '-c', 'sleep 3; echo \'{"rows":[{"y":1}]}\' > /joinery/out/result.json'],
        resources: { cpus: 1, memory: '32M' },
        retries: 0,
      },
    });
    await s.call('data.insert', { schema: s.schema, table: 'item', rows: [{ item_id: 1 }] });
  });
  afterAll(async () => {
    await s?.close();
  });

  // containers are found by this file's worker ids: other test files run the same job names concurrently
  let workerId = '';
  // a test that fails midway must not leave its daemon working beside the next test's
  const started: WorkerDaemon[] = [];
  afterEach(async () => {
    for (const d of started.splice(0)) if (d.current().state !== 'stopped') await d.stop('release');
  });
  function daemon(policy: Partial<Policy>, statuses: WorkerStatusLine[]) {
    workerId = `pol-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
    const d = new WorkerDaemon(
      {
        db: s.db,
        docker,
        workerId,
        version: 'test',
        hardware,
        blobs: jsonBlobCodec,
        log: silentLogger,
        tables: () => s.core.services.pipeline.tables(s.connectionId),
        idleSeconds: () => idle,
        onStatus: (x) => statuses.push(x),
      },
      {
        policy: DonationPolicy.parse({ idleOnly: true, idleMinutes: 5, ...policy }),
        limits: {},
        once: false,
        schemas: [s.schema],
        leaseS: 30,
        tickMs: 200,
        pollMs: 200,
      },
    );
    started.push(d);
    return d;
  }
  const container = async () =>
    (
      await docker.listContainers({
        all: true,
        filters: {
          label: [
            `${JOB_LABEL}=${s.schema}.__slow/${'c4ca4238a0b923820dcc509a6f75849b'}`,
            `${WORKER_LABEL}=${workerId}`,
          ],
        },
      })
    )[0];

  it('waits while the owner is active and says why; works when the owner is away', async () => {
    idle = 30;
    const statuses: WorkerStatusLine[] = [];
    const d = daemon({}, statuses);
    await d.start();
    await new Promise((r) => setTimeout(r, 600));
    expect(d.current()).toMatchObject({
      state: 'waiting',
      reason: expect.stringMatching(/owner is active \(last input 30 s ago; waits for 5 min idle\)/),
    });
    expect(await container()).toBeUndefined();
    idle = 3600;
    await until('the job to start', async () => (await container()) !== undefined);
    await until('the job to finish', async () => (await s.count('__slow')) === 1);
    await d.stop('finish');
    expect(statuses.map((x) => x.state)).toEqual(expect.arrayContaining(['waiting', 'working', 'stopped']));
  });

  /** A fresh run of the slow job on a daemon with this policy; the owner comes back once its container runs. */
  async function ownerReturnsMidJob(onOwnerReturn: Policy['onOwnerReturn']): Promise<WorkerDaemon> {
    await s.db.execute(`DELETE FROM ${s.t('__slow')}`);
    idle = 3600;
    const d = daemon({ onOwnerReturn }, []);
    await d.start();
    await until('the job to start', async () => (await container())?.State === 'running');
    idle = 2;
    return d;
  }

  it('pauses its containers when the owner comes back, and resumes them when the owner leaves', async () => {
    const d = await ownerReturnsMidJob('suspend');
    await until('the container to be paused', async () => (await container())?.State === 'paused');
    // the tick that paused the container states so once it has finished
    await until('the status to say so', () => d.current().state === 'paused', 5_000);
    expect(d.current()).toMatchObject({
      state: 'paused',
      reason: expect.stringMatching(/^Suspended 1 job: The owner is active/),
    });
    idle = 3600;
    await until('the job to finish after resuming', async () => (await s.count('__slow')) === 1);
    await d.stop('finish');
  });

  it('hands the job back without spending its retries when the policy says requeue', async () => {
    const d = await ownerReturnsMidJob('requeue');
    await until('the container to go', async () => (await container()) === undefined);
    await until('the reservation to be released, not turned into an error', async () => (await s.count('~jobs')) === 0);
    const runs = await s.db.query<{ status: string }>(
      `SELECT status FROM ${s.t('~joinery_run')} WHERE status <> 'success' ORDER BY run_id DESC LIMIT 1`,
    );
    expect(runs[0]?.status).toBe('released');
    idle = 3600;
    await until('the job to run again and finish', async () => (await s.count('__slow')) === 1);
    await d.stop('finish');
  });

  it('takes nothing while paused by the owner', async () => {
    await s.db.execute(`DELETE FROM ${s.t('__slow')}`);
    const d = daemon({ paused: true, idleOnly: false }, []);
    await d.start();
    await new Promise((r) => setTimeout(r, 600));
    expect(d.current()).toMatchObject({ state: 'waiting', reason: 'Paused by the owner.' });
    expect(await container()).toBeUndefined();
    d.setPolicy(DonationPolicy.parse({}));
    await until('the job to finish once unpaused', async () => (await s.count('__slow')) === 1);
    await d.stop('finish');
  });
});
