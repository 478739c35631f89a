import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { JobView } from '../../../shared/api/schemas/jobs';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture, loadFixture, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL } from '../../support/mysql';
import { JOINERY_BIN } from './support';

/**
 * The `~jobs` state DataJoint 0.14.9 left in the reference fixture (a reserved row of a dead
 * worker, error rows with stacks, an ignore row) is read and shown as it is, its counts are
 * DataJoint's, and populating around it computes exactly the keys DataJoint would.
 */
describe.skipIf(isSkipped('mysql'))("the DataJoint fixture's ~jobs", () => {
  let core: Core;
  let names: FixtureNames & { rename: (s: string) => string };
  let connectionId: string;
  const expected = expectedFixture();
  const call = async (method: string, input: Record<string, unknown>) => {
    const res = await core.dispatch(method, { connectionId, ...input }, { transport: 'in-process', host: 'cli' });
    if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
    return res.value as never;
  };

  beforeAll(async () => {
    names = await loadFixture('jt_jobsfx');
    ({ core } = createTestCore());
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
    if (!open.ok) throw new Error(open.error.message);
    connectionId = (open.value as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    await core?.dispose();
    if (names) await dropFixture(names);
  });

  it('lists every ~jobs row with its status, decoded key and error message', async () => {
    const { jobs } = (await call('jobs.list', { schemas: [names.ephys] })) as { jobs: JobView[] };
    const pick = (j: Record<string, unknown>) => [j.table_name, j.key_hash, j.status, j.error_message];
    expect(jobs.map(pick).sort()).toEqual(expected.schemas.djref_ephys.jobs.map(pick).sort());
    const keys = (list: { key_hash: string }[], key: (j: never) => unknown) =>
      Object.fromEntries(list.map((j) => [j.key_hash, key(j as never)]));
    expect(keys(jobs, (j: JobView) => j.key)).toEqual(
      keys(expected.schemas.djref_ephys.jobs, (j: { key_plain: unknown }) => j.key_plain),
    );
    expect(jobs.every((j) => !j.joinery && j.state === null)).toBe(true);
  });

  it('counts pending work exactly as DataJoint does, with and without jobs', async () => {
    const { tables } = (await call('jobs.pending', { schemas: [names.ephys] })) as {
      tables: Record<string, unknown>[];
    };
    const fields = [
      'key_source_count',
      'populated_key_count',
      'pending_count',
      'pending_excluding_jobs_count',
      'jobs_by_status',
    ];
    for (const want of expected.schemas.djref_ephys.tables.filter((t: { populate?: unknown }) => t.populate)) {
      const got = tables.find((t) => t.table_name === want.table_name)!;
      expect(Object.fromEntries(fields.map((f) => [f, got[f]])), want.table_name).toEqual(
        Object.fromEntries(fields.map((f) => [f, want.populate[f]])),
      );
    }
  });

  it('joinery jobs shows them on the command line', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [JOINERY_BIN, 'jobs', '--db', MYSQL_URL, '--schema', names.ephys, ...args], {
        encoding: 'utf8',
        env: { ...process.env, JOINERY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'joinery-jobsfx-')) },
        timeout: 60_000,
      });
    const text = run();
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /__spike_detection\s+error\s+979d472a84804b9f647bc185a877a8b5 \{"subject_id":3,"session_idx":1,"paramset_idx":2\}\s+ValueError: threshold too low/,
    );
    expect(text.stdout).toMatch(/_recording\s+reserved\s+aab3238922bcc25a6f606eb525ffdc56/);
    const json = run('--status', 'ignore', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { jobs: JobView[] }).jobs.map((j) => [j.table_name, j.key])).toEqual([
      ['__spike_detection', { subject_id: 1, session_idx: 1, paramset_idx: 2 }],
    ]);
  });

  it('populating around them computes exactly the keys DataJoint would, and leaves their rows alone', async () => {
    core.hooks.inline.register('detect', () => ({ rows: [{ n_units: 0, mean_rate: 0 }] }));
    await call('task.set', { schema: names.ephys, table: '__spike_detection', spec: { inline: 'detect' } });
    const { populateId } = (await call('jobs.populate', {
      schema: names.ephys,
      table: '__spike_detection',
      lease_s: 1,
    })) as { populateId: string };
    const summary = await core.services.populate.wait(populateId);
    expect(summary.tables[0]).toMatchObject({ done: 2, failed: 0, pending: 2 });
    const { jobs } = (await call('jobs.list', { schemas: [names.ephys] })) as { jobs: JobView[] };
    expect(jobs.map((j) => [j.table_name, j.status]).sort()).toEqual([
      ['__spike_detection', 'error'],
      ['__spike_detection', 'ignore'],
      ['_recording', 'error'],
      ['_recording', 'reserved'],
    ]);
    // DataJoint's way of retrying (the error row goes) is Joinery's too; the ignored key stays ignored
    expect(
      (
        (await call('jobs.retry', { schema: names.ephys, table: '__spike_detection', status: 'error' })) as {
          count: number;
        }
      ).count,
    ).toBe(1);
    const again = await core.services.populate.wait(
      ((await call('jobs.populate', { schema: names.ephys, table: '__spike_detection' })) as { populateId: string })
        .populateId,
    );
    expect(again.tables[0]).toMatchObject({ done: 1, pending: 1 });
  });
});
