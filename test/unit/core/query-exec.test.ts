import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driverParams, rowDecoder } from '../../../electron/core/data/query-exec';
import { decimalText } from '../../../electron/core/data/values';
import { computedAttribute, type QueryAttribute, type QueryHeading } from '../../../shared/query/types';

const attr = (name: string, type: string, extra: Partial<QueryAttribute> = {}): QueryAttribute => ({
  name,
  in_key: false,
  nullable: true,
  datajoint_type: type,
  sql_type: type,
  uuid: false,
  is_blob: false,
  is_external: false,
  is_attachment: false,
  json: false,
  adapter: null,
  ...extra,
});

describe('query row decoding', () => {
  it('formats decimals kept as doubles exactly like toFixed, without negative zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 6 }), (n, scale) => {
        const v = n / 10 ** scale;
        expect(decimalText(v, scale)).toBe(v.toFixed(scale).replace(/^-(0\.?0*)$/, '$1'));
      }),
      { numRuns: 5000 },
    );
    expect(decimalText(-0.001, 2)).toBe('0.00');
    expect(decimalText(0.1 + 0.2, 2)).toBe('0.30');
  });

  it('brings driver values to canonical values, in place', () => {
    const h: QueryHeading = {
      primary_key: ['id'],
      attributes: [
        { ...attr('id', 'int'), in_key: true, nullable: false },
        attr('w', 'decimal(5,2)'),
        attr('n', 'bigint'),
        computedAttribute('s', { kind: 'integer' }, true),
        attr('u', 'uuid', { sql_type: 'binary(16)', uuid: true }),
        attr('b', 'longblob', { is_blob: true }),
        attr('t', 'datetime(3)'),
        attr('y', 'year'),
      ],
    };
    const decode = rowDecoder(h);
    const mysqlRow = {
      id: 1,
      w: '20.50',
      n: '9007199254740993',
      s: '15',
      u: Buffer.from('00000000000040008000000000000001', 'hex'),
      b: Buffer.from([1, 2, 3]),
      t: '2024-01-02 03:04:05.100',
      y: 2024,
    };
    decode(mysqlRow);
    expect(mysqlRow).toEqual({
      id: 1,
      w: '20.50',
      n: '9007199254740993',
      s: 15,
      u: '00000000-0000-4000-8000-000000000001',
      b: { kind: 'blob', bytes: 3 },
      t: '2024-01-02 03:04:05.100000',
      y: 2024,
    });
    const sqliteRow = { id: 1, w: 20.5, n: 3, s: 15, u: null, b: null, t: null, y: '2024' };
    decode(sqliteRow);
    expect(sqliteRow).toEqual({ id: 1, w: '20.50', n: 3, s: 15, u: null, b: null, t: null, y: 2024 });
  });

  it('binds uuids as 16 bytes and everything else as it is', () => {
    const [u, s, n] = driverParams([{ uuid: '00000000-0000-4000-8000-000000000001' }, 'x', 1]);
    expect(Buffer.isBuffer(u) && u.toString('hex')).toBe('00000000000040008000000000000001');
    expect([s, n]).toEqual(['x', 1]);
  });
});
