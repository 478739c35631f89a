import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { NamedAttribute, QueryNode } from '../../../shared/query/ast';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture, loadFixture, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL } from '../../support/mysql';

/**
 * The query algebra on the real database DataJoint 0.14.9 wrote (the reference fixture): every
 * table counts and fetches with every attribute type, and DataJoint's own pending keys
 * (key_source - table, recorded by DataJoint in the expected JSON) come out of the same operators.
 */
interface ExpectedTable {
  table_name: string;
  class_name: string;
  row_count: number;
  primary_key: string[];
  foreign_keys: { parent: string; attr_map: Record<string, string>; primary: boolean }[];
  populate?: { pending_count: number; pending_keys: Record<string, unknown>[] };
}

const skip = isSkipped('mysql');
let fx: FixtureNames & { rename: (s: string) => string };
let core: Core;
let connectionId: string;
const expected = expectedFixture() as { schemas: Record<string, { tables: ExpectedTable[] }> };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fields are checked one by one
async function call(method: string, input: Record<string, unknown>): Promise<any> {
  const res = await core.dispatch(method, { connectionId, ...input }, { transport: 'in-process', host: 'cli' });
  if (!res.ok) throw new Error(`${method}: ${res.error.message} ${res.error.hint ?? ''}`);
  return res.value;
}

describe.skipIf(skip)('queries on the DataJoint reference database', () => {
  beforeAll(async () => {
    fx = await loadFixture('jt_qfix');
    ({ core } = createTestCore('cli'));
    const res = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
    if (!res.ok) throw new Error(res.error.message);
    connectionId = (res.value as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await core?.dispose();
    if (fx) await dropFixture(fx);
  });

  const local = (schema: string) => (schema === 'djref_lab' ? fx.lab : fx.ephys);

  it('counts and fetches every table, every attribute type decoded', async () => {
    for (const [schema, s] of Object.entries(expected.schemas)) {
      for (const t of s.tables) {
        const text = `${local(schema)}.${t.class_name}`;
        expect((await call('query.count', { query: text })).count, text).toBe(t.row_count);
        const page = await call('query.fetch', { query: text, limit: null });
        expect(page.rows, text).toHaveLength(t.row_count);
        expect(page.primary_key, text).toEqual(t.primary_key);
        expect(JSON.stringify(page.rows), text).not.toContain('"type":"Buffer"');
      }
    }
    const session = await call('query.fetch', { query: `${fx.ephys}.Session & 'session_idx = 1'`, limit: 1 });
    expect(session.rows[0].session_uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(session.rows[0].session_datetime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(session.rows[0].temperature).toMatch(/^-?\d+\.\d$/);
    const uuid = session.rows[0].session_uuid as string;
    expect(
      (await call('query.count', { query: `${fx.ephys}.Session & {"session_uuid": "${uuid.toUpperCase()}"}` })).count,
    ).toBe(1);
  });

  it('joins across schemas and aggregates', async () => {
    const join = `${fx.lab}.Subject * ${fx.ephys}.Session`;
    expect((await call('query.count', { query: join })).count).toBe(8);
    const per = await call('query.fetch', {
      query: `${fx.lab}.Subject.aggr(${fx.ephys}.Session, n='count(*)', keep_all_rows=True)`,
      limit: null,
    });
    expect(per.rows.reduce((s: number, r: { n: number }) => s + r.n, 0)).toBe(8);
    expect(per.rows).toHaveLength(4);
    const units = await call('query.fetch', {
      query: `${fx.ephys}.SpikeDetection.aggr(${fx.ephys}.SpikeDetection.Unit, n='count(*)', keep_all_rows=True)`,
      limit: null,
    });
    expect(units.rows.reduce((s: number, r: { n: number }) => s + r.n, 0)).toBeGreaterThanOrEqual(11);
  });

  it("reproduces DataJoint's pending keys: key_source.proj() - table", async () => {
    for (const [schema, s] of Object.entries(expected.schemas)) {
      for (const t of s.tables.filter((x) => x.populate)) {
        const parents = t.foreign_keys
          .filter((f) => f.primary)
          .map((f): QueryNode => {
            const [ps, pt] = [f.parent.slice(0, f.parent.indexOf('.')), f.parent.slice(f.parent.indexOf('.') + 1)];
            const renames: NamedAttribute[] = Object.entries(f.attr_map)
              .filter(([c, p]) => c !== p)
              .map(([c, p]) => ({ kind: 'rename', name: c, attribute: p }));
            return {
              kind: 'proj',
              source: { kind: 'table', schema: local(ps), table: pt },
              attributes: [],
              named: renames,
            };
          });
        const keySource = parents.reduce((acc, p) => ({ kind: 'join', left: acc, right: p }));
        const pending: QueryNode = {
          kind: 'restrict',
          source: { kind: 'proj', source: keySource, attributes: [], named: [] },
          restriction: {
            kind: 'not',
            item: { kind: 'query', query: { kind: 'table', schema: local(schema), table: t.table_name } },
          },
        };
        const page = await call('query.fetch', { query: pending, limit: null });
        const key = (r: Record<string, unknown>) =>
          JSON.stringify(
            Object.keys(r)
              .sort()
              .map((k) => [k, r[k]]),
          );
        expect(page.rows.map(key).sort(), t.class_name).toEqual(t.populate!.pending_keys.map(key).sort());
        expect((await call('query.count', { query: pending })).count).toBe(t.populate!.pending_count);
      }
    }
  });
});
