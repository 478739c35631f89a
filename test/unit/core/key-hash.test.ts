import { describe, expect, it } from 'vitest';
import { decodeBlob, type PyDict } from '../../../electron/core/data/blob';
import { keyHash, keyHashInput } from '../../../electron/core/data/key-hash';
import { PyDate, PyDateTime, PyTime, PyTimedelta } from '../../../electron/core/data/python/datetime';
import { pyStr, type PyScalar } from '../../../electron/core/data/python/str';
import { PyDecimal, PyFloat, PyUuid } from '../../../electron/core/data/python/values';
import { loadExpected } from '../../support/blob-fixture';

const jobs = Object.values(loadExpected().schemas).flatMap((s) => s.jobs ?? []);

describe('key_hash: every ~jobs row of the reference fixture', () => {
  it('has jobs to check', () => {
    expect(jobs.length).toBeGreaterThanOrEqual(4);
  });

  it.each(jobs.map((j) => [`${j.table_name} ${JSON.stringify(j.key_plain)}`, j] as const))('%s', (_name, job) => {
    expect(job.key_hash_recomputed).toBe(job.key_hash);
    // from the fixture's plain key (ints as JS numbers)
    expect(keyHash(job.key_plain as Record<string, PyScalar>)).toBe(job.key_hash);
    // from the key blob stored in ~jobs, decoded
    const key = decodeBlob(Buffer.from(job.key_blob.raw_hex!, 'hex')) as PyDict;
    expect(keyHash(Object.fromEntries(key.entries) as Record<string, PyScalar>)).toBe(job.key_hash);
  });

  it('matches the reference example md5("14")', () => {
    expect(keyHashInput({ subject_id: 4, session_idx: 1 })).toBe('14');
    expect(keyHash({ subject_id: 4, session_idx: 1 })).toBe('aab3238922bcc25a6f606eb525ffdc56');
  });
});

// expected strings printed by CPython 3.11's str()
const STR_CASES: Array<[string, PyScalar, string]> = [
  ['int', 1, '1'],
  ['negative int', -7, '-7'],
  ['big int', 2n ** 70n, '1180591620717411303424'],
  ['True', true, 'True'],
  ['False', false, 'False'],
  ['None', null, 'None'],
  ['float 1.0 (PyFloat)', new PyFloat(1), '1.0'],
  ['float 0.1', 0.1, '0.1'],
  ['float 1e-05', 1e-5, '1e-05'],
  ['float 0.0001', 0.0001, '0.0001'],
  ['float 1e16', new PyFloat(1e16), '1e+16'],
  ['float 1e15', new PyFloat(1e15), '1000000000000000.0'],
  ['float with fraction', 123456789.125, '123456789.125'],
  ['float -0.0', -0, '-0.0'],
  ['float inf', Infinity, 'inf'],
  ['float -inf', -Infinity, '-inf'],
  ['float nan', NaN, 'nan'],
  ['float tiny', 2.5e-300, '2.5e-300'],
  ['float max', 1.7976931348623157e308, '1.7976931348623157e+308'],
  ['unsafe integral number is a float', 2 ** 60, '1.152921504606847e+18'],
  ['Decimal 21.5', new PyDecimal('21.5'), '21.5'],
  ['Decimal 22.0', new PyDecimal('22.0'), '22.0'],
  ['Decimal 1E-7', new PyDecimal('0.0000001'), '1E-7'],
  ['Decimal -0.00', new PyDecimal('-0.00'), '-0.00'],
  ['date', new PyDate(2024, 2, 1), '2024-02-01'],
  ['date, year 5', new PyDate(5, 1, 9), '0005-01-09'],
  ['datetime', new PyDateTime(2024, 3, 1, 10, 0, 0), '2024-03-01 10:00:00'],
  ['datetime with microseconds', new PyDateTime(2024, 3, 1, 10, 0, 0, 500), '2024-03-01 10:00:00.000500'],
  ['time', new PyTime(8, 30, 15), '08:30:15'],
  ['time with microseconds', new PyTime(8, 30, 15, 250_000), '08:30:15.250000'],
  ['MySQL time 09:30:00', PyTimedelta.parseMysqlTime('09:30:00'), '9:30:00'],
  ['MySQL time -01:00:00', PyTimedelta.parseMysqlTime('-01:00:00'), '-1 day, 23:00:00'],
  ['MySQL time 838:59:59', PyTimedelta.parseMysqlTime('838:59:59'), '34 days, 22:59:59'],
  ['MySQL time 24:00:00', PyTimedelta.parseMysqlTime('24:00:00'), '1 day, 0:00:00'],
  ['MySQL time 00:00:00.0005', PyTimedelta.parseMysqlTime('00:00:00.0005'), '0:00:00.000500'],
  ['MySQL time -838:59:59', PyTimedelta.parseMysqlTime('-838:59:59'), '-35 days, 1:00:01'],
  ['timedelta -2 days + 5 s', new PyTimedelta(-2n * 86_400_000_000n + 5_000_000n), '-2 days, 0:00:05'],
  ['uuid', PyUuid.parse('0C2B6C36-1B7E-4D5F-9A2E-3C1D0E9F8A7B'), '0c2b6c36-1b7e-4d5f-9a2e-3c1d0e9f8a7b'],
  ['bytes with escapes', Buffer.from('0061622722' + '5c090a0d7fff', 'hex'), "b'\\x00ab\\'\"\\\\\\t\\n\\r\\x7f\\xff'"],
  ['bytes with a single quote', Buffer.from("it's"), 'b"it\'s"'],
  ['bytes with double quotes', Buffer.from('say "hi"'), 'b\'say "hi"\''],
  ['bytes with both quotes', Buffer.from('both \' and "'), "b'both \\' and \"'"],
  ['str', 'héllo ✓', 'héllo ✓'],
  ['empty str', '', ''],
];

describe('Python str() of key values', () => {
  it.each(STR_CASES)('%s', (_name, value, expected) => {
    expect(pyStr(value)).toBe(expected);
  });

  it('hashes mixed key types like CPython (md5 computed there)', () => {
    const key: Record<string, PyScalar> = {
      subject_id: 4,
      session_idx: 1,
      session_date: new PyDate(2024, 2, 1),
      t: PyTimedelta.parseMysqlTime('09:30:00'),
      gain: 0.1,
      temp: new PyDecimal('21.5'),
      uid: PyUuid.parse('0c2b6c36-1b7e-4d5f-9a2e-3c1d0e9f8a7b'),
      name: 'héllo',
    };
    expect(keyHash(key)).toBe('0213b5ef9d78f644670f5764fd762619');
  });

  it('sorts attribute names by code point, as Python does', () => {
    const key: Record<string, PyScalar> = { b: '\u{1F600}', '\uff5e': 1, '\u{1F600}': 2, a: Buffer.from('x') };
    expect(keyHashInput(key)).toBe("b'x'\u{1F600}12");
    expect(keyHash(key)).toBe('ce15ad57d0db1c0085491d57e6e45acf');
  });

  it('refuses values Python keys cannot hold', () => {
    expect(() => pyStr({} as PyScalar)).toThrow(/str\(\) is not defined/);
  });
});
