import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition, resolveDefinition } from '../../../shared/model/definition';
import { createTableDdl } from '../../../shared/sql/ddl';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { declareItems, ENGINES, openJobsSetup, type JobsSetup } from './support';

/** `~joinery_run` as Joinery before 0.3 declared it: no 'success' status (successes were only provenance). */
const OLD_RUN_TABLE = `# Joinery: attempts of jobs that did not succeed
run_id : bigint unsigned auto_increment
---
table_name : varchar(255)
key_hash : char(32)
attempt : int unsigned
status : enum('error','lost','cancelled','released')
runner : varchar(32)
worker : varchar(255)
started : bigint
ended : bigint
exit_code = null : int
peak_memory = null : bigint # bytes
error_message = "" : varchar(2047)
log_tail = null : text
index(table_name, key_hash)
`;

/**
 * Every attempt of a job, success included, carries its run id in `jobs runs` (issue: successful
 * runs showed `run_id: null`), on a fresh schema and on one whose run table an older Joinery
 * created: its status gains 'success' on the first write, keeping the rows and their ids.
 */
describe.each(ENGINES)('run ids on $name', (engine) => {
  let fresh: JobsSetup;
  let old: JobsSetup;

  const setUp = async (label: string) => {
    const s = await openJobsSetup(engine.name, label);
    await declareItems(s, 3);
    s.core.hooks.inline.register('flaky', ({ key, attempt }: InlineContext) => {
      if (Number(key.item_id) === 1 && attempt === 1) throw new Error('first try fails');
      return { rows: [{ value: Number(key.item_id) ** 2 }] };
    });
    await s.call('task.set', {
      schema: s.schema,
      table: '__square',
      spec: { inline: 'flaky', retries: 1, backoff_s: 0 },
    });
    return s;
  };

  beforeAll(async () => {
    if (engine.skip) return;
    fresh = await setUp('runid-fresh');
    old = await setUp('runid-old');
    // the old run table with one old failure, before Joinery writes any job state in this schema
    const resolved = resolveDefinition(parseDefinition(OLD_RUN_TABLE, { table: '~joinery_run' }), {
      schema: old.schema,
      tableName: '~joinery_run',
      lookup: () => undefined,
    });
    for (const st of createTableDdl(old.db.dialect, resolved)) await old.db.execute(st.sql, st.params);
    await old.db.execute(
      `INSERT INTO ${old.t('~joinery_run')} (run_id, table_name, key_hash, attempt, status, runner, worker, started, ended, error_message) VALUES (7, '__square', 'abc', 1, 'error', 'inline', 'old-worker', 1, 2, 'an old failure')`,
    );
  }, 120_000);
  afterAll(async () => {
    await fresh?.close();
    await old?.close();
  });

  const runsOf = async (s: JobsSetup) =>
    (await s.call('jobs.runs', { schema: s.schema, table: '__square', limit: 100 })).runs;

  const expectEveryAttemptNumbered = (runs: Awaited<ReturnType<typeof runsOf>>) => {
    expect(runs.filter((r) => r.status === 'success')).toHaveLength(3); // listed once, not again from provenance
    for (const r of runs) expect(r.run_id, `${r.status} attempt ${r.attempt}`).toEqual(expect.any(Number));
    expect(new Set(runs.map((r) => r.run_id)).size).toBe(runs.length);
    const item1 = runs.filter(
      (r) => r.key_hash === runs.find((x) => x.status === 'error' && x.worker !== 'old-worker')?.key_hash,
    );
    expect(item1.map((r) => r.status).sort()).toEqual(['error', 'success']);
    // the retry came after the failure, and its id says so
    expect(item1.find((r) => r.status === 'success')!.run_id!).toBeGreaterThan(
      item1.find((r) => r.status === 'error')!.run_id!,
    );
  };

  it.skipIf(engine.skip)('a fresh schema: failures and successes each get their own run id', async () => {
    const summary = await fresh.populate({ schema: fresh.schema, table: '__square' });
    expect(summary.tables[0]).toMatchObject({ done: 3, failed: 0, retried: 1 });
    expectEveryAttemptNumbered(await runsOf(fresh));
  });

  it.skipIf(engine.skip)("an older Joinery's run table gains the success status and keeps its rows", async () => {
    const summary = await old.populate({ schema: old.schema, table: '__square' });
    expect(summary.tables[0]).toMatchObject({ done: 3, failed: 0, retried: 1 });
    const runs = await runsOf(old);
    expect(runs.find((r) => r.run_id === 7)).toMatchObject({ status: 'error', error_message: 'an old failure' });
    const mine = runs.filter((r) => r.run_id !== 7);
    expectEveryAttemptNumbered(mine);
    for (const r of mine) expect(r.run_id!).toBeGreaterThan(7);
    // the provenance of each key is still there, one row per key
    expect(await old.count('~joinery_provenance')).toBe(3);
  });
});
