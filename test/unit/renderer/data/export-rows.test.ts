import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../shared/model/csv';
import { csvField, exportFileName, toCsv, toJson } from '../../../../renderer/features/data/export-rows';

describe('export of the shown rows', () => {
  const attrs = ['id', 'name', 'weight', 'notes', 'trace'];
  const rows = [
    {
      id: 1,
      name: 'a, "quoted"',
      weight: '1.50',
      notes: '',
      trace: { type: 'ndarray', dtype: 'int8', shape: [2], values: [1, 2] },
    },
    { id: 2, name: 'line\nbreak', weight: null, notes: 'x', trace: null },
  ];

  it('quotes what CSV needs quoted and tells NULL (empty) from an empty string ("")', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' padded')).toBe('" padded"');
  });

  it('writes CSV that the importer parses back to the same values', () => {
    const csv = toCsv(attrs, rows);
    expect(csv.split('\r\n')[0]).toBe('id,name,weight,notes,trace');
    const back = parseCsv(csv);
    expect(back.header).toEqual(attrs);
    expect(back.records[0]!.fields).toEqual(['1', 'a, "quoted"', '1.50', '', JSON.stringify(rows[0]!.trace)]);
    // NULL comes back as "no value" (null), the empty string as ""
    expect(back.records[1]!.fields).toEqual(['2', 'line\nbreak', null, 'x', null]);
  });

  it('writes JSON rows in heading order with NULL as null', () => {
    const parsed = JSON.parse(toJson(attrs, rows)) as Record<string, unknown>[];
    expect(Object.keys(parsed[0]!)).toEqual(attrs);
    expect(parsed[1]).toEqual({ id: 2, name: 'line\nbreak', weight: null, notes: 'x', trace: null });
  });

  it('names the file after the table', () => {
    expect(exportFileName('lab.#rig', 'csv')).toBe('lab.#rig.csv');
    expect(exportFileName('a/b c', 'json')).toBe('a_b_c.json');
  });
});
