import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSkipped } from '../../support/env';
import { ENGINES, openJobsSetup, type JobsSetup } from '../jobs/support';

/** pipeline.createSample on the real engines: whole or refused, and its Computed table populates in Docker. */
describe.each(ENGINES)('pipeline.createSample on $name', ({ name, skip }) => {
  let s: JobsSetup;
  beforeAll(async () => {
    if (!skip) s = await openJobsSetup(name, 'sample');
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  it.skipIf(skip)('builds the tables, rows and task in one go', async () => {
    const out = await s.call('pipeline.createSample', { schema: s.schema });
    expect(out).toEqual({
      schema: s.schema,
      tables: [`${s.schema}.subject`, `${s.schema}.#rig`, `${s.schema}.session`, `${s.schema}.__session_score`],
      rows: 9,
      computed: `${s.schema}.__session_score`,
    });
    const tables = (await s.call('pipeline.inspect', { schemas: [s.schema] })).schemas[s.schema]!.tables;
    expect(tables.map((t) => [t.class_name, t.tier, t.row_count]).sort()).toEqual([
      ['Rig', 'Lookup', 2],
      ['Session', 'Manual', 4],
      ['SessionScore', 'Computed', 0],
      ['Subject', 'Manual', 3],
    ]);
    const task = await s.call('task.get', { schema: s.schema, table: '__session_score' });
    expect(task.spec.image).toBe('lab/busybox:1');
    const pending = await s.call('jobs.pending', { schemas: [s.schema] });
    expect(JSON.stringify(pending)).toMatch(/"pending(_count)?":4/);
  });

  it.skipIf(skip)('refuses when the schema exists, changing nothing', async () => {
    const err = await s.call('pipeline.createSample', { schema: s.schema }).catch((e: { data: unknown }) => e.data);
    expect(err).toMatchObject({ code: 'CONFLICT', details: { field: 'schema', schema: s.schema } });
    expect(await s.count('subject')).toBe(3);
  });

  it.skipIf(skip)('refuses a bad schema name at the boundary', async () => {
    await expect(s.call('pipeline.createSample', { schema: 'Bad-Name' })).rejects.toThrow(/Schema names start/);
  });

  it.skipIf(skip || isSkipped('docker'))(
    'populates its Computed table in lab/busybox:1',
    async () => {
      const summary = await s.populate({ schema: s.schema, runner: 'docker' });
      expect(summary.tables.map((t) => [t.full_name, t.done, t.failed])).toEqual([
        [`${s.schema}.__session_score`, 4, 0],
      ]);
      const rows = await s.db.query<{ subject_id: number; session: number; score: number; note: string }>(
        `SELECT subject_id, session, score, note FROM ${s.t('__session_score')} ORDER BY subject_id, session`,
      );
      expect(rows.map((r) => [Number(r.subject_id), Number(r.session), Number(r.score)])).toEqual([
        [1, 1, 101],
        [1, 2, 102],
        [2, 1, 201],
        [3, 1, 301],
      ]);
      expect(rows[0]!.note).toBe('subject 1, session 1: computed in lab/busybox:1');
    },
    120_000,
  );
});

describe('pipeline.createSample when a late step fails (SQLite)', () => {
  let s: JobsSetup;
  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'sample-undo');
  });
  afterAll(async () => {
    await s.close();
  });

  it('drops what it made, so the schema is absent and can be built again', async () => {
    // a view where the task table goes: not a schema to the catalog, but storing the task fails
    await s.db.execute(`CREATE VIEW "sample.~joinery_task" AS SELECT 1 AS x`);
    const err: unknown = await s.call('pipeline.createSample', {}).catch((e: { data: unknown }) => e.data);
    expect((err as { message?: string }).message).toMatch(
      /^The sample pipeline could not be filled \(.*\); its tables were removed again\.$/,
    );
    const left = await s.db.query<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sample.%'`,
    );
    expect(left).toEqual([]);
    expect((await s.call('pipeline.inspect', {})).schemas.sample).toBeUndefined();
    await s.db.execute(`DROP VIEW "sample.~joinery_task"`);
    expect((await s.call('pipeline.createSample', {})).rows).toBe(9);
  });
});
