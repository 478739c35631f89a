import type { DbDriver } from '../electron/core/db/driver';
import { callCore, createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, uniqueDbName } from '../test/support/mysql';
import { report } from './harness';

/**
 * Jobs per second of `populate` on MariaDB with trivial in-process jobs: every job is reserved in
 * DataJoint's `~jobs`, leased in `~joinery_lease`, and committed with its result row and its
 * provenance; 1 and 2 workers. Baseline, in the same run: a loop that only INSERTs the same
 * result rows, one transaction per key. Joinery and the baseline run in turns (after a warm-up),
 * best of REPEATS each, so drift in the machine's load hits both alike.
 */
const KEYS = 4000;
const REPEATS = 3;
const JOB_TABLES = ['~jobs', '~joinery_lease', '~joinery_run', '~joinery_provenance'];

const call = callCore;

const seconds = async (work: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

const { core } = createTestCore();
const schema = uniqueDbName('jb_populate');
try {
  const { id: connectionId } = (await call(core, 'connection.open', { url: MYSQL_URL })) as { id: string };
  const db = core.services.connections.driver(connectionId);
  await call(core, 'table.declare', {
    connectionId,
    tables: [
      { schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int\n---\nx : int' },
      { schema, class_name: 'Result', tier: 'Computed', definition: '-> Item\n---\nvalue : bigint' },
      { schema, class_name: 'Baseline', tier: 'Manual', definition: '-> Item\n---\nvalue : bigint' },
    ],
  });
  await call(core, 'data.insert', {
    connectionId,
    schema,
    table: 'item',
    rows: Array.from({ length: KEYS }, (_, i) => ({ item_id: i, x: i })),
  });
  core.hooks.inline.register('bench', ({ key }) => ({ rows: [{ value: Number(key.item_id) * 2 }] }));
  await call(core, 'task.set', { connectionId, schema, table: '__result', spec: { inline: 'bench' } });

  const q = (t: string) => db.dialect.qualify(schema, t);
  const reset = async () => {
    for (const t of ['__result', 'baseline', ...JOB_TABLES]) await db.execute(`DELETE FROM ${q(t)}`).catch(() => {});
  };
  const baseline = async () => {
    const sql = `INSERT INTO ${q('baseline')} (item_id, value) VALUES (?, ?)`;
    for (let i = 0; i < KEYS; i++) await db.transaction((tx) => tx.execute(sql, [i, i * 2]));
  };
  const populate = (workers: number) => async () => {
    const { populateId } = (await call(core, 'jobs.populate', {
      connectionId,
      schema,
      table: '__result',
      workers,
    })) as { populateId: string };
    const summary = await core.services.populate.wait(populateId);
    const done = summary.tables[0]?.done ?? 0;
    if (done !== KEYS || summary.executed !== KEYS)
      throw new Error(
        `populate computed ${done} of ${KEYS} keys (${summary.executed} runs): ${JSON.stringify(summary.errors.slice(0, 3))}`,
      );
  };
  const best = { base: Infinity, one: Infinity, two: Infinity };
  for (let i = 0; i <= REPEATS; i++) {
    const turn = { base: 0, one: 0, two: 0 };
    await reset();
    turn.base = await seconds(baseline);
    await reset();
    turn.one = await seconds(populate(1));
    await reset();
    turn.two = await seconds(populate(2));
    if (i > 0) for (const k of ['base', 'one', 'two'] as const) best[k] = Math.min(best[k], turn[k]);
  }
  await checkExactlyOnce(db, q);
  const baselineLabel = 'a loop that only INSERTs the result rows, one transaction per key (MariaDB, same run)';
  report({
    bench: 'populate',
    metric: 'jobs_per_s_1_worker',
    value: KEYS / best.one,
    unit: 'jobs/s',
    baseline: baselineLabel,
    baseline_value: KEYS / best.base,
  });
  report({
    bench: 'populate',
    metric: 'jobs_per_s_2_workers',
    value: KEYS / best.two,
    unit: 'jobs/s',
    baseline: baselineLabel,
    baseline_value: KEYS / best.base,
  });
} finally {
  await core.dispose();
  await dropDatabases([schema]);
}

/** The last run must have left one result and one provenance row per key, and no reservation. */
async function checkExactlyOnce(db: DbDriver, q: (t: string) => string): Promise<void> {
  const count = async (t: string) => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(t)}`))[0]!.n);
  const [rows, prov, jobs] = [await count('__result'), await count('~joinery_provenance'), await count('~jobs')];
  if (rows !== KEYS || prov !== KEYS || jobs !== 0)
    throw new Error(`after populate: ${rows} rows, ${prov} provenance rows, ${jobs} ~jobs rows`);
}
