import { describe, expect, it } from 'vitest';
import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { isAppError } from '../../../shared/errors';
import { parseCsv } from '../../../shared/model/csv';
import { rowsFromCsv, rowsFromJson } from '../../../shared/model/import-rows';

/** RFC 4180 parsing and file rows with their line numbers: pure, no database. */
function errorOf(fn: () => unknown): { message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return { message: e.message, details: e.details ?? {} };
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseCsv', () => {
  it('reads a header and records, quotes, escaped quotes, embedded line breaks, BOM and CRLF', () => {
    const text = '\uFEFFid,name,notes\r\n1,"Smith, J.","said ""hi"""\r\n2,plain,"two\r\nlines"\r\n3,,""\r\n';
    expect(parseCsv(text)).toEqual({
      header: ['id', 'name', 'notes'],
      records: [
        { line: 2, fields: ['1', 'Smith, J.', 'said "hi"'] },
        { line: 3, fields: ['2', 'plain', 'two\r\nlines'] },
        { line: 5, fields: ['3', null, ''] },
      ],
    });
  });

  it('accepts LF and lone CR line ends, a missing final line break, and skips blank lines', () => {
    expect(parseCsv('a,b\n1,2\n\n3,4').records).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
    ]);
    expect(parseCsv('a,b\r1,2\r3,4\r').records.map((r) => r.line)).toEqual([2, 3]);
  });

  it('keeps spaces and trailing empty fields as they are', () => {
    expect(parseCsv('a,b,c\n x ,y,\n').records[0]!.fields).toEqual([' x ', 'y', null]);
  });

  it('parses a large file whole (its speed is measured by npm run bench, not here)', () => {
    const text = 'a,b,c\n' + Array.from({ length: 100_000 }, (_, i) => `${i},"v ${i}",x`).join('\n');
    const { records } = parseCsv(text);
    expect(records).toHaveLength(100_000);
    expect(records[99_999]!.fields).toEqual(['99999', 'v 99999', 'x']);
  });

  it.each([
    ['', 1, 1, /empty; expected a header row/],
    ['a,,c\n1,2,3', 1, 3, /header field 2 is empty/],
    ['a,b,a\n1,2,3', 1, 5, /names "a" twice/],
    ['a,b\n1,2\n3', 3, 1, /expected 2 fields as in the header, found 1/],
    ['a,b\n1,2,3\n', 2, 3, /expected 2 fields as in the header, found 3/],
    ['a,b\n1,"open\n2,3\n', 2, 3, /never closed; expected a closing "/],
    ['a,b\n1,"x"y\n', 2, 6, /unexpected "y" after a closing quote; expected a comma/],
    ['a,b\n1,ab"c\n', 2, 5, /a quote inside an unquoted field/],
    ['a,b\n1,"multi\nline" x\n', 3, 6, /after a closing quote/],
  ])('%j fails at line %i, column %i', (text, line, column, message) => {
    const e = errorOf(() => parseCsv(text));
    expect(e.details).toEqual({ line, column });
    expect(e.message).toMatch(new RegExp(`^CSV line ${line}, column ${column}: `));
    expect(e.message).toMatch(message);
  });
});

const attr = (name: string, datajoint_type: string, extra: Partial<AttributeInfo> = {}): AttributeInfo => ({
  name,
  in_key: false,
  datajoint_type,
  sql_type: datajoint_type,
  nullable: true,
  default: 'null',
  comment: '',
  sql_comment: '',
  autoincrement: false,
  is_blob: datajoint_type.endsWith('blob'),
  is_external: false,
  store: null,
  is_attachment: datajoint_type === 'attach',
  is_filepath: false,
  uuid: false,
  json: false,
  adapter: null,
  hidden: false,
  ...extra,
});
const TABLE = {
  full_name: 's.t',
  schema: 's',
  table_name: 't',
  class_name: 'T',
  tier: 'Manual',
  master: null,
  table_comment: '',
  primary_key: ['id'],
  secondary_attributes: [],
  hidden_attributes: [],
  foreign_keys: [],
  indexes: [],
  row_count: 0,
  attributes: [
    attr('id', 'int', { in_key: true, nullable: false, default: null }),
    attr('name', 'varchar(10)'),
    attr('data', 'longblob'),
    attr('file', 'attach'),
  ],
} satisfies TableInfo;

describe('rows of a file', () => {
  it('CSV: header names attributes, empty fields are left out, blob and attach cells may be JSON', () => {
    const got = rowsFromCsv(
      TABLE,
      'id,name,data,file\n1,,"[1, 2]",a.txt\n2,"",hello,"{""filename"": ""x"", ""base64"": """"}"\n',
    );
    expect(got).toEqual({
      rows: [
        { id: '1', data: [1, 2], file: 'a.txt' },
        { id: '2', name: '', data: 'hello', file: { filename: 'x', base64: '' } },
      ],
      lines: [2, 3],
    });
  });

  it('CSV: an unknown header is an error at line 1 naming the attributes', () => {
    const e = errorOf(() => rowsFromCsv(TABLE, 'id,colour\n1,red'));
    expect(e.details).toEqual({ line: 1, column: 2 });
    expect(e.message).toMatch(/"colour" is not an attribute of s\.t \(attributes: id, name, data, file\)/);
  });

  it('JSON: an array of objects, each labelled with the line it starts on', () => {
    const text = '[\n  {"id": 1, "name": "a, \\"b\\" [x]"},\n  {\n    "id": 2\n  },{"id": 3}\n]';
    expect(rowsFromJson(text)).toEqual({
      rows: [{ id: 1, name: 'a, "b" [x]' }, { id: 2 }, { id: 3 }],
      lines: [2, 3, 5],
    });
  });

  it('JSON Lines: one object per line', () => {
    expect(rowsFromJson('{"id": 1}\n\n{"id": 2}\n')).toEqual({ rows: [{ id: 1 }, { id: 2 }], lines: [1, 3] });
  });

  it.each([
    ['[{"id": 1},\n {"id": 2,}\n]', 2],
    ['[{"id": 1}, 5]', 1],
    ['{"id": 1}\n[1]', 2],
    ['{"id": 1}\n{"id": \n', 2],
    ['"text"', 1],
  ])('JSON errors name the line: %j', (text, line) => {
    expect(errorOf(() => rowsFromJson(text)).details.line).toBe(line);
  });
});
