import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { RowDataPacket } from 'mysql2';
import type { JobView, TableJobs } from '../../../shared/api/schemas/jobs';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture2, loadFixture, loadFixture2, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL, rawMysql } from '../../support/mysql';
import { JOINERY_BIN } from './support';

/**
 * The DataJoint 2.3.2 fixture's `~~<table>` queues seen by Joinery, beside a 0.14 pipeline on the
 * same server: pending counts include 2.x queues, each schema is read in its own conventions, the
 * queues' rows are listed as jobs, and Joinery populates a 2.x table through its `~~` queue
 * (made again exactly as 2.x makes it) without creating a `~jobs` there.
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

  it("lists the 2.x queues' rows in the Jobs list, with their keys", async () => {
    const res = await call('jobs.list', { schemas: [v2.ephys] });
    if (!res.ok) throw new Error(res.error.message);
    const jobs = (res.value as { jobs: JobView[] }).jobs;
    expect(jobs.map((j) => [j.table_name, j.status, j.key, j.joinery]).sort()).toEqual(
      [
        ['__unit_stats', 'error', { subject_id: 101, session_idx: 1, rec_id: 3 }, false],
        ['_spike_sorting', 'error', { subject_id: 102, session_idx: 1, rec_id: 2 }, false],
        ['_spike_sorting', 'ignore', { subject_id: 201, session_idx: 1, rec_id: 3 }, false],
        ['_spike_sorting', 'reserved', { subject_id: 201, session_idx: 1, rec_id: 1 }, false],
      ].sort(),
    );
  });

  it('populates a 2.x table through its ~~ queue, made again with 2.x DDL, and makes no ~jobs', async () => {
    const c = await rawMysql();
    try {
      const showQueue = async () => {
        const [[row]] = await c.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${v2.ephys}\`.\`~~recording_q_c\``);
        return String(row!['Create Table']);
      };
      const original = await showQueue();
      await c.query(`DROP TABLE \`${v2.ephys}\`.\`~~recording_q_c\``);
      core.hooks.inline.register('qc', () => ({ rows: [{ qc_pass: 1, snr: 2.5 }] }));
      const set = await call('task.set', { schema: v2.ephys, table: '__recording_q_c', spec: { inline: 'qc' } });
      if (!set.ok) throw new Error(set.error.message);
      const started = await call('jobs.populate', { schema: v2.ephys, table: '__recording_q_c' });
      if (!started.ok) throw new Error(started.error.message);
      const summary = await core.services.populate.wait((started.value as { populateId: string }).populateId);
      expect(summary.tables[0]).toMatchObject({ done: 5, failed: 0 });
      // the queue Joinery made is the one DataJoint 2.3.2 made, column for column
      expect(await showQueue()).toBe(original);
      const [rows] = await c.query<RowDataPacket[]>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE '~j%'`,
        [v2.ephys],
      );
      expect(rows.map((r) => r.t).sort()).not.toContain('~jobs');
    } finally {
      await c.end();
    }
  });
});
