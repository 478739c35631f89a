import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tier } from '../../../shared/api/schemas/pipeline';
import { ENGINES, type JobsSetup, openJobsSetup } from './support';

/**
 * jobs.plan traces staged rows through renamed foreign keys (`-> Trace.proj(ref_id='session_id')`),
 * through lookup parents, and stops (with a note) below tables whose jobs make several rows per key.
 */
describe.each(ENGINES)('jobs.plan on $name', (engine) => {
  let s: JobsSetup;

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'plan');
    const table = (class_name: string, tier: Tier, definition: string) => ({
      schema: s.schema,
      class_name,
      tier,
      definition,
    });
    await s.call('table.declare', {
      tables: [
        table('Session', 'Manual', 'session_id : int'),
        table('Param', 'Lookup', 'param_id : int'),
        table('Trace', 'Computed', '-> Session\n---\nvalue : int'),
        table(
          'Compare',
          'Computed',
          "-> Trace.proj(ref_id='session_id')\n-> Trace.proj(cmp_id='session_id')\n---\ndiff : int",
        ),
        table('Report', 'Computed', '-> Compare\n---\ntext : varchar(32)'),
        table('Fit', 'Computed', '-> Trace\n-> Param\n---\nscore : double'),
        table('Spikes', 'Imported', '-> Session\nspike_idx : int\n---\nt : double'),
        table('SpikeStats', 'Computed', '-> Spikes\n---\nrate : double'),
        table('StatsReport', 'Computed', '-> SpikeStats\n---\nok : tinyint'),
      ],
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: 'session',
      rows: [1, 2, 3].map((session_id) => ({ session_id })),
    });
    await s.call('data.insert', { schema: s.schema, table: '#param', rows: [1, 2].map((param_id) => ({ param_id })) });
    await s.call('data.insert', {
      schema: s.schema,
      table: '__trace',
      rows: [{ session_id: 1, value: 10 }],
      allowDirectInsert: true,
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: '__compare',
      rows: [{ ref_id: 1, cmp_id: 1, diff: 0 }],
      allowDirectInsert: true,
    });
    // session 1's spikes and their stats exist (its report does not): nothing of that follows from other sessions
    await s.call('data.insert', {
      schema: s.schema,
      table: '_spikes',
      rows: [{ session_id: 1, spike_idx: 0, t: 0.5 }],
      allowDirectInsert: true,
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: '__spike_stats',
      rows: [{ session_id: 1, spike_idx: 0, rate: 2 }],
      allowDirectInsert: true,
    });
  });
  afterAll(async () => s?.close());

  it.skipIf(engine.skip)('plans every downstream job of one staged session, with its dependencies', async () => {
    const plan = await s.call('jobs.plan', { schema: s.schema, table: 'session', restriction: { session_id: 2 } });
    const name = (full: string) => full.slice(s.schema.length + 1);
    expect(plan.staged).toEqual({ full_name: `${s.schema}.session`, keys: 1 });
    expect(Object.fromEntries(plan.tables.map((t) => [name(t.full_name), t.jobs]))).toEqual({
      __trace: 1,
      __compare: 3,
      __report: 3,
      __fit: 2,
      _spikes: 1,
      __spike_stats: 0,
      __stats_report: 0,
    });
    expect(plan.tables.find((t) => t.full_name.endsWith('__spike_stats'))!.note).toMatch(
      /_spikes makes several rows per key/,
    );
    expect(plan.tables.filter((t) => t.note !== null).map((t) => name(t.full_name))).toEqual(['__spike_stats']);

    const jobsOf = (table: string) => plan.jobs.filter((j) => name(j.full_name) === table);
    const [trace] = jobsOf('__trace');
    expect(trace!.key).toEqual({ session_id: 2 });
    const pairs = jobsOf('__compare')
      .map((j) => [j.key.ref_id, j.key.cmp_id])
      .sort();
    expect(pairs).toEqual([
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    for (const j of jobsOf('__compare')) expect(j.depends_on).toEqual([trace!.id]);
    for (const r of jobsOf('__report')) {
      const compare = jobsOf('__compare').find((c) => c.key.ref_id === r.key.ref_id && c.key.cmp_id === r.key.cmp_id)!;
      expect(r.depends_on).toEqual([compare.id]);
    }
    expect(jobsOf('__fit').map((j) => j.key)).toEqual(
      expect.arrayContaining([
        { session_id: 2, param_id: 1 },
        { session_id: 2, param_id: 2 },
      ]),
    );
    expect(jobsOf('_spikes')[0]!.key).toEqual({ session_id: 2 });
    // dependency order: every job comes after the jobs it waits for
    const position = new Map(plan.jobs.map((j, i) => [j.id, i]));
    for (const j of plan.jobs) for (const d of j.depends_on) expect(position.get(d)!).toBeLessThan(position.get(j.id)!);
  });

  it.skipIf(engine.skip)('leaves out what is already computed, and follows existing rows further down', async () => {
    const plan = await s.call('jobs.plan', { schema: s.schema, table: 'session', restriction: { session_id: 1 } });
    const count = (suffix: string) => plan.tables.find((t) => t.full_name.endsWith(suffix))!.jobs;
    // Trace 1 and Compare (1,1) exist: no jobs for them, but Report (1,1) and Fit (1, *) follow from them
    expect([count('__trace'), count('__compare'), count('__report'), count('__fit')]).toEqual([0, 0, 1, 2]);
    const report = plan.jobs.find((j) => j.full_name.endsWith('__report'))!;
    expect(report).toMatchObject({ key: { ref_id: 1, cmp_id: 1 }, depends_on: [] });
    // below a table with several rows per key, its existing rows still lead on
    expect([count('_spikes'), count('__spike_stats'), count('__stats_report')]).toEqual([0, 0, 1]);
  });
});
