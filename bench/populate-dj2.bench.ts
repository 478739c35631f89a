import type { Core } from '../electron/core/container';
import { callCore, createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, uniqueDbName } from '../test/support/mysql';
import { report } from './harness';
import { createStderrLogger } from '../electron/core/log';

/**
 * Jobs per second of `populate` (2 workers, trivial in-process jobs) in a DataJoint 2.x schema,
 * whose keys are reserved in the table's `~~` queue (a pending row made reservable, then
 * `UPDATE ... WHERE status='pending'` per key, the row deleted on success), against the same
 * populate in a DataJoint 0.14 schema (`~jobs`: reserve by INSERT), on MariaDB in the same run.
 * The two run in turns after a warm-up, best of REPEATS each, so drift in the load hits both alike.
 */
const KEYS = 2000;
const REPEATS = 3;
const WORKERS = 2;

const seconds = async (work: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

/**
 * A schema with Item (KEYS rows) and Result (computed), declared in 0.14's or 2.x's conventions
 * (named: the default depends on the schemas already on the server).
 */
async function makeSchema(core: Core, connectionId: string, schema: string, v2: boolean) {
  const [int, bigint] = v2 ? ['int32', 'int64'] : ['int', 'bigint'];
  await callCore(core, 'table.declare', {
    connectionId,
    conventions: v2 ? '2' : '0.14',
    tables: [
      { schema, class_name: 'Item', tier: 'Manual', definition: `item_id : ${int}\n---\nx : ${int}` },
      { schema, class_name: 'Result', tier: 'Computed', definition: `-> Item\n---\nvalue : ${bigint}` },
    ],
  });
  await callCore(core, 'data.insert', {
    connectionId,
    schema,
    table: 'item',
    rows: Array.from({ length: KEYS }, (_, i) => ({ item_id: i, x: i })),
  });
  await callCore(core, 'task.set', { connectionId, schema, table: '__result', spec: { inline: 'bench' } });
}

// the workers' warnings and errors go to stderr: a failed run says why (a deadlock once went unexplained)
const { core } = createTestCore('cli', createStderrLogger('warn'));
const schemas = { v014: uniqueDbName('jb_popdj014'), v2: uniqueDbName('jb_popdj2') };
try {
  const { id: connectionId } = (await callCore(core, 'connection.open', { url: MYSQL_URL })) as { id: string };
  const db = core.services.connections.driver(connectionId);
  core.hooks.inline.register('bench', ({ key }) => ({ rows: [{ value: Number(key.item_id) * 2 }] }));
  await makeSchema(core, connectionId, schemas.v014, false);
  await makeSchema(core, connectionId, schemas.v2, true);
  core.services.pipeline.invalidate(connectionId);

  const reset = async (schema: string) => {
    for (const t of ['__result', '~jobs', '~~result', '~joinery_lease', '~joinery_run', '~joinery_provenance'])
      await db.execute(`DELETE FROM ${db.dialect.qualify(schema, t)}`).catch(() => {});
  };
  const populate = async (schema: string) => {
    const { populateId } = (await callCore(core, 'jobs.populate', {
      connectionId,
      schema,
      table: '__result',
      workers: WORKERS,
    })) as { populateId: string };
    const summary = await core.services.populate.wait(populateId);
    if ((summary.tables[0]?.done ?? 0) !== KEYS || summary.executed !== KEYS) {
      // the whole story of a failed run (a deadlock once went unexplained): each error, the run's attempts
      const runs = await db
        .query(
          `SELECT status, error_message, COUNT(*) AS n FROM ${db.dialect.qualify(schema, '~joinery_run')} ` +
            `WHERE status <> 'success' GROUP BY status, error_message`,
        )
        .catch((e: unknown) => [{ unreadable: String(e) }]);
      throw new Error(
        `populate of ${schema} computed ${summary.tables[0]?.done} of ${KEYS} keys (executed ${summary.executed}): ` +
          `${summary.message ?? ''}\nerrors: ${JSON.stringify(summary.errors)}\ntables: ${JSON.stringify(summary.tables)}\n` +
          `attempts that did not succeed: ${JSON.stringify(runs)}`,
      );
    }
  };
  const best = { v014: Infinity, v2: Infinity };
  for (let i = 0; i <= REPEATS; i++) {
    for (const k of ['v014', 'v2'] as const) {
      await reset(schemas[k]);
      const s = await seconds(() => populate(schemas[k]));
      if (i > 0) best[k] = Math.min(best[k], s);
    }
  }
  // the 2.x schema must be left with every result, an empty queue and no ~jobs
  const count = async (t: string) =>
    Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.dialect.qualify(schemas.v2, t)}`))[0]!.n);
  if ((await count('__result')) !== KEYS || (await count('~~result')) !== 0)
    throw new Error('the 2.x populate left missing results or queue rows');
  const [jobs] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = '~jobs'`,
    [schemas.v2],
  );
  if (Number(jobs!.n) !== 0) throw new Error('a ~jobs table was made in the 2.x schema');
  const [v2Queue] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = '~~result'`,
    [schemas.v014],
  );
  if (Number(v2Queue!.n) !== 0) throw new Error('the 0.14 schema was given a 2.x queue');
  report({
    bench: 'populate-dj2',
    metric: `jobs_per_s_${WORKERS}_workers`,
    value: KEYS / best.v2,
    unit: 'jobs/s',
    baseline: `the same populate in a DataJoint 0.14 schema (~jobs queue), ${WORKERS} workers (MariaDB, same run)`,
    baseline_value: KEYS / best.v014,
  });
} finally {
  await core.dispose();
  await dropDatabases([schemas.v014, schemas.v2]);
}
