import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DonationPolicy } from '../shared/api/schemas/worker';
import { callCore, createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, uniqueDbName } from '../test/support/mysql';
import { report } from './harness';

/**
 * Wall time per job of the Docker runner — claim, prepare /joinery/in, run the container, read
 * result.json, insert the row with provenance — against `docker run --rm` of the same image and
 * command with the same mounts, in the same run. Jobs run one at a time (a 1-CPU worker).
 */
const JOBS = 20;
const IMAGE = 'lab/busybox:1';
const SCRIPT =
  'id=$(sed -n "s/.*\\"item_id\\": *\\([0-9]*\\).*/\\1/p" /joinery/in/key.json); echo "{\\"rows\\":[{\\"y\\":$((id*10))}]}" > /joinery/out/result.json';

const call = callCore;

/** `docker run --rm` JOBS times, each with a fresh in/out folder like the runner's. */
function dockerRunBaseline(): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < JOBS; i++) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'joinery-bench-'));
    mkdirSync(path.join(root, 'in'));
    mkdirSync(path.join(root, 'out'));
    chmodSync(path.join(root, 'out'), 0o777);
    writeFileSync(path.join(root, 'in', 'key.json'), JSON.stringify({ item_id: i }, null, 1));
    const r = spawnSync('docker', [
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      '65534:65534',
      '--cpus',
      '1',
      '--memory',
      '64m',
      '-v',
      `${root}/in:/joinery/in:ro`,
      '-v',
      `${root}/out:/joinery/out`,
      IMAGE,
      'sh',
      '-c',
      SCRIPT,
    ]);
    if (r.status !== 0) throw new Error(`docker run failed: ${r.stderr}`);
    rmSync(root, { recursive: true, force: true });
  }
  return Number(process.hrtime.bigint() - t0) / 1e9 / JOBS;
}

const { core } = createTestCore();
const schema = uniqueDbName('jb_docker');
try {
  const { id: connectionId } = (await call(core, 'connection.open', { url: MYSQL_URL })) as { id: string };
  await call(core, 'table.declare', {
    connectionId,
    tables: [
      { schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int' },
      { schema, class_name: 'Ten', tier: 'Computed', definition: '-> Item\n---\ny : int' },
    ],
  });
  await call(core, 'task.set', {
    connectionId,
    schema,
    table: '__ten',
    spec: { image: IMAGE, command: ['sh', '-c', SCRIPT], resources: { cpus: 1, memory: '64M' } },
  });
  await call(core, 'data.insert', {
    connectionId,
    schema,
    table: 'item',
    rows: Array.from({ length: JOBS }, (_, i) => ({ item_id: i })),
  });
  dockerRunBaseline(); // warm-up: image layers, daemon caches
  const baseline = dockerRunBaseline();
  const t0 = process.hrtime.bigint();
  const daemon = await core.services.worker.run({
    connectionId,
    policy: DonationPolicy.parse({}),
    limits: { cpus: 1 },
    once: true,
    schemas: [schema],
    workerId: `bench-${process.pid}`,
    tickMs: 60_000,
  });
  await daemon.stopped;
  const joinery = Number(process.hrtime.bigint() - t0) / 1e9 / JOBS;
  const db = core.services.connections.driver(connectionId);
  const [done] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.dialect.qualify(schema, '__ten')}`);
  if (Number(done?.n) !== JOBS) throw new Error(`only ${done?.n} of ${JOBS} jobs were done`);
  report({
    bench: 'docker-overhead',
    metric: 'seconds_per_job',
    value: joinery,
    unit: 's',
    baseline: 'docker run --rm of the same image and command, same mounts',
    baseline_value: baseline,
  });
} finally {
  await core.dispose();
  await dropDatabases([schema]);
}
