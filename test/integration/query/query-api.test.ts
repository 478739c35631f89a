import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { DbSession } from '../../../electron/core/db/driver';
import type { QueryNode } from '../../../shared/query/ast';
import { createTestCore } from '../../support/core';
import { MYSQL_URL } from '../../support/mysql';
import { type QueryEngines, openQueryEngines } from '../../support/query-engines';
import { installLab } from '../../support/query-lab';

/**
 * query.preview / query.fetch / query.count through the dispatcher, as the UI and the CLI call
 * them, on a DataJoint-style lab pipeline declared on MariaDB and on SQLite: typed values, paging,
 * DataJoint's operators, and bad input refused with positions before any query runs.
 */
let env: QueryEngines;
let names: { lab: string; ephys: string };
const cores: Core[] = [];

beforeAll(async () => {
  env = await openQueryEngines('jt_qapi', { postgres: true });
  names = { lab: env.schemaName('lab'), ephys: env.schemaName('ephys') };
  for (const e of env.engines) await installLab(e.db, names);
}, 60_000);

afterAll(async () => {
  for (const c of cores) await c.dispose();
  await env?.close();
});

describe.each(['mysql', 'sqlite', 'postgres'] as const)('query API on %s', (dialect) => {
  let core: Core;
  let connectionId: string;
  const call = async (method: string, input: Record<string, unknown>) => {
    const res = await core.dispatch(method, { connectionId, ...input }, { transport: 'in-process', host: 'cli' });
    return res as
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are checked field by field below
      | { ok: true; value: any }
      | { ok: false; error: { code: string; message: string; hint?: string; details?: Record<string, unknown> } };
  };
  const ok = async (method: string, input: Record<string, unknown>) => {
    const res = await call(method, input);
    if (!res.ok) throw new Error(`${method}: ${res.error.message} ${res.error.hint ?? ''}`);
    return res.value;
  };
  const lab = (text: string) => ({ query: text, schemas: [names.lab] });

  beforeAll(async () => {
    if (!env.engines.some((e) => e.name === dialect)) return;
    ({ core } = createTestCore('cli'));
    cores.push(core);
    const url =
      dialect === 'mysql' ? MYSQL_URL : dialect === 'postgres' ? env.postgresUrl! : `sqlite:${env.sqlitePath}`;
    const res = await core.dispatch('connection.open', { url }, { transport: 'in-process', host: 'cli' });
    if (!res.ok) throw new Error(res.error.message);
    connectionId = (res.value as { id: string }).id;
  });

  const skip = () => !env.engines.some((e) => e.name === dialect);

  it('fetches typed values: dates, datetimes, decimals as strings, enums, nulls, uuids', async () => {
    if (skip()) return;
    const page = await ok('query.fetch', lab(`Subject * Session & 'session_date >= "2024-01-01"'`));
    expect(page.primary_key).toEqual(['subject_id', 'session_idx']);
    expect(page.rows).toEqual([
      {
        subject_id: 1,
        session_idx: 1,
        species: 'mus musculus',
        sex: 'F',
        date_of_birth: '2023-01-05',
        weight: '20.50',
        notes: "it's fine",
        session_date: '2024-01-02',
        rig: 'A',
        start_time: '2024-01-02 09:30:00',
        operator: 'ann',
      },
      {
        subject_id: 1,
        session_idx: 2,
        species: 'mus musculus',
        sex: 'F',
        date_of_birth: '2023-01-05',
        weight: '20.50',
        notes: "it's fine",
        session_date: '2024-02-03',
        rig: 'B',
        start_time: '2024-02-03 14:00:05',
        operator: null,
      },
    ]);
    const analysis = await ok('query.fetch', lab('Analysis'));
    expect(analysis.rows).toEqual([
      { subject_id: 1, session_idx: 1, score: 0.75, run_id: '00000000-0000-4000-8000-000000000001', result: null },
      { subject_id: 2, session_idx: 1, score: null, run_id: '00000000-0000-4000-8000-000000000002', result: null },
    ]);
    expect(analysis.attributes.find((a: { name: string }) => a.name === 'run_id')).toMatchObject({
      datajoint_type: 'uuid',
      in_key: false,
    });
  });

  it('pages in key order, or in the order asked, and counts', async () => {
    if (skip()) return;
    const first = await ok('query.fetch', { ...lab('Session'), limit: 2 });
    expect(first.rows.map((r: { subject_id: number; session_idx: number }) => [r.subject_id, r.session_idx])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(first.has_more).toBe(true);
    const rest = await ok('query.fetch', { ...lab('Session'), limit: 2, offset: 2 });
    expect(rest.rows.map((r: { subject_id: number }) => r.subject_id)).toEqual([2]);
    expect(rest.has_more).toBe(false);
    const byTime = await ok('query.fetch', { ...lab('Session'), order_by: ['start_time DESC'], limit: null });
    expect(byTime.rows.map((r: { start_time: string }) => r.start_time)).toEqual([
      '2024-02-03 14:00:05',
      '2024-01-02 09:30:00',
      '2023-12-30 08:00:00',
    ]);
    expect(await ok('query.count', lab(`Session & 'rig = "A"'`))).toEqual({ count: 2 });
    // enums sort by their position in the type (M, F, U), on SQLite as on MySQL
    const bySex = await ok('query.fetch', { ...lab('Subject'), order_by: ['sex'], limit: null });
    expect(bySex.rows.map((r: { sex: string }) => r.sex)).toEqual(['M', 'F', 'U']);
    const topSex = await ok('query.fetch', { ...lab("Subject & Top(1, 'sex DESC')"), limit: null });
    expect(topSex.rows.map((r: { sex: string }) => r.sex)).toEqual(['U']);
    const keys = await ok('query.fetch', { ...lab('Scan.Field'), keys_only: true });
    expect(keys.attributes.map((a: { name: string }) => a.name)).toEqual([
      'subject_id',
      'session_idx',
      'scan_id',
      'field_idx',
    ]);
  });

  it("runs DataJoint's operators: aggr with keep_all_rows, U, union, Top, antijoin, proj", async () => {
    if (skip()) return;
    const rows = async (text: string) => (await ok('query.fetch', { ...lab(text), limit: null })).rows;
    expect(
      await rows("Subject.aggr(Session, n='count(session_idx)', last='max(session_date)', keep_all_rows=True)"),
    ).toEqual([
      { subject_id: 1, n: 2, last: '2024-02-03' },
      { subject_id: 2, n: 1, last: '2023-12-30' },
      { subject_id: 3, n: 0, last: null },
    ]);
    expect(await rows("U('rig').aggr(Session, n='count(*)', first='min(start_time)')")).toEqual([
      { rig: 'A', n: 2, first: '2023-12-30 08:00:00' },
      { rig: 'B', n: 1, first: '2024-02-03 14:00:05' },
    ]);
    expect(await rows("U('species') & Subject")).toEqual([
      { species: 'mus musculus' },
      { species: 'rattus norvegicus' },
    ]);
    expect(await rows('Subject.proj() - Session')).toEqual([{ subject_id: 3 }]);
    expect(
      await rows("(Session & 'rig = \"A\"').proj(a='operator') + (Session & 'rig = \"B\"').proj(b='session_date')"),
    ).toEqual([
      { subject_id: 1, session_idx: 1, a: 'ann', b: null },
      { subject_id: 1, session_idx: 2, a: null, b: '2024-02-03' },
      { subject_id: 2, session_idx: 1, a: 'bob', b: null },
    ]);
    expect(await rows("(Session & Top(1, 'start_time DESC')).proj('rig')")).toEqual([
      { subject_id: 1, session_idx: 2, rig: 'B' },
    ]);
    expect(
      await rows("(Subject & 'weight IS NOT NULL').proj(w='weight * 2', y='year(date_of_birth)', s='upper(sex)')"),
    ).toEqual([
      { subject_id: 1, w: '41.00', y: 2023, s: 'F' },
      { subject_id: 2, w: '620.50', y: 2022, s: 'M' },
    ]);
    expect(await rows("Scan.aggr(Scan.Field, mean_x='avg(field_x)', n='count(*)')")).toEqual([
      { subject_id: 1, session_idx: 1, scan_id: 1, mean_x: 1, n: 2 },
      { subject_id: 2, session_idx: 1, scan_id: 1, mean_x: -2, n: 1 },
    ]);
    // avg of a decimal is exact text with 4 more digits, as MySQL and DataJoint give it (not a double)
    expect(await rows("dj.U().aggr(Subject & 'weight IS NOT NULL', m='avg(weight)', t='avg(weight * 0.1)')")).toEqual([
      { m: '165.375000', t: '16.5375000' },
    ]);
    expect(await rows(`Analysis & {"run_id": "00000000-0000-4000-8000-000000000002"}`)).toHaveLength(1);
    expect(await rows(`Subject.proj('notes') & {"notes": "ÄÖ😀; DROP TABLE subject; --"}`)).toEqual([
      { subject_id: 3, notes: 'ÄÖ😀; DROP TABLE subject; --' },
    ]);
  });

  it('takes a query tree as well as text', async () => {
    if (skip()) return;
    const tree: QueryNode = {
      kind: 'restrict',
      source: { kind: 'table', schema: names.lab, table: 'session' },
      restriction: {
        kind: 'condition',
        expr: { kind: 'binary', op: '=', left: { kind: 'attr', name: 'rig' }, right: { kind: 'literal', value: 'B' } },
      },
    };
    expect((await ok('query.fetch', { query: tree })).rows).toHaveLength(1);
    const preview = await ok('query.preview', { query: tree });
    expect(preview.dialect).toBe(dialect);
    expect(preview.sql.mysql.sql).toContain('`rig` = ?');
    expect(preview.sql.sqlite.sql).toContain('"rig" = ?');
    expect(preview.sql.sqlite.params).toEqual(['B']);
    const bad = await call('query.fetch', { query: { kind: 'table', schema: names.lab, table: 'nope' } });
    expect(bad.ok).toBe(false);
  });

  it('refuses bad input with a clear error and its position', async () => {
    if (skip()) return;
    const cases: [string, string, Record<string, unknown>][] = [
      [
        'Session & \'sesion_date > "2024-01-01"\'',
        'Unknown attribute "sesion_date"',
        { line: 1, column: 12, attribute: 'sesion_date' },
      ],
      ['Subject * Scan', 'dependent attribute "notes"', { attribute: 'notes' }],
      ['Session & \'rig = "A"', 'Unbalanced quote', { line: 1, column: 11 }],
      ["Session & 'rig = 1; DROP TABLE session'", 'Unexpected character ";"', { column: 19 }],
      ["Session & 'session_date > 5'", 'Type mismatch', {}],
      ['Subjekt', 'no table class "Subjekt"', { column: 1 }],
    ];
    for (const [text, fragment, details] of cases) {
      const res = await call('query.fetch', lab(text));
      expect(res.ok, text).toBe(false);
      if (res.ok) continue;
      expect(res.error.code).toBe('VALIDATION');
      expect(res.error.message).toContain(fragment);
      expect(res.error.details).toMatchObject(details);
    }
  });

  it('runs no SQL at all for malformed text, and only catalog reads for unknown names', async () => {
    if (skip()) return;
    const db = env.engines.find((e) => e.name === dialect)!.db;
    const seen: string[] = [];
    const spy: DbSession = {
      dialect: db.dialect,
      query: (sql, params) => (seen.push(sql), db.query(sql, params)),
      execute: (sql, params) => (seen.push(sql), db.execute(sql, params)),
      stream: (sql, params) => (seen.push(sql), db.stream(sql, params)),
    };
    const prepare = (text: string) =>
      core.services.query.prepare(spy, text, [names.lab]).then(
        () => null,
        (e: unknown) => e,
      );
    for (const text of [
      "Session & 'x; DROP TABLE session; --",
      "Session & 'a' 'b'",
      'Session &',
      "Session.proj(x='1 -- c')",
      '{"a": 1} & Session',
    ]) {
      expect(await prepare(text), text).toMatchObject({ code: 'VALIDATION' });
    }
    expect(seen).toEqual([]);
    expect(await prepare("Session & 'nope = 1'")).toMatchObject({ code: 'VALIDATION' });
    expect(seen.length).toBeGreaterThan(0);
    for (const sql of seen)
      expect(sql).toMatch(
        /information_schema|sqlite_master|pragma_table_info|~joinery_table_meta|pg_catalog|pg_namespace/,
      );
  });
});
