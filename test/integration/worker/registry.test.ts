import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DonationPolicy } from '../../../shared/api/schemas/worker';
import type { DbDriver } from '../../../electron/core/db/driver';
import { BetterSqlite3Driver } from '../../../electron/core/db/sqlite-driver';
import {
  ensureRegistry,
  heartbeat,
  listWorkers,
  registerWorker,
  unregisterWorker,
  WORKER_TABLE,
  type WorkerAdvert,
} from '../../../electron/core/worker/registry';
import { isSkipped } from '../../support/env';
import { openTestMysql } from '../../support/mysql';
import { createTestDatabase, dropTestDatabase, openTestPostgres } from '../../support/postgres';

const hardware = {
  hostname: 'rig-pc-3',
  cpu: { model: 'AMD EPYC', cores: 2, threads: 2, speedGHz: 2.4 },
  memoryBytes: 8e9,
  gpus: [],
  os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64' },
  docker: { available: true, version: '20.10.24', problem: null },
  diskFreeBytes: 1e11,
};
const advert = (id: string): WorkerAdvert => ({
  worker_id: id,
  hostname: 'rig-pc-3',
  owner: 'ana',
  version: '0.1.0',
  hardware,
  labels: { os: 'linux', docker: '20.10.24' },
  policy: DonationPolicy.parse({ idleOnly: true }),
  state: 'ready',
  reason: 'Ready: taking jobs that fit.',
  running_jobs: 0,
});

const pgDatabases: string[] = [];
afterAll(async () => {
  for (const name of pgDatabases) await dropTestDatabase(name);
});

const engines: { name: string; skip: boolean; open: () => Promise<DbDriver> }[] = [
  {
    name: 'sqlite',
    skip: false,
    open: async () =>
      BetterSqlite3Driver.open({
        path: path.join(mkdtempSync(path.join(os.tmpdir(), 'joinery-reg-')), 'r.db'),
        url: 'sqlite:r.db',
      }),
  },
  { name: 'mysql', skip: isSkipped('mysql'), open: openTestMysql },
  {
    name: 'postgres',
    skip: isSkipped('postgres'),
    // a database of its own: the registry's home (`~joinery`) is a schema in it
    open: async () => {
      const { name } = await createTestDatabase('jt_reg');
      pgDatabases.push(name);
      return openTestPostgres(name);
    },
  },
];

/** Workers register lab-wide, heartbeat, show offline when the heartbeat stops, and leave cleanly. */
describe.each(engines)('worker registry on $name', (engine) => {
  const opened: DbDriver[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it.skipIf(engine.skip)('registers, renews, judges liveness by the server clock, and unregisters', async () => {
    const db = await engine.open();
    opened.push(db);
    const id = `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    await ensureRegistry(db);
    await ensureRegistry(db); // idempotent
    await registerWorker(db, advert(id));
    let mine = (await listWorkers(db)).find((w) => w.worker_id === id)!;
    expect(mine).toMatchObject({ hostname: 'rig-pc-3', online: true, state: 'ready', labels: { os: 'linux' } });
    expect(mine.policy.idleOnly).toBe(true);

    expect(
      await heartbeat(db, {
        worker_id: id,
        state: 'working',
        reason: 'Working: 1 job running.',
        running_jobs: 1,
        policy: mine.policy,
      }),
    ).toBe(true);
    mine = (await listWorkers(db)).find((w) => w.worker_id === id)!;
    expect(mine).toMatchObject({ state: 'working', running_jobs: 1 });

    // a heartbeat a minute old: offline
    const d = db.dialect;
    await db.execute(
      `UPDATE ${d.qualifyGlobal(WORKER_TABLE)} SET heartbeat_at = ${d.nowPlusSeconds} WHERE worker_id = ?`,
      [-60, id],
    );
    expect((await listWorkers(db)).find((w) => w.worker_id === id)!.online).toBe(false);

    await unregisterWorker(db, id);
    expect((await listWorkers(db)).some((w) => w.worker_id === id)).toBe(false);
    expect(await heartbeat(db, { worker_id: id, state: 'x', reason: '', running_jobs: 0, policy: mine.policy })).toBe(
      false,
    );
  });
});
