import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { TableJobs } from '../../../shared/api/schemas/jobs';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture2, loadFixture, loadFixture2, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL, rawMysql } from '../../support/mysql';
import { JOINERY_BIN } from './support';

/**
 * The DataJoint 2.3.2 fixture's `~~<table>` queues seen by Joinery, beside a 0.14 pipeline on the
 * same server: pending counts include 2.x queues, each schema is read in its own conventions, and
 * Joinery refuses to run jobs in a 2.x schema (its workers speak only `~jobs` today) without
 * creating a `~jobs` there.
 */
const ctx = { transport: 'in-process', host: 'cli' } as const;

describe.skipIf(isSkipped('mysql'))('DataJoint 2.x job queues beside a 0.14 schema', () => {
  let core: Core;
  let v2: FixtureNames & { rename: (s: string) => string };
  let v014: FixtureNames;
  let connectionId: string;
  const expected = expectedFixture2();

  const call = async (method: string, input: Record<string, unknown>) =>
    core.dispatch(method as 'jobs.pending', { connectionId, ...input } as never, ctx);

  beforeAll(async () => {
    v2 = await loadFixture2('jt_jobs2');
    v014 = await loadFixture('jt_jobs2o');
    ({ core } = createTestCore());
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, ctx);
    if (!open.ok) throw new Error(open.error.message);
    connectionId = (open.value as { id: string }).id;
  });
  afterAll(async () => {
    await core?.dispose();
    if (v2) await dropFixture(v2);
    if (v014) await dropFixture(v014);
  });

  it('reads each schema in its own conventions, side by side', async () => {
    const res = await call('pipeline.inspect', { schemas: [v2.lab, v2.ephys, v014.lab, v014.ephys] });
    expect(res.ok).toBe(true);
    const schemas = (res as { value: { schemas: Record<string, { conventions: string }> } }).value.schemas;
    expect(Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, s.conventions]))).toEqual({
      [v2.lab]: '2',
      [v2.ephys]: '2',
      [v014.lab]: '0.14',
      [v014.ephys]: '0.14',
    });
  });

  it('joinery inspect --json gives each schema its conventions (the fixed hook)', () => {
    const run = spawnSync(
      process.execPath,
      [JOINERY_BIN, 'inspect', '--db', MYSQL_URL, '--schema', v2.ephys, '--schema', v014.ephys, '--json'],
      {
        encoding: 'utf8',
        env: { ...process.env, JOINERY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'joinery-dj2-')) },
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { schemas: Record<string, { conventions: string }> };
    expect(out.schemas[v2.ephys]?.conventions).toBe('2');
    expect(out.schemas[v014.ephys]?.conventions).toBe('0.14');
  });

  it('jobs.pending counts the 2.x queues as DataJoint 2.x does', async () => {
    const res = await call('jobs.pending', { schemas: [v2.ephys] });
    if (!res.ok) throw new Error(res.error.message);
    const tables = (res.value as { tables: TableJobs[] }).tables;
    for (const want of expected.schemas.dj2ref_ephys.tables.filter((t: { populate?: unknown }) => t.populate)) {
      const got = tables.find((t) => t.table_name === want.table_name)!;
      expect(
        { pending: got.pending_count, excluding: got.pending_excluding_jobs_count, by: got.jobs_by_status },
        want.table_name,
      ).toEqual({
        pending: want.populate.pending_count,
        excluding: want.populate.pending_excluding_jobs_count,
        by: want.populate.jobs_by_status,
      });
    }
  });

  it('refuses to populate a 2.x schema, clearly, and creates no ~jobs there', async () => {
    const res = await call('jobs.populate', { schema: v2.ephys, table: '__unit_stats' });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('UNSUPPORTED');
      expect(res.error.message).toContain(`${v2.ephys} follows DataJoint 2 conventions`);
    }
    const c = await rawMysql();
    try {
      const [rows] = await c.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE '~j%'`,
        [v2.ephys],
      );
      expect(rows).toEqual([]);
    } finally {
      await c.end();
    }
  });
});
