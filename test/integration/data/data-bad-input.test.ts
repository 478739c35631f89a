import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarePipeline, ENGINES_WITH_POSTGRES, type EngineSession, openEngine } from '../../support/data-engines';

/**
 * Bad input, table-driven, on SQLite and MariaDB through data.insert: every case inserts a good
 * row followed by a bad one and must fail with an AppError naming the table, the row (2), the
 * attribute and the reason, and leave the table exactly as it was.
 */
interface Case {
  name: string;
  table: 'subject' | 'all_types' | 'session' | 'session_pair' | 'session__note' | 'ext_holder';
  bad: Record<string, unknown>;
  code: 'VALIDATION' | 'CONSTRAINT' | 'CONFLICT' | 'NOT_FOUND';
  attribute: string | null;
  reason: RegExp;
  only?: 'sqlite' | 'mysql';
}

const subject = (o: Record<string, unknown>) => ({
  subject_id: 500,
  species: 'mouse',
  sex: 'M',
  date_of_birth: '2024-01-01',
  ...o,
});
const types = (o: Record<string, unknown>) => ({ id: 500, ...o });
const a = (
  name: string,
  bad: Record<string, unknown>,
  attribute: string,
  reason: RegExp,
  extra: Partial<Case> = {},
): Case => ({ name, table: 'all_types', bad: types(bad), code: 'VALIDATION', attribute, reason, ...extra });

const CASES: Case[] = [
  a('text in an integer', { t_int: 'abc' }, 't_int', /expects a whole number/),
  a('a fraction in an integer', { t_int: 1.5 }, 't_int', /expects a whole number/),
  a('tinyint above 127', { t_tiny: 128 }, 't_tiny', /128 is out of range for tinyint/),
  a('a negative unsigned', { t_utiny: -1 }, 't_utiny', /out of range/),
  a('bigint beyond 2^63', { t_big: '9223372036854775808' }, 't_big', /out of range for bigint/),
  a(
    'bigint unsigned beyond what SQLite holds',
    { t_ubig: '18446744073709551615' },
    't_ubig',
    /largest integer SQLite can store/,
    { only: 'sqlite' },
  ),
  a('a float that is not a number', { t_float: 'NaN' }, 't_float', /finite number/),
  a('a float given as an object', { t_double: { x: 1 } }, 't_double', /finite number/),
  a('a decimal with too many places', { t_dec: '1.23456' }, 't_dec', /more than 4 decimal places/),
  a('a decimal too large', { t_udec: '1000.00' }, 't_udec', /too large for decimal\(5,2\)/),
  a('a negative unsigned decimal', { t_udec: '-1' }, 't_udec', /negative/),
  a('a decimal in exponent form', { t_dec: '1e5' }, 't_dec', /expects a decimal number/),
  a('an enum value not listed', { t_enum: 'purple' }, 't_enum', /must be one of "red", "green", "blue"/),
  a('char too long', { t_char: 'abcd' }, 't_char', /4 characters long; at most 3/),
  a('varchar too long', { t_varchar: 'x'.repeat(21) }, 't_varchar', /at most 20/),
  a('a number where text is expected', { t_varchar: 5 }, 't_varchar', /expects text/),
  a('February 29th of a common year', { t_date: '2023-02-29' }, 't_date', /expects a date/),
  a('a date in another format', { t_date: '02/03/2024' }, 't_date', /expects a date YYYY-MM-DD/),
  a('month 13', { t_datetime: '2024-13-01 00:00:00' }, 't_datetime', /expects a date and time/),
  a(
    'more fractional digits than datetime(3) keeps',
    { t_datetime3: '2024-01-01 00:00:00.1234' },
    't_datetime3',
    /keeps 3/,
  ),
  a('fractional seconds in datetime', { t_datetime: '2024-01-01 00:00:00.5' }, 't_datetime', /keeps 0/),
  a('CURRENT_TIMESTAMP as a value', { t_datetime: 'CURRENT_TIMESTAMP' }, 't_datetime', /is a default, not a value/),
  a('time beyond 838 hours', { t_time: '839:00:00' }, 't_time', /up to 838:59:59/),
  a('a year before 1901', { t_year: 1900 }, 't_year', /1901 to 2155/),
  a('a timestamp before 1970', { t_stamp: '1969-12-31 23:00:00' }, 't_stamp', /outside the timestamp range/),
  a('a malformed uuid', { t_uuid: 'not-a-uuid' }, 't_uuid', /expects a UUID/),
  a('a bool that is neither', { t_bool: 'maybe' }, 't_bool', /expects a whole number/),
  a(
    'a typed array whose values do not fit its shape',
    { t_blob: { type: 'ndarray', dtype: 'float64', shape: [3], values: [1] } },
    't_blob',
    /cannot be stored/,
  ),
  a(
    'a typed array of an unknown dtype',
    { t_blob: { type: 'ndarray', dtype: 'float128', shape: [1], values: [1] } },
    't_blob',
    /cannot be stored/,
  ),
  a('a typed int that is not an integer', { t_blob: { type: 'int', value: 'x' } }, 't_blob', /cannot be stored/),
  a('an attachment without contents', { t_attach: { filename: 'x.txt' } }, 't_attach', /expects an attachment/),
  a(
    'an attachment with bad base64',
    { t_attach: { filename: 'x.txt', base64: '@@@' } },
    't_attach',
    /not valid base64/,
  ),
  a(
    'an attachment named with folders',
    { t_attach: { filename: '../x.txt', base64: '' } },
    't_attach',
    /without folders/,
  ),
  {
    name: 'a missing key attribute',
    table: 'subject',
    bad: { species: 'mouse', sex: 'M', date_of_birth: '2024-01-01' },
    code: 'VALIDATION',
    attribute: 'subject_id',
    reason: /missing: it is part of the primary key/,
  },
  {
    name: 'a null key attribute',
    table: 'subject',
    bad: subject({ subject_id: null }),
    code: 'VALIDATION',
    attribute: 'subject_id',
    reason: /required/,
  },
  {
    name: 'a missing required attribute',
    table: 'subject',
    bad: subject({ sex: undefined }),
    code: 'VALIDATION',
    attribute: 'sex',
    reason: /missing and has no default/,
  },
  {
    name: 'an unknown attribute',
    table: 'subject',
    bad: subject({ colour: 'brown' }),
    code: 'VALIDATION',
    attribute: 'colour',
    reason: /not an attribute of the table/,
  },
  {
    name: 'a foreign key to no row',
    table: 'subject',
    bad: subject({ species: 'unicorn' }),
    code: 'CONSTRAINT',
    attribute: 'species',
    reason: /no .*#species row with \{"species":"unicorn"\}/,
  },
  {
    name: 'a nullable foreign key to no row',
    table: 'subject',
    bad: subject({ rig: 'R9' }),
    code: 'CONSTRAINT',
    attribute: 'rig',
    reason: /#rig row/,
  },
  {
    name: 'a cross-schema foreign key to no row',
    table: 'session',
    bad: { subject_id: 999, session_idx: 1, session_start: '2024-01-01 00:00:00' },
    code: 'CONSTRAINT',
    attribute: 'subject_id',
    reason: /_lab\.subject row with \{"subject_id":999\}/,
  },
  {
    name: 'a renamed foreign key to no row',
    table: 'session_pair',
    bad: { ref_subject: 1, ref_session: 1, cmp_subject: 1, cmp_session: 7 },
    code: 'CONSTRAINT',
    attribute: 'cmp_subject',
    reason: /session row with \{"subject_id":1,"session_idx":7\}/,
  },
  {
    name: 'a part row without its master',
    table: 'session__note',
    bad: { subject_id: 1, session_idx: 5, note_idx: 1, text: 'x' },
    code: 'CONSTRAINT',
    attribute: 'subject_id',
    reason: /session row/,
  },
  {
    name: 'a duplicate of a stored row',
    table: 'subject',
    bad: subject({ subject_id: 1 }),
    code: 'CONFLICT',
    attribute: null,
    reason: /key \{"subject_id":1\} already exists/,
  },
  {
    name: 'a duplicate within the insert',
    table: 'subject',
    bad: subject({ subject_id: 499 }),
    code: 'CONFLICT',
    attribute: null,
    reason: /key \{"subject_id":499\} already exists/,
  },
  {
    name: 'a value for an external store that is not configured here',
    table: 'ext_holder',
    bad: { id: 500, data: [1, 2] },
    code: 'NOT_FOUND',
    attribute: 'data',
    reason: /external store "raw", which is not configured on this machine/,
  },
];

/** The good row that precedes each bad one. */
const GOOD: Record<Case['table'], Record<string, unknown>> = {
  subject: subject({ subject_id: 499 }),
  all_types: types({ id: 499 }),
  session: { subject_id: 1, session_idx: 2, session_start: '2024-01-01 00:00:00' },
  session_pair: { ref_subject: 1, ref_session: 1, cmp_subject: 1, cmp_session: 1 },
  session__note: { subject_id: 1, session_idx: 1, note_idx: 1, text: 'ok' },
  ext_holder: { id: 499 },
};

describe.each(ENGINES_WITH_POSTGRES)('bad input on %s', (engine) => {
  let s: EngineSession;
  const schemaOf = (table: Case['table']) => (table === 'subject' ? s.lab : s.ephys);
  const count = async (table: Case['table']) =>
    (await s.call('data.fetch', { schema: schemaOf(table), table, limit: 1 })).total;

  beforeAll(async () => {
    s = await openEngine(engine, 'jt_bad');
    await declarePipeline(s);
    await s.call('table.declare', {
      tables: [
        {
          schema: s.ephys,
          class_name: 'ExtHolder',
          tier: 'Manual',
          definition: 'id : int\n---\ndata = null : blob@raw',
        },
      ],
    });
    await s.call('data.insert', { schema: s.lab, table: '#species', rows: [{ species: 'mouse' }] });
    await s.call('data.insert', { schema: s.lab, table: '#rig', rows: [{ rig: 'R1' }] });
    await s.call('data.insert', { schema: s.lab, table: 'subject', rows: [subject({ subject_id: 1 })] });
    await s.call('data.insert', {
      schema: s.ephys,
      table: 'session',
      rows: [{ subject_id: 1, session_idx: 1, session_start: '2024-01-01 00:00:00' }],
    });
  });
  afterAll(async () => s?.close());

  it(`has at least 40 cases`, () =>
    expect(CASES.filter((c) => !c.only || c.only === engine).length).toBeGreaterThanOrEqual(40));

  it.each(CASES.filter((c) => !c.only || c.only === engine))(
    '$name: an error naming table, row, attribute and reason; nothing written',
    async (c) => {
      const before = await count(c.table);
      const err = await s.fail('data.insert', {
        schema: schemaOf(c.table),
        table: c.table,
        rows: [GOOD[c.table], c.bad],
      });
      const fullName = `${schemaOf(c.table)}.${c.table}`;
      expect(err.code).toBe(c.code);
      expect(err.message).toContain(`${fullName}, row 2`);
      expect(err.message).toMatch(c.reason);
      expect(err.details).toMatchObject({ table: fullName, row: 2 });
      if (c.attribute) expect(err.details!.attribute).toBe(c.attribute);
      expect(await count(c.table)).toBe(before);
    },
  );

  it('a corrupt stored blob or attachment is a clear error naming table, attribute and row, never a crash', async () => {
    const db = s.core.services.connections.driver(s.connectionId);
    const target = db.dialect.qualify(s.ephys, 'all_types');
    await db.execute(
      `INSERT INTO ${target} (${db.dialect.quoteIdent('id')}, ${db.dialect.quoteIdent('t_blob')}) VALUES (900, ?)`,
      [Buffer.from('mYm\0garbage')],
    );
    await db.execute(
      `INSERT INTO ${target} (${db.dialect.quoteIdent('id')}, ${db.dialect.quoteIdent('t_attach')}) VALUES (901, ?)`,
      [Buffer.from('no separator')],
    );
    const blob = await s.fail('data.fetch', { schema: s.ephys, table: 'all_types', restriction: { id: 900 } });
    expect(blob).toMatchObject({
      code: 'VALIDATION',
      details: { table: `${s.ephys}.all_types`, attribute: 't_blob', key: { id: 900 } },
    });
    expect(blob.message).toMatch(/Corrupt blob/);
    const attach = await s.fail('data.fetch', { schema: s.ephys, table: 'all_types', restriction: { id: 901 } });
    expect(attach).toMatchObject({ code: 'VALIDATION', details: { attribute: 't_attach', key: { id: 901 } } });
    const others = await s.call('data.fetch', {
      schema: s.ephys,
      table: 'all_types',
      restriction: [{ id: 900 }, { id: 901 }],
      attributes: ['id', 't_int'],
    });
    expect(others.rows).toEqual([
      { id: 900, t_int: null },
      { id: 901, t_int: null },
    ]);
  });

  it('names a row that is not an object, and refuses an empty insert', async () => {
    const err = await s.fail('data.insert', {
      schema: s.lab,
      table: 'subject',
      rows: [subject({ subject_id: 600 }), 5] as never,
    });
    expect(err).toMatchObject({ code: 'VALIDATION', details: { row: 2 } });
    expect(err.message).toMatch(/row 2: is not an object of attribute values/);
    expect(await s.fail('data.insert', { schema: s.lab, table: 'subject', rows: [] })).toMatchObject({
      code: 'VALIDATION',
      details: { field: 'rows' },
    });
  });

  it('names the table when it does not exist', async () => {
    const err = await s.fail('data.insert', { schema: s.lab, table: 'nope', rows: [{}] });
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    expect(err.hint).toContain('subject');
  });
});
