import { describe, expect, it } from 'vitest';
import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import { checkValue } from '../../../shared/model/value-rules';

/** Canonical values: the fast paths for already-canonical text agree with the general parser. */
const attr = (datajoint_type: string, nullable = false): AttributeInfo => ({
  name: 'x',
  in_key: false,
  datajoint_type,
  sql_type: datajoint_type,
  nullable,
  default: null,
  comment: '',
  sql_comment: '',
  autoincrement: false,
  is_blob: false,
  is_external: false,
  store: null,
  is_attachment: datajoint_type === 'attach',
  is_filepath: false,
  uuid: datajoint_type === 'uuid',
  json: false,
  adapter: null,
  hidden: false,
});
const canon = (type: string, v: unknown) => {
  const r = checkValue(attr(type), v);
  return r.ok ? r.value : `! ${r.reason}`;
};

describe('checkValue', () => {
  it('checks external values by kind: any blob, an attachment, a file path', () => {
    const external = (type: string): AttributeInfo => ({
      ...attr(type),
      sql_type: 'binary(16)',
      is_external: true,
      store: 'raw',
      is_blob: type.startsWith('blob'),
      is_attachment: type.startsWith('attach'),
      is_filepath: type.startsWith('filepath'),
    });
    expect(checkValue(external('blob@raw'), [1, 2])).toEqual({ ok: true, value: [1, 2] });
    expect(checkValue(external('attach@raw'), { filename: 'a.txt', base64: 'aGk=' })).toEqual({
      ok: true,
      value: { filename: 'a.txt', base64: 'aGk=' },
    });
    expect(checkValue(external('attach@raw'), 'a.txt')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('expects an attachment'),
    });
    expect(checkValue(external('filepath@raw'), 'sub/a.dat')).toEqual({ ok: true, value: 'sub/a.dat' });
    expect(checkValue(external('filepath@raw'), { type: 'filepath', path: '/store/sub/a.dat', size: 3 })).toEqual({
      ok: true,
      value: '/store/sub/a.dat',
    });
    expect(checkValue(external('filepath@raw'), 7)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('path of a file'),
    });
    expect(checkValue(external('filepath@raw'), '')).toMatchObject({ ok: false });
  });

  it.each([
    ['decimal(8,3)', '1234.567', '1234.567'],
    ['decimal(8,3)', '-1234.567', '-1234.567'],
    ['decimal(8,3)', '12.5', '12.500'],
    ['decimal(8,3)', '0012.500', '12.500'],
    ['decimal(8,3)', '-0.000', '0.000'],
    ['decimal(8,3)', 3, '3.000'],
    ['decimal(8,3)', '.5', '0.500'],
    ['decimal(8,3)', '+7', '7.000'],
    ['decimal(8,3)', '0.000', '0.000'],
    ['decimal(3,3)', '0.123', '0.123'],
    ['decimal(5,0)', '-42', '-42'],
    ['decimal(8,3)', '99999.999', '99999.999'],
    ['decimal(5,2) unsigned', '-0.00', '0.00'],
  ])('%s: %j -> %j', (type, v, want) => expect(canon(type, v)).toBe(want));

  it.each([
    ['decimal(8,3)', '123456.678'],
    ['decimal(8,3)', '99999.999x'],
    ['decimal(8,3)', '1.2345'],
    ['decimal(3,3)', '1.000'],
    ['decimal(5,2) unsigned', '-1.00'],
    ['decimal(8,3)', '1,5'],
    ['decimal(8,3)', '--1'],
    ['decimal(8,3)', '1.2.3'],
    ['decimal(8,3)', ''],
    ['decimal(8,3)', '12a.000'],
  ])('%s refuses %j', (type, v) => expect(canon(type, v)).toMatch(/^! /));

  it.each([
    ['datetime', '2024-02-29 23:59:59', '2024-02-29 23:59:59'],
    ['datetime', '2024-2-9 3:04:05', '2024-02-09 03:04:05'],
    ['datetime', '2024-02-29', '2024-02-29 00:00:00'],
    ['datetime(6)', '2024-02-29 23:59:59.000001', '2024-02-29 23:59:59.000001'],
    ['timestamp', '2024-01-01 00:00:00', '2024-01-01 00:00:00'],
  ])('%s: %j -> %j', (type, v, want) => expect(canon(type, v)).toBe(want));

  it.each([
    ['datetime', '2023-02-29 00:00:00'],
    ['datetime', '2024-02-29 24:00:00'],
    ['datetime', '2024-02-29 23:60:00'],
    ['datetime', '2024-02-29 23:59:60'],
    ['datetime', '2024-13-01 00:00:00'],
    ['datetime', '2024-00-01 00:00:00'],
    ['datetime', '0999-01-01 00:00:00'],
    ['datetime', '2024-01-01x00:00:00'],
    ['datetime', '2024-01-0a 00:00:00'],
    ['timestamp', '2040-01-01 00:00:00'],
    ['datetime', '2024-01-01 00:00:00.5'],
  ])('%s refuses %j', (type, v) => expect(canon(type, v)).toMatch(/^! /));

  it('checks integers against their type, fast or exact', () => {
    expect(canon('int unsigned', 4294967295)).toBe(4294967295);
    expect(canon('int unsigned', 4294967296)).toMatch(/out of range/);
    expect(canon('bigint', '-9223372036854775808')).toBe('-9223372036854775808');
    expect(canon('bigint', 2 ** 60)).toBe('1152921504606846976');
    expect(canon('tinyint(1)', 'TRUE')).toBe(1);
    expect(canon('smallint', '12')).toBe(12);
  });

  it('checks text by characters, not UTF-16 units', () => {
    expect(canon('varchar(3)', '😀😀😀')).toBe('😀😀😀');
    expect(canon('varchar(3)', '😀😀😀😀')).toMatch(/4 characters long; at most 3/);
  });

  it('takes attachments as {filename, base64}, fetched values included', () => {
    expect(canon('attach', { type: 'attachment', filename: 'a.txt', size: 2, base64: 'aGk=' })).toEqual({
      filename: 'a.txt',
      base64: 'aGk=',
    });
    expect(canon('attach', 'a.txt')).toMatch(/expects an attachment/);
  });

  it('null is fine only where the attribute is nullable', () => {
    expect(checkValue(attr('int', true), null)).toEqual({ ok: true, value: null });
    expect(checkValue(attr('int'), undefined)).toEqual({ ok: false, reason: 'is required (not nullable)' });
  });
});
