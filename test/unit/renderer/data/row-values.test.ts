import { describe, expect, it } from 'vitest';
import type { AttributeInfo, TableInfo } from '../../../../shared/api/schemas/pipeline';
import { checkImport, guessFormat } from '../../../../renderer/features/data/import-check';
import { fieldErrorsFromCore, rawFromValue, rowFromForm } from '../../../../renderer/features/data/row-values';

function attr(name: string, datajoint_type: string, more: Partial<AttributeInfo> = {}): AttributeInfo {
  return {
    name,
    in_key: false,
    datajoint_type,
    sql_type: datajoint_type,
    nullable: false,
    default: null,
    comment: '',
    sql_comment: '',
    autoincrement: false,
    is_blob: /blob/.test(datajoint_type),
    is_external: false,
    store: null,
    is_attachment: false,
    is_filepath: false,
    uuid: false,
    json: false,
    adapter: null,
    hidden: false,
    ...more,
  };
}

const attrs = [
  attr('subject_id', 'int unsigned', { in_key: true }),
  attr('sex', "enum('M','F','U')"),
  attr('weight', 'decimal(5,2)', { nullable: true, default: 'null' }),
  attr('notes', 'varchar(8)', { default: '""' }),
  attr('trace', 'longblob', { nullable: true, default: 'null' }),
];

describe('form values, checked by the rules the core applies', () => {
  it('turns field text into canonical values and leaves empty fields to their default', () => {
    const { row, errors } = rowFromForm(attrs, {
      subject_id: '12',
      sex: 'F',
      weight: '21.5',
      notes: '',
      trace: '[1, 2]',
    });
    expect(errors).toEqual({});
    expect(row).toEqual({ subject_id: 12, sex: 'F', weight: '21.50', trace: [1, 2] });
  });

  it('names every bad field with the reason the core would give', () => {
    const { errors } = rowFromForm(attrs, {
      subject_id: '-1',
      sex: 'X',
      weight: '1234.5',
      notes: 'too long!',
      trace: '[1,',
    });
    expect(errors.subject_id).toMatch(/out of range/);
    expect(errors.sex).toMatch(/must be one of "M", "F", "U"/);
    expect(errors.weight).toBeDefined();
    expect(errors.notes).toMatch(/at most 8/);
    expect(errors.trace).toMatch(/expects JSON/);
    expect(rowFromForm(attrs, {}).errors).toEqual({ subject_id: 'is required', sex: 'is required' });
  });

  it('clears nullable attributes to NULL when editing', () => {
    expect(rowFromForm([attrs[2]!], { weight: '' }, { emptyAsNull: true }).row).toEqual({ weight: null });
  });

  it('starts edit fields from fetched values', () => {
    expect(rawFromValue(null)).toBe('');
    expect(rawFromValue('21.50')).toBe('21.50');
    expect(rawFromValue([1, 2])).toBe('[1,2]');
    expect(rawFromValue({ type: 'attachment', filename: 'a.txt', base64: 'eA==' })).toEqual({
      filename: 'a.txt',
      base64: 'eA==',
    });
  });

  it("places the core's errors next to the fields they name", () => {
    const dup = {
      code: 'CONFLICT' as const,
      message: 'lab.subject, row 1: a row with key {"subject_id":1} already exists.',
      details: { reason: 'duplicate' },
    };
    expect(fieldErrorsFromCore(dup, attrs)).toEqual({ subject_id: 'a row with key {"subject_id":1} already exists.' });
    const fk = {
      code: 'CONSTRAINT' as const,
      message: 'lab.subject, row 1: no lab.#species row',
      details: { attribute: 'sex', attributes: ['sex'] },
    };
    expect(fieldErrorsFromCore(fk, attrs)).toEqual({ sex: 'no lab.#species row' });
    expect(fieldErrorsFromCore({ code: 'DB_QUERY', message: 'server gone' }, attrs)).toEqual({});
  });
});

describe('import preview', () => {
  const table = { full_name: 'lab.subject', attributes: attrs } as unknown as TableInfo;

  it('lists each bad line of a CSV file with its attribute', () => {
    const check = checkImport(table, 'csv', 'subject_id,sex,weight\n1,F,2.5\n2,Q,3\n3,M,abc\n');
    expect(check.rows).toHaveLength(3);
    expect(check.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(check.errors[0]!.message).toMatch(/attribute "sex" must be one of/);
  });

  it('reports a broken file at its line, and unknown attributes by name', () => {
    expect(checkImport(table, 'csv', 'subject_id,sex\n1,"F\n').errors[0]!.line).toBeGreaterThan(1);
    const json = checkImport(table, 'json', '[{"subject_id": 1, "sex": "F", "colour": "red"}]');
    expect(json.errors).toEqual([{ line: 1, message: '"colour" is not an attribute of lab.subject' }]);
    expect(checkImport(table, 'json', '{"subject_id": 1, "sex": "M"}\n{"subject_id": 2}\n').errors).toEqual([
      { line: 2, message: 'attribute "sex" is required (not nullable)' },
    ]);
  });

  it('guesses the format from the name, then the text', () => {
    expect(guessFormat('a.csv', '[')).toBe('csv');
    expect(guessFormat('', ' [{"a": 1}]')).toBe('json');
    expect(guessFormat('', 'a,b\n1,2')).toBe('csv');
  });
});
