import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { declarePipeline, ENGINES_WITH_POSTGRES, type EngineSession, openEngine } from '../../support/data-engines';

/**
 * What happens to rows and tables after they exist, on SQLite and MariaDB through the API:
 * cascading delete (preview first, confirmed total, one transaction, DataJoint's part rule),
 * update1, describe -> declare round trip, and drop (dependents first, confirmation).
 */
const HEADING_FIELDS = [
  'table_name',
  'class_name',
  'tier',
  'table_comment',
  'primary_key',
  'secondary_attributes',
  'foreign_keys',
  'indexes',
] as const;
const ATTRIBUTE_FIELDS = [
  'name',
  'in_key',
  'datajoint_type',
  'sql_type',
  'nullable',
  'default',
  'comment',
  'is_blob',
  'is_attachment',
  'uuid',
  'json',
] as const;

/** A table's heading with schema names made generic, for comparing two declarations. */
function heading(t: TableInfo, names: Record<string, string>): unknown {
  const rename = (x: string) => Object.entries(names).reduce((acc, [from, to]) => acc.replaceAll(from, to), x);
  const pick = (o: object, fields: readonly string[]) =>
    Object.fromEntries(fields.map((f) => [f, (o as Record<string, unknown>)[f]]));
  return JSON.parse(
    rename(
      JSON.stringify({ ...pick(t, HEADING_FIELDS), attributes: t.attributes.map((a) => pick(a, ATTRIBUTE_FIELDS)) }),
    ),
  );
}

describe.each(ENGINES_WITH_POSTGRES)('delete, update, describe and drop on %s', (engine) => {
  let s: EngineSession;
  const count = async (schema: string, table: string) =>
    (await s.call('data.fetch', { schema, table, limit: 1 })).total;

  beforeAll(async () => {
    s = await openEngine(engine, 'jt_life');
    await declarePipeline(s);
    // rows of the Imported tables are written by hand here, as DataJoint's allow_direct_insert=True does
    const ins = (schema: string, table: string, rows: Record<string, unknown>[]) =>
      s.call('data.insert', { schema, table, rows, allowDirectInsert: true });
    await ins(s.lab, '#species', [{ species: 'mouse' }]);
    await ins(
      s.lab,
      'subject',
      [1, 2, 3].map((id) => ({ subject_id: id, species: 'mouse', sex: 'F', date_of_birth: '2024-01-01', weight: 20 })),
    );
    await ins(
      s.ephys,
      'session',
      [
        [1, 1],
        [1, 2],
        [2, 1],
      ].map(([subject_id, session_idx]) => ({ subject_id, session_idx, session_start: '2024-02-01 10:00:00' })),
    );
    await ins(s.ephys, 'session__note', [
      { subject_id: 1, session_idx: 1, note_idx: 1, text: 'a' },
      { subject_id: 1, session_idx: 1, note_idx: 2, text: 'b' },
      { subject_id: 2, session_idx: 1, note_idx: 1, text: 'c' },
    ]);
    await ins(s.ephys, 'session_pair', [{ ref_subject: 2, ref_session: 1, cmp_subject: 1, cmp_session: 2 }]);
    await ins(
      s.ephys,
      '_recording',
      [
        [1, 1],
        [1, 2],
      ].map(([subject_id, session_idx]) => ({ subject_id, session_idx, trace: [1, 2, 3] })),
    );
    await ins(
      s.ephys,
      '_recording__channel',
      [0, 1].map((channel) => ({ subject_id: 1, session_idx: 1, channel })),
    );
    await ins(s.ephys, '__analysis', [{ subject_id: 1, session_idx: 1, score: 0.5 }]);
  });
  afterAll(async () => s?.close());

  it('previews a cascade with counts per table, the restricted table first, renamed foreign keys followed', async () => {
    const preview = await s.call('data.deletePreview', {
      schema: s.lab,
      table: 'subject',
      restriction: { subject_id: 1 },
    });
    const rows = Object.fromEntries(preview.tables.map((t) => [t.full_name.replace(/^.*\./, ''), t.rows]));
    expect(preview.tables[0]).toMatchObject({ full_name: `${s.lab}.subject`, class_name: 'Subject', rows: 1 });
    expect(rows).toEqual({
      subject: 1,
      session: 2,
      session__note: 2,
      session_pair: 1,
      _recording: 2,
      _recording__channel: 2,
      __analysis: 1,
    });
    expect(preview.total).toBe(11);
  });

  it('refuses a delete whose confirmed total differs from the data, deleting nothing', async () => {
    const err = await s.fail('data.delete', {
      schema: s.lab,
      table: 'subject',
      restriction: { subject_id: 1 },
      expectedTotal: 10,
    });
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(await count(s.ephys, '__analysis')).toBe(1);
    expect(await count(s.lab, 'subject')).toBe(3);
  });

  it('refuses to delete part rows without their master, unless told to', async () => {
    const restriction = { subject_id: 2, session_idx: 1 };
    const preview = await s.call('data.deletePreview', { schema: s.ephys, table: 'session__note', restriction });
    expect(preview.total).toBe(1);
    const err = await s.fail('data.delete', { schema: s.ephys, table: 'session__note', restriction, expectedTotal: 1 });
    expect(err).toMatchObject({
      code: 'VALIDATION',
      details: { table: `${s.ephys}.session__note`, master: `${s.ephys}.session` },
    });
    expect(await count(s.ephys, 'session__note')).toBe(3);
    expect(
      (
        await s.call('data.delete', {
          schema: s.ephys,
          table: 'session__note',
          restriction,
          expectedTotal: 1,
          forceParts: true,
        })
      ).total,
    ).toBe(1);
    expect(await count(s.ephys, 'session__note')).toBe(2);
  });

  it('deletes the confirmed cascade in one go, parts with their masters', async () => {
    const done = await s.call('data.delete', {
      schema: s.lab,
      table: 'subject',
      restriction: { subject_id: 1 },
      expectedTotal: 11,
    });
    expect(done.total).toBe(11);
    const left = await Promise.all([
      count(s.lab, 'subject'),
      count(s.ephys, 'session'),
      count(s.ephys, 'session__note'),
      count(s.ephys, 'session_pair'),
      count(s.ephys, '_recording'),
      count(s.ephys, '_recording__channel'),
      count(s.ephys, '__analysis'),
    ]);
    expect(left).toEqual([2, 1, 0, 0, 0, 0, 0]);
  });

  it('update1 changes secondary attributes of exactly one existing row', async () => {
    const seen: unknown[] = [];
    const off = s.core.events.subscribe((event, data) => event === 'data.updated' && seen.push(data));
    await s.call('data.update', {
      schema: s.lab,
      table: 'subject',
      key: { subject_id: 2 },
      values: { weight: '21.5', notes: 'moved' },
    });
    const row = (await s.call('data.fetch', { schema: s.lab, table: 'subject', restriction: { subject_id: 2 } }))
      .rows[0];
    expect(row).toMatchObject({ weight: '21.50', notes: 'moved' });
    // screens showing the row refetch on this event (renderer/api/query-keys.ts)
    expect(seen).toEqual([{ connectionId: s.connectionId, table: `${s.lab}.subject` }]);
    off();
    await s.call('data.update', { schema: s.lab, table: 'subject', key: { subject_id: 2 }, values: { weight: null } });
    expect(
      (await s.call('data.fetch', { schema: s.lab, table: 'subject', restriction: { subject_id: 2 } })).rows[0]!.weight,
    ).toBeNull();
  });

  it.each([
    ['a key attribute', { key: { subject_id: 2 }, values: { subject_id: 9 } }, 'VALIDATION', /part of the primary key/],
    ['a partial key', { key: {}, values: { notes: 'x' } }, 'VALIDATION', /full primary key; missing subject_id/],
    [
      'a key with extra attributes',
      { key: { subject_id: 2, sex: 'F' }, values: { notes: 'x' } },
      'VALIDATION',
      /not a primary-key attribute/,
    ],
    ['a row that does not exist', { key: { subject_id: 99 }, values: { notes: 'x' } }, 'NOT_FOUND', /no row with key/],
    [
      'an unknown attribute',
      { key: { subject_id: 2 }, values: { colour: 'x' } },
      'VALIDATION',
      /no attribute "colour"/,
    ],
    ['a wrong value', { key: { subject_id: 2 }, values: { sex: 'X' } }, 'VALIDATION', /"sex" must be one of/],
    [
      'null into a required attribute',
      { key: { subject_id: 2 }, values: { date_of_birth: null } },
      'VALIDATION',
      /required/,
    ],
    ['nothing', { key: { subject_id: 2 }, values: {} }, 'VALIDATION', /nothing to update/],
  ])('update1 refuses %s', async (_name, input, code, message) => {
    const err = await s.fail('data.update', { schema: s.lab, table: 'subject', ...input });
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('describes every table so that declaring the text again gives the same heading', async () => {
    const info = await s.call('pipeline.inspect', { schemas: [s.lab, s.ephys] });
    const tables = Object.values(info.schemas).flatMap((x) => x.tables);
    const copy = await openEngine(engine, 'jt_life');
    try {
      const definitions = [];
      for (const t of tables) {
        const { definition } = await s.call('table.describe', { schema: t.schema, table: t.table_name });
        const text = definition.replaceAll(s.lab, copy.lab).replaceAll(s.ephys, copy.ephys);
        definitions.push({
          schema: t.schema === s.lab ? copy.lab : copy.ephys,
          class_name: t.class_name,
          tier: t.tier!,
          definition: text,
        });
      }
      await copy.call('table.declare', { tables: definitions.reverse() });
      const again = await copy.call('pipeline.inspect', { schemas: [copy.lab, copy.ephys] });
      const mine = Object.values(again.schemas).flatMap((x) => x.tables);
      for (const t of tables) {
        const twin = mine.find(
          (m) => m.table_name === t.table_name && (m.schema === copy.lab) === (t.schema === s.lab),
        );
        expect(heading(twin!, { [copy.lab]: 'LAB', [copy.ephys]: 'EPHYS' }), t.full_name).toEqual(
          heading(t, { [s.lab]: 'LAB', [s.ephys]: 'EPHYS' }),
        );
      }
    } finally {
      await copy.close();
    }
  });

  it('refuses to insert into Imported and Computed tables by hand unless told to, writing nothing', async () => {
    const before = { analysis: await count(s.ephys, '__analysis'), recording: await count(s.ephys, '_recording') };
    const row = { subject_id: 2, session_idx: 1, score: 1 };
    const err = await s.fail('data.insert', { schema: s.ephys, table: '__analysis', rows: [row] });
    expect(err).toMatchObject({ code: 'VALIDATION', details: { table: `${s.ephys}.__analysis`, tier: 'Computed' } });
    expect(err.message).toMatch(/^Analysis \(.*__analysis\) is a Computed table/);
    expect(err.hint).toMatch(/allow-direct-insert/);
    const imported = await s.fail('data.import', {
      schema: s.ephys,
      table: '_recording',
      format: 'json',
      text: '[{"subject_id": 2, "session_idx": 1}]',
    });
    expect(imported).toMatchObject({ code: 'VALIDATION', details: { tier: 'Imported' } });
    expect({ analysis: await count(s.ephys, '__analysis'), recording: await count(s.ephys, '_recording') }).toEqual(
      before,
    );
  });

  it('refuses to drop a part table alone unless forced', async () => {
    const confirm = [`${s.ephys}._recording__channel`];
    const before = {
      channels: await count(s.ephys, '_recording__channel'),
      recordings: await count(s.ephys, '_recording'),
    };
    const err = await s.fail('table.drop', { schema: s.ephys, table: '_recording__channel', confirm });
    expect(err).toMatchObject({ code: 'VALIDATION', details: { table: confirm[0], master: `${s.ephys}._recording` } });
    expect(await count(s.ephys, '_recording__channel')).toBe(before.channels);
    await s.call('table.drop', { schema: s.ephys, table: '_recording__channel', confirm, forcePart: true });
    const left = (await s.call('pipeline.inspect', { schemas: [s.ephys] })).schemas[s.ephys]!.tables.map(
      (t) => t.table_name,
    );
    expect(left).not.toContain('_recording__channel');
    expect(await count(s.ephys, '_recording')).toBe(before.recordings);
  });

  it('drops a table with its dependents listed first, only as confirmed', async () => {
    const preview = await s.call('table.dropPreview', { schema: s.ephys, table: 'session' });
    const names = preview.tables.map((t) => t.full_name);
    expect(names.at(-1)).toBe(`${s.ephys}.session`);
    expect(new Set(names)).toEqual(
      new Set(['session', 'session__note', 'session_pair', '_recording', '__analysis'].map((n) => `${s.ephys}.${n}`)),
    );
    expect(names.indexOf(`${s.ephys}.session__note`)).toBeLessThan(names.indexOf(`${s.ephys}.session`));
    expect(names.indexOf(`${s.ephys}.__analysis`)).toBeLessThan(names.indexOf(`${s.ephys}._recording`));
    expect(preview.tables.find((t) => t.full_name === `${s.ephys}.session`)!.rows).toBe(1);
    const wrong = await s.fail('table.drop', { schema: s.ephys, table: 'session', confirm: names.slice(1) });
    expect(wrong.code).toBe('CONFLICT');
    await s.call('table.drop', { schema: s.ephys, table: 'session', confirm: names });
    const left = (await s.call('pipeline.inspect', { schemas: [s.ephys] })).schemas[s.ephys]!.tables.map(
      (t) => t.table_name,
    );
    expect(left).toEqual(['all_types']);
    expect(await count(s.lab, 'subject')).toBe(2);
  });
});
