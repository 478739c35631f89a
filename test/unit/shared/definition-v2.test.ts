import { describe, expect, it } from 'vitest';
import { conventionsOfExisting } from '../../../shared/model/conventions';
import { planDeclare } from '../../../shared/model/declare-plan';
import { parseDefinition, printDefinition } from '../../../shared/model/definition';
import { lineageRows, traceLineage } from '../../../shared/model/lineage';
import { isAppError } from '../../../shared/errors';
import { definitionToDraft, draftToText, parseText } from '../../../renderer/features/designer/draft';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';

/** DataJoint 2.x's type names in definitions, the markers they write, and the lineage of declared tables. */

const attr = (definition: string) => {
  const items = parseDefinition(`k : int32\n---\n${definition}`, { conventions: '2' }).items;
  const item = items.find((i) => i.kind === 'attribute' && i.name === 'x');
  if (item?.kind !== 'attribute') throw new Error('no attribute');
  return item;
};
const errorOf = (work: () => unknown): string => {
  try {
    work();
  } catch (e) {
    if (isAppError(e)) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('2.x types in a definition', () => {
  it.each([
    ['int8', 'int8', 'tinyint'],
    ['int16', 'int16', 'smallint'],
    ['int32', 'int32', 'int'],
    ['int64', 'int64', 'bigint'],
    ['float32', 'float32', 'float'],
    ['float64', 'float64', 'double'],
    ['bool', 'bool', 'tinyint'],
    ['uuid', 'uuid', 'binary(16)'],
    ['json', 'json', 'json'],
    ['bytes', 'bytes', 'longblob'],
    ['date', 'date', 'date'],
    ['datetime(3)', 'datetime(3)', 'datetime(3)'],
    ['datetime', 'datetime', 'datetime'],
    ['varchar(32)', 'varchar(32)', 'varchar(32)'],
    ['char(4)', 'char(4)', 'char(4)'],
    ['decimal(5,1)', 'decimal(5,1)', 'decimal(5,1)'],
    ['enum("M","F")', "enum('M','F')", "enum('M','F')"],
    ['<blob>', '<blob>', 'longblob'],
    ['<attach>', '<attach>', 'longblob'],
    ['<blob@raw>', '<blob@raw>', 'json'],
    ['<object@>', '<object@>', 'json'],
    ['<npy@raw>', '<npy@raw>', 'json'],
  ])('%s is marked :%s: and stored as %s', (type, marker, sql) => {
    const plan = planDeclare(
      [{ schema: 'lab', class_name: 'Thing', tier: 'Manual', definition: `thing_id : int32\n---\nx : ${type}` }],
      [],
      {},
      { conventionsOf: () => '2' },
    );
    const col = plan.tables[0]!.columns[1]!;
    expect([col.sqlComment, col.sqlType]).toEqual([`:${marker}:`, sql]);
  });

  it('native SQL types stay unmarked (2.x reads them by their SQL type)', () => {
    for (const type of ['int', 'smallint unsigned', 'float', 'longblob', 'timestamp', 'text'])
      expect(attr(`x : ${type}`).marker).toBeUndefined();
  });

  it('prints a definition back with the 2.x type names as written', () => {
    const text = 'thing_id : int32\n---\nraw : <blob@raw>  # traces\n';
    const printed = printDefinition(parseDefinition(text, { conventions: '2' }));
    expect(printed).toContain(': int32');
    expect(printed).toContain(': <blob@raw>');
    expect(parseDefinition(printed, { conventions: '2' }).items).toHaveLength(2);
  });

  it('refuses codecs it does not know, 0.14 spellings, storeless store codecs and 2.x names in 0.14', () => {
    expect(errorOf(() => attr('x : <mesh>'))).toContain('<mesh> is a codec Joinery does not know (a plugin codec?)');
    expect(errorOf(() => attr('x : attach'))).toContain('write <attach>');
    expect(errorOf(() => attr('x : filepath@raw'))).toContain('write <filepath@raw>');
    expect(errorOf(() => attr('x : <object>'))).toContain('write <object@store>');
    expect(errorOf(() => parseDefinition('x : int32'))).toContain('found "int32"');
  });

  it('a table without key attributes is a 2.x singleton, and a 0.14 error', () => {
    expect(parseDefinition('---\nx : int32', { conventions: '2' }).items).toHaveLength(1);
    expect(errorOf(() => parseDefinition('---\nx : int'))).toContain('a table needs a primary key');
  });

  it('the designer reads, shows and writes 2.x types in a 2.x schema', () => {
    const parsed = parseText('thing_id : int32\n---\nraw : <blob@raw>\n', undefined, '2');
    expect(parsed.problem).toBeNull();
    const draft = definitionToDraft(parsed.definition!);
    expect(draft.attributes.map((a) => a.type)).toEqual(['int32', '<blob@raw>']);
    expect(draftToText(draft).text).toMatch(/raw\s*: <blob@raw>/);
    expect(parseText('thing_id : int32\n', undefined, '0.14').problem?.message).toContain('int32');
  });
});

describe('conventions of an existing schema', () => {
  const t = (name: string, comment = '') => ({ name, columns: [{ comment }] });
  it('tell when something does; an empty schema leaves the choice open', () => {
    expect(conventionsOfExisting([])).toBeNull();
    expect(conventionsOfExisting([t('~joinery_task')])).toBeNull();
    expect(conventionsOfExisting([t('~lineage')])).toBe('2');
    expect(conventionsOfExisting([t('mouse')])).toBe('0.14');
    expect(conventionsOfExisting([t('mouse', ':int32:')])).toBe('2');
  });
});

describe('lineage', () => {
  it('own key attributes originate in the table; foreign-key attributes copy the parent', () => {
    const plan = planDeclare(
      [
        { schema: 'lab', class_name: 'Subject', tier: 'Manual', definition: 'subject_id : int32' },
        { schema: 'lab', class_name: 'Person', tier: 'Manual', definition: 'person_id : uuid' },
        {
          schema: 'lab',
          class_name: 'Session',
          tier: 'Manual',
          definition:
            '-> Subject\nsession_idx : int16\n---\n-> Person.proj(experimenter="person_id")\nnote : varchar(8)',
        },
      ],
      [],
      {},
      { conventionsOf: () => '2' },
    );
    const rows = lineageRows(plan.tables, () => undefined).get('lab.session')!;
    expect(rows).toEqual([
      { table_name: 'session', attribute_name: 'subject_id', lineage: 'lab.subject.subject_id' },
      { table_name: 'session', attribute_name: 'session_idx', lineage: 'lab.session.session_idx' },
      { table_name: 'session', attribute_name: 'experimenter', lineage: 'lab.person.person_id' },
    ]);
  });

  it('traces an existing parent without ~lineage through its foreign keys', () => {
    const tables = [
      { full_name: 'old.session', foreign_keys: [{ parent: 'old.subject', attr_map: { subject_id: 'subject_id' } }] },
      { full_name: 'old.subject', foreign_keys: [] },
    ] as unknown as TableInfo[];
    expect(traceLineage(tables, 'old', 'session', 'subject_id')).toBe('old.subject.subject_id');
    expect(traceLineage(tables, 'old', 'session', 'session_idx')).toBe('old.session.session_idx');
  });
});
