import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  declarePipeline,
  ENGINES_WITH_POSTGRES as ENGINES,
  type EngineName,
  type EngineSession,
  openEngine,
} from '../../support/data-engines';

/**
 * Rows in and out through the real API (core.dispatch), one suite on SQLite and MariaDB: every
 * attribute type at its limits, typed values identical on both engines, one transaction per
 * insert, skip/replace, and fetch with restrictions, order, limit and offset.
 */
const b64 = (s: string) => Buffer.from(s).toString('base64');
const attachment = (filename: string, text: string) => ({
  type: 'attachment',
  filename,
  size: Buffer.byteLength(text),
  base64: b64(text),
});

/** Each case: the row inserted and the row fetched back (t_stamp is checked on its own). */
const TYPE_CASES: { name: string; row: Record<string, unknown>; fetched: Record<string, unknown> }[] = [
  {
    name: 'upper limits',
    row: {
      id: 1,
      t_tiny: 127,
      t_utiny: 255,
      t_small: 32767,
      t_usmall: 65535,
      t_medium: 8388607,
      t_umedium: 16777215,
      t_int: 2147483647,
      t_uint: 4294967295,
      t_big: '9223372036854775807',
      t_ubig: '9223372036854775807',
      t_float: 0.1,
      t_double: 0.1 + 0.2,
      t_dec: '99999999.9999',
      t_udec: '999.99',
      t_enum: 'blue',
      t_char: 'abc',
      t_varchar: 'héllo wörld ✓ 12345',
      t_date: '2024-02-29',
      t_datetime: '9999-12-31 23:59:59',
      t_datetime3: '2024-03-01 10:00:00.5',
      t_time: '838:59:59',
      t_year: 2155,
      t_bool: false,
      t_uuid: '0C2B6C36-1B7E-4D5F-9A2E-3C1D0E9F8A7B',
      t_json: { a: [1, 2, { b: null }], s: 'x' },
      t_blob: {
        type: 'ndarray',
        dtype: 'int16',
        shape: [2, 2],
        values: [
          [1, -2],
          [3, 32767],
        ],
      },
      t_attach: { filename: 'notes.txt', base64: b64('hello\0world') },
    },
    fetched: {
      id: 1,
      t_tiny: 127,
      t_utiny: 255,
      t_small: 32767,
      t_usmall: 65535,
      t_medium: 8388607,
      t_umedium: 16777215,
      t_int: 2147483647,
      t_uint: 4294967295,
      t_big: '9223372036854775807',
      t_ubig: '9223372036854775807',
      t_float: 0.1,
      t_double: 0.30000000000000004,
      t_dec: '99999999.9999',
      t_udec: '999.99',
      t_enum: 'blue',
      t_char: 'abc',
      t_varchar: 'héllo wörld ✓ 12345',
      t_date: '2024-02-29',
      t_datetime: '9999-12-31 23:59:59',
      t_datetime3: '2024-03-01 10:00:00.500000',
      t_time: '838:59:59',
      t_year: 2155,
      t_bool: 0,
      t_uuid: '0c2b6c36-1b7e-4d5f-9a2e-3c1d0e9f8a7b',
      t_json: { a: [1, 2, { b: null }], s: 'x' },
      t_blob: {
        type: 'ndarray',
        dtype: 'int16',
        shape: [2, 2],
        values: [
          [1, -2],
          [3, 32767],
        ],
      },
      t_attach: attachment('notes.txt', 'hello\0world'),
    },
  },
  {
    name: 'lower limits',
    row: {
      id: 2,
      t_tiny: -128,
      t_utiny: 0,
      t_small: -32768,
      t_usmall: 0,
      t_medium: -8388608,
      t_umedium: 0,
      t_int: -2147483648,
      t_uint: 0,
      t_big: '-9223372036854775808',
      t_ubig: 0,
      t_float: -1e-7,
      t_double: -1.7976931348623157e308,
      t_dec: '-99999999.9999',
      t_udec: '0',
      t_enum: 'red',
      t_char: '',
      t_varchar: '',
      t_date: '1000-01-01',
      t_datetime: '1000-01-01 00:00:00',
      t_datetime3: '1000-01-01 00:00:00.001',
      t_time: '-838:59:59',
      t_year: 1901,
      t_bool: true,
      t_uuid: '00000000-0000-0000-0000-000000000000',
      t_json: [1, 'two', null, true],
      t_blob: [1, 2.5, 'x'],
      t_attach: { filename: 'empty.bin', base64: '' },
    },
    fetched: {
      id: 2,
      t_tiny: -128,
      t_utiny: 0,
      t_small: -32768,
      t_usmall: 0,
      t_medium: -8388608,
      t_umedium: 0,
      t_int: -2147483648,
      t_uint: 0,
      t_big: '-9223372036854775808',
      t_ubig: 0,
      t_float: -1e-7,
      t_double: -1.7976931348623157e308,
      t_dec: '-99999999.9999',
      t_udec: '0.00',
      t_enum: 'red',
      t_char: '',
      t_varchar: '',
      t_date: '1000-01-01',
      t_datetime: '1000-01-01 00:00:00',
      t_datetime3: '1000-01-01 00:00:00.001000',
      t_time: '-838:59:59',
      t_year: 1901,
      t_bool: 1,
      t_uuid: '00000000-0000-0000-0000-000000000000',
      t_json: [1, 'two', null, true],
      t_blob: {
        type: 'list',
        items: [
          { type: 'int', value: 1 },
          { type: 'float', value: 2.5 },
          { type: 'str', value: 'x' },
        ],
      },
      t_attach: attachment('empty.bin', ''),
    },
  },
  {
    name: 'conversions: numbers as text, text as numbers, 2^53 edges, single floats',
    row: {
      id: 3,
      t_int: '-17',
      t_uint: ' 42 ',
      t_big: 9007199254740991,
      t_ubig: '9007199254740993',
      t_float: 1 / 3,
      t_double: '2.5',
      t_dec: 1.5,
      t_udec: '007.1',
      t_date: '2024-1-2',
      t_datetime: '2024-01-02T03:04:05',
      t_datetime3: '2024-01-02 03:04',
      t_time: '7:05',
      t_year: '2024',
      t_bool: 'true',
      t_json: '{"from": "text"}',
      t_blob: { type: 'ndarray', dtype: 'float64', shape: [3], values: [1.5, 'NaN', '-Infinity'] },
    },
    fetched: {
      id: 3,
      t_int: -17,
      t_uint: 42,
      t_big: 9007199254740991,
      t_ubig: '9007199254740993',
      t_float: 0.333333,
      t_double: 2.5,
      t_dec: '1.5000',
      t_udec: '7.10',
      t_date: '2024-01-02',
      t_datetime: '2024-01-02 03:04:05',
      t_datetime3: '2024-01-02 03:04:00',
      t_time: '07:05:00',
      t_year: 2024,
      t_bool: 1,
      t_json: { from: 'text' },
      t_blob: { type: 'ndarray', dtype: 'float64', shape: [3], values: [1.5, 'NaN', '-Infinity'] },
    },
  },
  { name: 'only the key: every attribute null', row: { id: 4 }, fetched: { id: 4 } },
];

const results: Partial<Record<EngineName, unknown>> = {};

describe.each(ENGINES)('data conformance on %s', (engine) => {
  let s: EngineSession;
  beforeAll(async () => {
    s = await openEngine(engine, 'jt_data');
    await declarePipeline(s);
  });
  afterAll(async () => s?.close());

  const lab = () => ({ schema: s.lab });
  const ephys = () => ({ schema: s.ephys });

  it('inserts one row and reads it back with defaults filled in', async () => {
    expect(await s.call('data.insert', { ...lab(), table: '#species', rows: [{ species: 'mouse' }] })).toEqual({
      inserted: 1,
      skipped: 0,
    });
    const got = await s.call('data.fetch', { ...lab(), table: '#species' });
    expect(got).toEqual({
      attributes: ['species', 'common_name'],
      primary_key: ['species'],
      rows: [{ species: 'mouse', common_name: '' }],
      total: 1,
    });
  });

  it('inserts many rows in one call, with nullable foreign keys given or left out', async () => {
    await s.call('data.insert', {
      ...lab(),
      table: '#species',
      rows: [{ species: 'rat', common_name: 'Rat' }, { species: 'zebrafish' }],
    });
    await s.call('data.insert', { ...lab(), table: '#rig', rows: [{ rig: 'R1', room: 'B101' }, { rig: 'R2' }] });
    const subjects = Array.from({ length: 20 }, (_, i) => ({
      subject_id: i + 1,
      species: ['mouse', 'rat', 'zebrafish'][i % 3],
      sex: ['M', 'F', 'U'][i % 3],
      date_of_birth: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
      ...(i % 2 ? { rig: 'R1', weight: 10 + i / 4 } : { rig: null }),
    }));
    expect(await s.call('data.insert', { ...lab(), table: 'subject', rows: subjects })).toEqual({
      inserted: 20,
      skipped: 0,
    });
    const got = await s.call('data.fetch', { ...lab(), table: 'subject', restriction: { subject_id: 2 } });
    expect(got.rows).toEqual([
      { subject_id: 2, species: 'rat', rig: 'R1', sex: 'F', date_of_birth: '2024-01-02', weight: '10.25', notes: '' },
    ]);
    expect((await s.call('data.fetch', { ...lab(), table: 'subject', restriction: { rig: null } })).total).toBe(10);
  });

  it.each(TYPE_CASES)('every attribute type: $name', async ({ row, fetched }) => {
    await s.call('data.insert', { ...ephys(), table: 'all_types', rows: [row] });
    const got = await s.call('data.fetch', { ...ephys(), table: 'all_types', restriction: { id: row.id } });
    const { t_stamp: stamp, ...rest } = got.rows[0]!;
    const nulls = Object.fromEntries(got.attributes.filter((a) => a !== 't_stamp').map((a) => [a, null]));
    expect(rest).toEqual({ ...nulls, ...fetched });
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/); // DEFAULT CURRENT_TIMESTAMP
  });

  it('fetches typed values that are identical on both engines', async () => {
    const got = await s.call('data.fetch', {
      ...ephys(),
      table: 'all_types',
      attributes: ['id', 't_big', 't_float', 't_dec', 't_datetime3', 't_blob', 't_attach', 't_json'],
    });
    results[engine] = got.rows;
    expect(got.rows).toHaveLength(TYPE_CASES.length);
  });

  it('restricts by a dict and by a list of dicts, on typed values', async () => {
    const ids = async (restriction: unknown) =>
      (
        await s.call('data.fetch', {
          ...ephys(),
          table: 'all_types',
          restriction: restriction as never,
          attributes: ['id'],
        })
      ).rows.map((r) => r.id);
    expect(await ids({ t_uuid: '0C2B6C36-1B7E-4D5F-9A2E-3C1D0E9F8A7B' })).toEqual([1]);
    expect(await ids({ t_dec: '-99999999.9999' })).toEqual([2]);
    expect(await ids({ t_date: '2024-01-02', t_bool: true })).toEqual([3]);
    expect(await ids({ t_big: '9223372036854775807' })).toEqual([1]);
    expect(await ids([{ id: 1 }, { t_enum: 'red' }, { id: 99 }])).toEqual([1, 2]);
    expect(await ids({ t_uuid: null })).toEqual([3, 4]);
    expect(await ids([])).toEqual([]);
  });

  it('orders, limits and offsets; total counts every match', async () => {
    const page = await s.call('data.fetch', {
      ...lab(),
      table: 'subject',
      attributes: ['subject_id', 'date_of_birth'],
      orderBy: [{ attribute: 'date_of_birth', descending: true }],
      limit: 3,
      offset: 2,
    });
    expect(page.rows).toEqual([
      { subject_id: 18, date_of_birth: '2024-01-18' },
      { subject_id: 17, date_of_birth: '2024-01-17' },
      { subject_id: 16, date_of_birth: '2024-01-16' },
    ]);
    expect(page.total).toBe(20);
    const last = await s.call('data.fetch', {
      ...lab(),
      table: 'subject',
      attributes: ['subject_id'],
      limit: 5,
      offset: 18,
    });
    expect(last.rows.map((r) => r.subject_id)).toEqual([19, 20]);
    expect(last.total).toBe(20);
    const bySex = await s.call('data.fetch', {
      ...lab(),
      table: 'subject',
      attributes: ['subject_id'],
      orderBy: [{ attribute: 'sex' }],
      restriction: [{ sex: 'U' }, { sex: 'F' }],
      limit: 4,
    });
    expect(bySex.rows.map((r) => r.subject_id)).toEqual([2, 5, 8, 11]); // enum order F < U, then the key
    expect(bySex.total).toBe(13);
  });

  it('skips duplicates or replaces them, and counts each', async () => {
    const rows = [
      { species: 'mouse', common_name: 'House mouse' },
      { species: 'gerbil', common_name: 'Gerbil' },
      { species: 'gerbil', common_name: 'again' },
    ];
    expect(await s.call('data.insert', { ...lab(), table: '#species', rows, onDuplicate: 'skip' })).toEqual({
      inserted: 1,
      skipped: 2,
    });
    const name = async (species: string) =>
      (await s.call('data.fetch', { ...lab(), table: '#species', restriction: { species } })).rows[0]!.common_name;
    expect([await name('mouse'), await name('gerbil')]).toEqual(['', 'Gerbil']);
    const replaced = await s.call('data.insert', {
      ...lab(),
      table: '#species',
      rows: [{ species: 'gerbil', common_name: 'Mongolian gerbil' }, { species: 'vole' }],
      onDuplicate: 'replace',
    });
    expect(replaced).toEqual({ inserted: 2, skipped: 0 });
    expect(await name('gerbil')).toBe('Mongolian gerbil');
    // replacing deletes and re-inserts (DataJoint's REPLACE): a row other tables refer to cannot be replaced.
    // On PostgreSQL, replace is DataJoint 2.x's upsert (ON CONFLICT DO UPDATE): the row is updated in place.
    if (s.engine === 'postgres') return;
    const refused = await s.fail('data.insert', {
      ...lab(),
      table: '#species',
      rows: [rows[0]!],
      onDuplicate: 'replace',
    });
    expect(refused).toMatchObject({ code: 'CONSTRAINT', details: { reason: 'referenced', key: { species: 'mouse' } } });
    expect(await name('mouse')).toBe('');
  });

  it('a bad row in the middle of 1000 leaves nothing written, whoever finds it', async () => {
    const rows = (bad: Record<string, unknown>) =>
      Array.from({ length: 1000 }, (_, i) =>
        i === 500 ? bad : { subject_id: 1000 + i, species: 'mouse', sex: 'M', date_of_birth: '2024-05-01' },
      );
    const typeError = await s.fail('data.insert', {
      ...lab(),
      table: 'subject',
      rows: rows({ subject_id: 1500, species: 'mouse', sex: 'X', date_of_birth: '2024-05-01' }),
    });
    expect(typeError).toMatchObject({ code: 'VALIDATION', details: { row: 501, attribute: 'sex' } });
    const fkError = await s.fail('data.insert', {
      ...lab(),
      table: 'subject',
      rows: rows({ subject_id: 1500, species: 'unicorn', sex: 'M', date_of_birth: '2024-05-01' }),
    });
    expect(fkError).toMatchObject({
      code: 'CONSTRAINT',
      details: { row: 501, attribute: 'species', parent: `${s.lab}.#species` },
    });
    const dupError = await s.fail('data.insert', {
      ...lab(),
      table: 'subject',
      rows: rows({ subject_id: 1000, species: 'mouse', sex: 'M', date_of_birth: '2024-05-01' }),
    });
    expect(dupError).toMatchObject({ code: 'CONFLICT', details: { key: { subject_id: 1000 } } });
    expect((await s.call('data.fetch', { ...lab(), table: 'subject', limit: 1 })).total).toBe(20);
  });

  it('inserts 5000 rows across batches in one transaction and fetches them all back', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      id: 100 + i,
      t_int: i,
      t_varchar: `v${i}`,
      t_dec: `${i}.5`,
      t_blob: [i],
    }));
    expect(await s.call('data.insert', { ...ephys(), table: 'all_types', rows })).toEqual({
      inserted: 5000,
      skipped: 0,
    });
    const got = await s.call('data.fetch', {
      ...ephys(),
      table: 'all_types',
      attributes: ['id', 't_int', 't_dec'],
      restriction: rows.slice(0, 3000).map((r) => ({ id: r.id })),
      limit: 10_000,
    });
    expect(got.total).toBe(3000);
    expect(got.rows[2999]).toEqual({ id: 3099, t_int: 2999, t_dec: '2999.5000' });
  });

  it('declares Imported and part tables and fills them, defaults included', async () => {
    await s.call('data.insert', {
      ...ephys(),
      table: 'session',
      rows: [{ subject_id: 1, session_idx: 1, session_start: '2024-03-01 09:30:00' }],
    });
    await s.call('data.insert', {
      ...ephys(),
      table: '_recording',
      allowDirectInsert: true,
      rows: [
        {
          subject_id: 1,
          session_idx: 1,
          trace: { type: 'ndarray', dtype: 'float32', shape: [3], values: [0.5, 1, 1.5] },
        },
      ],
    });
    await s.call('data.insert', {
      ...ephys(),
      table: '_recording__channel',
      rows: [
        { subject_id: 1, session_idx: 1, channel: 0 },
        { subject_id: 1, session_idx: 1, channel: 1, signal: { a: 1 } },
      ],
    });
    const rec = await s.call('data.fetch', { ...ephys(), table: '_recording' });
    expect(rec.rows[0]).toMatchObject({
      subject_id: 1,
      session_idx: 1,
      trace: { type: 'ndarray', dtype: 'float32', shape: [3], values: [0.5, 1, 1.5] },
    });
    expect(rec.rows[0]!.imported_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const channels = await s.call('data.fetch', { ...ephys(), table: '_recording__channel' });
    expect(channels.rows.map((r) => r.signal)).toEqual([
      null,
      {
        type: 'dict',
        items: [
          [
            { type: 'str', value: 'a' },
            { type: 'int', value: 1 },
          ],
        ],
      },
    ]);
  });
});

describe.skipIf(ENGINES.length < 2)('both engines', () => {
  it('fetched the same typed values', () => {
    expect(results.sqlite).toBeDefined();
    expect(results.mysql).toEqual(results.sqlite);
  });
});
