import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { type EngineSession, openEngine } from '../../support/data-engines';
import { isSkipped } from '../../support/env';
import { rawPostgres } from '../../support/postgres';

/**
 * `bool` on PostgreSQL is a `boolean` column, as DataJoint 2.x declares it (its reader, psycopg2,
 * then gets True/False), in both conventions and for 2.x's hidden `_singleton`. Joinery writes
 * 0/1 and true/false into it, reads 0/1 back as from MySQL's tinyint(1), and its queries treat
 * it as MySQL does (`flag = 1`, `WHERE flag`, SUM).
 */
describe.skipIf(isSkipped('postgres'))('bool on PostgreSQL', () => {
  let s: EngineSession;
  let raw: pg.Client;
  const DEFINITION = 'id : int\n---\nflag : bool\nmaybe = null : bool\nyes = 1 : bool\nno = 0 : bool';

  beforeAll(async () => {
    s = await openEngine('postgres', 'jt_pgbool');
    raw = await rawPostgres(new URL(s.url).pathname.slice(1));
    await s.call('table.declare', {
      tables: [
        { schema: s.lab, class_name: 'Flags', tier: 'Manual', definition: DEFINITION },
        { schema: s.lab, class_name: 'Choice', tier: 'Lookup', definition: 'choice : bool\n---\nlabel : varchar(8)' },
      ],
      conventions: '0.14',
    });
    await s.call('table.declare', {
      tables: [
        { schema: s.ephys, class_name: 'Flags', tier: 'Manual', definition: DEFINITION },
        { schema: s.ephys, class_name: 'Settings', tier: 'Lookup', definition: '---\nverbose = 0 : bool' },
      ],
      conventions: '2',
    });
  });
  afterAll(async () => {
    await raw?.end();
    await s?.close();
  });

  const columns = async (schema: string, table: string) =>
    (
      await raw.query<{ column_name: string; data_type: string; column_default: string | null }>(
        `SELECT column_name, data_type, column_default FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, table],
      )
    ).rows;

  it.each(['0.14', '2'])('declares boolean columns with TRUE/FALSE defaults (conventions %s)', async (conv) => {
    const schema = conv === '2' ? s.ephys : s.lab;
    expect(await columns(schema, 'flags')).toEqual([
      { column_name: 'id', data_type: 'integer', column_default: null },
      { column_name: 'flag', data_type: 'boolean', column_default: null },
      { column_name: 'maybe', data_type: 'boolean', column_default: null },
      { column_name: 'yes', data_type: 'boolean', column_default: 'true' },
      { column_name: 'no', data_type: 'boolean', column_default: 'false' },
    ]);
  });

  it("gives 2.x's _singleton the boolean key DataJoint 2.x declares", async () => {
    expect(await columns(s.ephys, '#settings')).toEqual([
      { column_name: '_singleton', data_type: 'boolean', column_default: 'true' },
      { column_name: 'verbose', data_type: 'boolean', column_default: 'false' },
    ]);
    await s.call('data.insert', { schema: s.ephys, table: '#settings', rows: [{ verbose: true }] });
    const got = await s.call('data.fetch', { schema: s.ephys, table: '#settings' });
    expect(got.rows).toEqual([{ verbose: 1 }]);
    expect((await raw.query(`SELECT * FROM "${s.ephys}"."#settings"`)).rows).toEqual([
      { _singleton: true, verbose: true },
    ]);
  });

  it.each(['0.14', '2'])(
    'writes true/false/1/0/null, reads 0/1/null back, and a boolean reader sees booleans (%s)',
    async (conv) => {
      const schema = conv === '2' ? s.ephys : s.lab;
      await s.call('data.insert', {
        schema,
        table: 'flags',
        rows: [
          { id: 1, flag: true, maybe: false },
          { id: 2, flag: 0, maybe: 1 },
          { id: 3, flag: 1 },
        ],
      });
      const got = await s.call('data.fetch', {
        schema,
        table: 'flags',
        orderBy: [{ attribute: 'id', descending: false }],
      });
      expect(got.rows).toEqual([
        { id: 1, flag: 1, maybe: 0, yes: 1, no: 0 },
        { id: 2, flag: 0, maybe: 1, yes: 1, no: 0 },
        { id: 3, flag: 1, maybe: null, yes: 1, no: 0 },
      ]);
      // what psycopg2 (DataJoint 2.x's driver) gets: booleans, not integers
      const seen = await raw.query(`SELECT id, flag, maybe, yes FROM "${schema}"."flags" ORDER BY id`);
      expect(seen.rows).toEqual([
        { id: 1, flag: true, maybe: false, yes: true },
        { id: 2, flag: false, maybe: true, yes: true },
        { id: 3, flag: true, maybe: null, yes: true },
      ]);
    },
  );

  it('queries treat bool as MySQL does: = 1, a bare condition, NOT, SUM, a join on it', async () => {
    const count = async (query: string) => (await s.call('query.count', { query })).count;
    const t = `${s.lab}.Flags`;
    expect(await count(`${t} & 'flag = 1'`)).toBe(2);
    expect(await count(`${t} & 'flag'`)).toBe(2);
    expect(await count(`${t} & 'NOT flag'`)).toBe(1);
    expect(await count(`${t} & 'maybe IS NULL'`)).toBe(1);
    expect(await count(`${t} & {"flag": 0}`)).toBe(1);
    const agg = await s.call('query.fetch', {
      query: `${s.lab}.Flags.aggr(${s.lab}.Flags.proj(f2='flag'), n='SUM(f2)', m='MAX(maybe)')`,
      limit: 10,
    });
    expect(agg.rows.map((r) => [r.id, Number(r.n), r.m])).toEqual([
      [1, 1, 0],
      [2, 0, 1],
      [3, 1, null],
    ]);
    // a bool in a primary key, joined and matched
    await s.call('data.insert', {
      schema: s.lab,
      table: '#choice',
      rows: [
        { choice: 0, label: 'no' },
        { choice: true, label: 'yes' },
      ],
    });
    const joined = await s.call('query.fetch', { query: `${t}.proj(choice='flag') * ${s.lab}.Choice`, limit: 10 });
    expect(joined.rows.map((r) => [r.id, r.choice, r.label])).toEqual([
      [1, 1, 'yes'],
      [2, 0, 'no'],
      [3, 1, 'yes'],
    ]);
    expect(await count(`${s.lab}.Choice & ${t}.proj(choice='maybe')`)).toBe(2);
    expect(await count(`${s.lab}.Choice & 'choice'`)).toBe(1);
  });

  it('deletes by a restriction on a bool', async () => {
    await s.call('data.delete', { schema: s.lab, table: 'flags', restriction: { flag: 0 }, expectedTotal: 1 });
    const got = await s.call('data.fetch', {
      schema: s.lab,
      table: 'flags',
      orderBy: [{ attribute: 'id', descending: false }],
    });
    expect(got.rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it('refuses a bool other than 0 or 1 with a clear error, writing nothing', async () => {
    const err = await s.fail('data.insert', {
      schema: s.lab,
      table: 'flags',
      rows: [
        { id: 10, flag: 1 },
        { id: 11, flag: 2 },
      ],
    });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain(`${s.lab}.flags, row 2`);
    expect(err.message).toMatch(/flag.*stores as a boolean: give 0 or 1/);
    const got = await s.call('data.fetch', { schema: s.lab, table: 'flags' });
    expect(got.rows.map((r) => r.id)).not.toContain(10);
  });
});
