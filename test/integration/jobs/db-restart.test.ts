import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PopulateSummary } from '../../../shared/api/schemas/jobs';
import type { Core } from '../../../electron/core/container';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { PrivateMariadb, privateMariadbMissing } from '../../support/private-mariadb';
import { INLINE_MODULE, JOINERY_BIN } from './support';

/**
 * A database restart under running work (issue 12, item 8): MariaDB is killed (-9) and started
 * again while `joinery populate` and `joinery worker` run against it; both wait for it, go on, and
 * leave every key computed once and none reserved. The server is a private mariadbd of this test
 * (own data folder and port), never the shared one on 3306.
 */
const missing = privateMariadbMissing();
if (missing) console.warn(`db-restart tests skipped: ${missing}`);

const KEYS = 150;
const WORKER_KEYS = 12;
const IMAGE = 'lab/busybox:1';
const TIMES_TEN = [
  'sh',
  '-c',
  'sleep 1; id=$(sed -n "s/.*\\"item_id\\": *\\([0-9]*\\).*/\\1/p" /joinery/in/key.json); echo "{\\"rows\\":[{\\"value\\":$((id*10))}]}" > /joinery/out/result.json',
];

/** A `joinery` process with its output collected. */
function joinery(args: string[]) {
  const child = spawn(process.execPath, [JOINERY_BIN, ...args], {
    env: {
      ...process.env,
      JOINERY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'joinery-restart-')),
      JOINERY_DB_WAIT_S: '300',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

describe.skipIf(Boolean(missing))('riding through a database restart', { timeout: 600_000 }, () => {
  let server: PrivateMariadb;
  let core: Core;

  /** Rows of `schema.table` (a fresh connection each time: the server restarts under us). */
  const count = async (schema: string, table: string) => {
    const c = await server.connect();
    try {
      const [rows] = await c.query(`SELECT COUNT(*) AS n FROM \`${schema}\`.\`${table}\``);
      return Number((rows as { n: number }[])[0]!.n);
    } finally {
      await c.end();
    }
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    const end = Date.now() + 300_000;
    while (
      !(await check().catch((e: Error) => {
        if (/exited early/.test(e.message)) throw e;
        return false;
      }))
    ) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const call = async (method: string, input: Record<string, unknown>) => {
    const res = await core.dispatch(method, input, { transport: 'in-process', host: 'cli' });
    if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
    return res.value as { id: string };
  };

  /** Declares Item (with `keys` rows) and one Computed table with its task, in a schema of its own. */
  const pipeline = async (schema: string, computed: string, keys: number, task: Record<string, unknown>) => {
    ({ core } = createTestCore());
    const { id: connectionId } = await call('connection.open', { url: server.url });
    await call('table.declare', {
      connectionId,
      tables: [
        { schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int' },
        { schema, class_name: computed, tier: 'Computed', definition: '-> Item\n---\nvalue : bigint\npid = 0 : int' },
      ],
    });
    const rows = Array.from({ length: keys }, (_, i) => ({ item_id: i }));
    await call('data.insert', { connectionId, schema, table: 'item', rows });
    await call('task.set', { connectionId, schema, table: `__${computed.toLowerCase()}`, spec: task });
    await core.dispose();
  };

  /** Kills the server once `table` has `atLeast` rows, and starts it again after a pause. */
  const restartUnder = async (schema: string, table: string, atLeast: number, run: ReturnType<typeof joinery>) => {
    await until(`${atLeast} rows in ${table}`, async () => {
      if (run.child.exitCode !== null) throw new Error(`joinery exited early (${run.child.exitCode}): ${run.stderr()}`);
      return (await count(schema, table)) >= atLeast;
    });
    await server.kill();
    await new Promise((r) => setTimeout(r, 2_000));
    await server.start();
  };

  /** Every key computed once, nothing reserved or leased. */
  const expectAllOnce = async (schema: string, table: string, keys: number) => {
    expect(await count(schema, table)).toBe(keys);
    expect(await count(schema, '~jobs')).toBe(0);
    expect(await count(schema, '~joinery_lease')).toBe(0);
    expect(await count(schema, '~joinery_provenance')).toBe(keys);
  };

  beforeAll(async () => {
    server = await PrivateMariadb.create();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('populate waits for the database, goes on, and computes every key once', async () => {
    await pipeline('restart_pop', 'Square', KEYS, { inline: 'squareSlowly', retries: 0 });
    const run = joinery([
      'populate',
      '--db',
      server.url,
      '--schema',
      'restart_pop',
      '--runner',
      'inline',
      '--inline',
      INLINE_MODULE,
      '--batch',
      '1',
      '--json',
    ]);
    await restartUnder('restart_pop', '__square', 20, run);
    const r = await run.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the database is unreachable; waiting for it/);
    expect(r.stderr).toMatch(/the database is back/);
    const summary = JSON.parse(r.stdout) as PopulateSummary;
    expect(summary.errors).toEqual([]);
    await expectAllOnce('restart_pop', '__square', KEYS);
  });

  it.skipIf(isSkipped('docker'))('a worker waits for the database, goes on, and runs every key once', async () => {
    await pipeline('restart_wrk', 'Tenfold', WORKER_KEYS, {
      image: IMAGE,
      command: TIMES_TEN,
      resources: { cpus: 1, memory: '64M' },
      retries: 0,
    });
    const run = joinery([
      'worker',
      '--db',
      server.url,
      '--schema',
      'restart_wrk',
      '--once',
      '--cpus',
      '2',
      '--memory',
      '1G',
    ]);
    await restartUnder('restart_wrk', '__tenfold', 2, run);
    const r = await run.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/unreachable/);
    await expectAllOnce('restart_wrk', '__tenfold', WORKER_KEYS);
  });
});
