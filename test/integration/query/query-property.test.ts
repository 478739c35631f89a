import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeadings, tableKey } from '../../../electron/core/db/catalog/heading-reader';
import type { HeadingLookup } from '../../../shared/query/resolve';
import type { QueryHeading } from '../../../shared/query/types';
import { classResolver } from '../../../shared/query/class-resolver';
import { checkEverywhere, checkRoundTrip, timings } from '../../support/query-check';
import { type QueryEngines, openQueryEngines } from '../../support/query-engines';
import { QueryGen } from '../../support/query-gen';
import {
  generatePipeline,
  installPipeline,
  memoryOf,
  type PipelineSpec,
  specHeading,
} from '../../support/query-pipeline';

/**
 * The query algebra's proof: random pipelines, random data and random query trees of depth up to
 * 4 return the same rows on MariaDB, SQLite, PostgreSQL and from the reference evaluator. At least 1000
 * executed queries per engine per run; JOINERY_PROP_SEED=<n> replays a run, and a failure prints
 * the pipeline seed and the query tree so that it can become a regression test.
 */
const PIPELINES = 16;
const RUNS_PER_PIPELINE = 125;
const MIN_EXECUTED = 1000;
const SEED = Number(process.env.JOINERY_PROP_SEED ?? Math.floor(Math.random() * 1e9));

describe('query algebra: MariaDB, SQLite, PostgreSQL and the reference evaluator agree', () => {
  let env: QueryEngines;
  const pipelines: PipelineSpec[] = [];

  beforeAll(async () => {
    env = await openQueryEngines('jt_qprop', { postgres: true });
    for (let i = 0; i < PIPELINES; i++) {
      const p = generatePipeline(SEED + i, env.schemaName(`p${i}`));
      for (const e of env.engines) await installPipeline(e.db, p);
      pipelines.push(p);
    }
  }, 120_000);

  afterAll(async () => {
    await env?.close();
  });

  it('reads back the generated headings on every engine', async () => {
    for (const p of pipelines) {
      const want = new Map(p.tables.map((t) => [tableKey(p.schema, t.table), shape(specHeading(t))]));
      for (const e of env.engines) {
        const got = await readHeadings(
          e.db,
          p.tables.map((t) => ({ schema: p.schema, table: t.table })),
        );
        expect(new Map([...got].map(([k, h]) => [k, shape(h)])), e.name).toEqual(want);
      }
    }
  });

  it(`returns identical rows for random queries (seed ${SEED})`, async () => {
    let executed = 0;
    let refused = 0;
    const started = Date.now();
    for (const [i, p] of pipelines.entries()) {
      const headings = new Map(p.tables.map((t) => [tableKey(p.schema, t.table), specHeading(t)]));
      const lookup: HeadingLookup = (s, t) => headings.get(tableKey(s, t));
      const mem = memoryOf(p);
      const resolver = classResolver(p.tables.map((t) => ({ schema: p.schema, table_name: t.table })));
      await fc.assert(
        fc.asyncProperty(fc.gen(), async (g) => {
          const node = new QueryGen({ int: (min, max) => g(fc.integer, { min, max }) }, p, lookup).query(4, true);
          checkRoundTrip(node, lookup, resolver, mem);
          if (await checkEverywhere(node, lookup, mem, env, `pipeline seed ${p.seed}`)) executed++;
          else refused++;
        }),
        { numRuns: RUNS_PER_PIPELINE, seed: SEED + 1000 * i, endOnFailure: true },
      );
    }
    const seconds = (Date.now() - started) / 1000;
    const spent = Object.entries(timings)
      .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
      .join(', ');
    console.log(
      `query property: seed ${SEED}, ${executed} queries on each of ${env.engines.map((e) => e.name).join(', ')} + evaluator, ${refused} refused, ${seconds.toFixed(1)} s (${spent})`,
    );
    expect(executed).toBeGreaterThanOrEqual(MIN_EXECUTED);
  }, 300_000);
});

function shape(h: QueryHeading) {
  return {
    primary_key: h.primary_key,
    attributes: h.attributes.map((a) => ({
      name: a.name,
      in_key: a.in_key,
      nullable: a.nullable,
      datajoint_type: a.datajoint_type,
    })),
  };
}
