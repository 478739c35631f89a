import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';
import { declareItems, ENGINES, openJobsSetup, type JobsSetup } from './support';

/**
 * populate on both engines with the in-process and process runners: dependency order, parts,
 * provenance, retries within the budget, results refused before anything is written, legacy
 * mode, the process runner's container contract, plans of staged data, and new jobs appearing at
 * once after an insert.
 */
const ITEMS = 12;
const JOB_TABLES = ['~jobs', '~joinery_lease', '~joinery_run', '~joinery_provenance', '~joinery_cache'];

async function reset(s: JobsSetup): Promise<void> {
  for (const t of ['__summary__digit', '__summary', '__square', ...JOB_TABLES])
    await s.db.execute(`DELETE FROM ${s.t(t)}`).catch(() => {});
}

describe.each(ENGINES)('populate on $name', (engine) => {
  let s: JobsSetup;
  const calls = new Map<string, number>();

  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'pop');
    await declareItems(s, ITEMS);
    const inline = s.core.hooks.inline;
    inline.register('square', ({ key }: InlineContext) => ({ rows: [{ value: Number(key.item_id) ** 2 }] }));
    inline.register('summary', ({ key, inputs }: InlineContext) => {
      const value = Number(inputs[`${s.schema}.__square`]![0]!.value);
      const digits = [...String(value)].reduce<Record<string, number>>(
        (acc, d) => ({ ...acc, [d]: (acc[d] ?? 0) + 1 }),
        {},
      );
      return {
        rows: [{ doubled: 2 * value, item_id: key.item_id }],
        parts: { Digit: Object.entries(digits).map(([digit, count]) => ({ digit: Number(digit), count })) },
      };
    });
    inline.register('flaky', ({ key, attempt }: InlineContext) => {
      calls.set(String(key.item_id), (calls.get(String(key.item_id)) ?? 0) + 1);
      if (attempt < 3) throw new Error(`boom ${attempt}`);
      return { rows: [{ value: attempt }] };
    });
    inline.register('bogus', () => ({ rows: [{ value: 1, bogus: 2 }] }));
    inline.register('badPart', () => ({ rows: [{ doubled: 1 }], parts: { Nope: [{ digit: 1, count: 1 }] } }));
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    if (!engine.skip) await reset(s);
  });

  it.skipIf(engine.skip)(
    'computes every pending key once, upstream tables first, parts and provenance in the same transaction',
    async () => {
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
      await s.call('task.set', {
        schema: s.schema,
        table: '__summary',
        spec: { inline: 'summary', inputs: [{ table: `${s.schema}.__square` }] },
      });
      const summary = await s.populate({ schema: s.schema, batch: 5 });
      expect(summary.state).toBe('finished');
      expect(summary.tables.map((t) => [t.full_name, t.done, t.failed, t.pending])).toEqual([
        [`${s.schema}.__square`, ITEMS, 0, 0],
        [`${s.schema}.__summary`, ITEMS, 0, 0],
      ]);
      expect(await s.count('__square')).toBe(ITEMS);
      expect(await s.count('__summary')).toBe(ITEMS);
      expect(await s.count('__summary__digit')).toBeGreaterThanOrEqual(ITEMS);
      expect(await s.count('~jobs')).toBe(0);
      expect(await s.count('~joinery_lease')).toBe(0);
      const prov = await s.call('jobs.provenance', { schema: s.schema, table: '__summary' });
      expect(prov.rows).toHaveLength(ITEMS);
      expect(prov.rows[0]).toMatchObject({
        task_version: 1,
        code_hash: 'inline:summary',
        runner: 'inline',
        cached: false,
      });
      expect(prov.rows[0]!.input_fingerprint).toMatch(/^[0-9a-f]{32}$/);
      const runs = await s.call('jobs.runs', { schema: s.schema, table: '__square', limit: 100 });
      expect(runs.runs.filter((r) => r.status === 'success')).toHaveLength(ITEMS);
      const pending = await s.call('jobs.pending', { schemas: [s.schema] });
      expect(pending.tables.map((t) => [t.table_name, t.pending_count, t.has_task])).toEqual([
        ['__square', 0, true],
        ['__summary', 0, true],
      ]);
    },
  );

  it.skipIf(engine.skip)('a job failing twice then succeeding with a retry budget of 2', async () => {
    calls.clear();
    await s.call('task.set', {
      schema: s.schema,
      table: '__square',
      spec: { inline: 'flaky', retries: 2, backoff_s: 0.05 },
    });
    const summary = await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 3 } });
    expect(summary.tables[0]).toMatchObject({ done: 1, failed: 0, retried: 2 });
    expect(calls.get('3')).toBe(3);
    const [row] = await s.db.query(`SELECT value FROM ${s.t('__square')} WHERE item_id = 3`);
    expect(Number(row!.value)).toBe(3);
    const runs = (await s.call('jobs.runs', { schema: s.schema, table: '__square', limit: 10 })).runs;
    expect(runs.map((r) => [r.status, r.attempt]).sort()).toEqual([
      ['error', 1],
      ['error', 2],
      ['success', 3],
    ]);
    expect(runs.find((r) => r.attempt === 1)!.error_message).toBe('Error: boom 1');
    expect(await s.count('~jobs')).toBe(0);
  });

  it.skipIf(engine.skip)(
    "a third failure with a budget of 2 leaves DataJoint's error row, with message and stack",
    async () => {
      await s.call('task.set', {
        schema: s.schema,
        table: '__square',
        spec: { inline: 'flaky', retries: 1, backoff_s: 0.05 },
      });
      const summary = await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 4 } });
      expect(summary.tables[0]).toMatchObject({ done: 0, failed: 1, retried: 1 });
      const jobs = (await s.call('jobs.list', { schemas: [s.schema], status: 'error' })).jobs;
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        table_name: '__square',
        status: 'error',
        error_message: 'Error: boom 2',
        key: { item_id: 4 },
        state: 'failed',
        failures: 2,
      });
      const [raw] = await s.db.query(`SELECT error_stack FROM ${s.t('~jobs')}`);
      expect((raw!.error_stack as Buffer).subarray(0, 4).toString('latin1')).toBe('dj0\0');
      // retry restores the budget: the next populate runs it again (and it fails twice more)
      expect((await s.call('jobs.retry', { schema: s.schema, table: '__square', status: 'error' })).count).toBe(1);
      expect(await s.count('~jobs')).toBe(0);
    },
  );

  it.skipIf(engine.skip)(
    'a result with an unknown attribute is an error naming it, and nothing is written',
    async () => {
      await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'bogus' } });
      const summary = await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 1 } });
      expect(summary.tables[0]).toMatchObject({ done: 0, failed: 1 });
      expect(summary.errors[0]!.message).toMatch(/"bogus" is not an attribute of .*__square/);
      expect(await s.count('__square')).toBe(0);
      expect(await s.count('~joinery_provenance')).toBe(0);
      const [job] = await s.db.query(`SELECT status, error_message FROM ${s.t('~jobs')}`);
      expect(job).toMatchObject({ status: 'error' });
      expect(String(job!.error_message)).toMatch(/^ResultError: .*"bogus"/);
    },
  );

  it.skipIf(engine.skip)('a result naming a part the table does not have is refused', async () => {
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
    await s.call('task.set', { schema: s.schema, table: '__summary', spec: { inline: 'badPart' } });
    const summary = await s.populate({ schema: s.schema, restriction: { item_id: 2 } });
    expect(summary.errors.map((e) => e.message)).toEqual([expect.stringMatching(/part "Nope" .*parts: Digit/)]);
    expect(await s.count('__summary')).toBe(0);
    expect(await s.count('__summary__digit')).toBe(0);
  });

  it.skipIf(engine.skip)(
    'legacy mode: the job inserts by itself and the worker checks that the rows appeared',
    async () => {
      s.core.hooks.inline.register('legacyInsert', async ({ key }: InlineContext) => {
        if (key.item_id === 6) return undefined; // inserts nothing
        await s.call('data.insert', {
          schema: s.schema,
          table: '__square',
          allowDirectInsert: true,
          rows: [{ item_id: key.item_id, value: 7 }],
        });
        return undefined;
      });
      await s.call('task.set', {
        schema: s.schema,
        table: '__square',
        spec: { inline: 'legacyInsert', mode: 'legacy' },
      });
      const summary = await s.populate({
        schema: s.schema,
        table: '__square',
        restriction: [{ item_id: 5 }, { item_id: 6 }],
      });
      expect(summary.tables[0]).toMatchObject({ done: 1, failed: 1 });
      expect(summary.errors[0]!.message).toMatch(/no row of .*__square appeared for key \{"item_id":6\}/);
      expect(await s.count('~joinery_provenance')).toBe(1);
    },
  );

  it.skipIf(engine.skip)(
    'the process runner: key.json, inputs.json and params.json in, result.json out; failures and timeouts',
    async () => {
      const script = [
        "const fs = require('fs'), p = require('path');",
        "const key = JSON.parse(fs.readFileSync(p.join(process.env.JOINERY_IN, 'key.json')));",
        "const params = JSON.parse(fs.readFileSync(p.join(process.env.JOINERY_IN, 'params.json')));",
        "const inputs = JSON.parse(fs.readFileSync(p.join(process.env.JOINERY_IN, 'inputs.json')));",
        "if (key.item_id === 8) { console.error('cannot do 8'); process.exit(3); }",
        'if (key.item_id === 9) setTimeout(() => {}, 60000);',
        "else fs.writeFileSync(p.join(process.env.JOINERY_OUT, 'result.json'), JSON.stringify({ rows: [{ value: key.item_id * params.factor + inputs[Object.keys(inputs)[0]][0].x }] }));",
      ].join('\n');
      await s.call('task.set', {
        schema: s.schema,
        table: '__square',
        spec: {
          command: [process.execPath, '-e', script],
          params: { factor: 10 },
          inputs: [{ table: `${s.schema}.item`, attributes: ['x'] }],
          timeout_s: 1.5,
        },
      });
      const summary = await s.populate({
        schema: s.schema,
        table: '__square',
        runner: 'process',
        restriction: [{ item_id: 7 }, { item_id: 8 }, { item_id: 9 }],
      });
      expect(summary.tables[0]).toMatchObject({ done: 1, failed: 2 });
      const [row] = await s.db.query(`SELECT value FROM ${s.t('__square')} WHERE item_id = 7`);
      expect(Number(row!.value)).toBe(77);
      const messages = summary.errors.map((e) => e.message).sort();
      expect(messages[0]).toMatch(/^JobError: the command exited with status 3: cannot do 8/);
      expect(messages[1]).toMatch(/^TimeoutError: the job ran longer than its limit of 1.5 s/);
    },
  );

  it.skipIf(engine.skip)('jobs.plan: the DAG of jobs that staged rows would start', async () => {
    await s.call('task.set', { schema: s.schema, table: '__square', spec: { inline: 'square' } });
    await s.populate({ schema: s.schema, table: '__square', restriction: { item_id: 0 } });
    const plan = await s.call('jobs.plan', {
      schema: s.schema,
      table: 'item',
      restriction: [{ item_id: 0 }, { item_id: 1 }],
    });
    expect(plan.staged).toEqual({ full_name: `${s.schema}.item`, keys: 2 });
    expect(plan.tables.map((t) => [t.full_name, t.jobs])).toEqual([
      [`${s.schema}.__square`, 1],
      [`${s.schema}.__summary`, 2],
    ]);
    const square1 = plan.jobs.find((j) => j.full_name.endsWith('__square'))!;
    expect(square1.key).toEqual({ item_id: 1 });
    const summary1 = plan.jobs.find((j) => j.full_name.endsWith('__summary') && j.key.item_id === 1)!;
    expect(summary1.depends_on).toEqual([square1.id]);
    expect(plan.jobs.find((j) => j.full_name.endsWith('__summary') && j.key.item_id === 0)!.depends_on).toEqual([]);
  });

  it.skipIf(engine.skip)('an insert through Joinery makes the new jobs appear at once', async () => {
    const seen: unknown[] = [];
    const stop = s.core.events.subscribe((event, data) => {
      if (event === 'jobs.changed') seen.push(data);
    });
    try {
      await s.call('data.insert', { schema: s.schema, table: 'item', rows: [{ item_id: 100, x: 1 }] });
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toContainEqual({
        connectionId: s.connectionId,
        tables: [`${s.schema}.item`, `${s.schema}.__square`],
        source: 'insert',
      });
      const pending = await s.call('jobs.pending', { schemas: [s.schema] });
      expect(pending.tables.find((t) => t.table_name === '__square')!.pending_count).toBe(ITEMS + 1);
    } finally {
      stop();
      await s.db.execute(`DELETE FROM ${s.t('item')} WHERE item_id = 100`);
    }
  });
});
