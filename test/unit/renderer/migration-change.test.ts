import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import {
  draftToChanges,
  goneAttributes,
  newAttributes,
  parseDraftDefinition,
} from '../../../renderer/features/migrations/change-model';

/** A TableInfo with just what the wizard reads: names, attributes, foreign keys. */
function table(
  full: string,
  className: string,
  attrs: [string, boolean][],
  fk: Record<string, string> = {},
): TableInfo {
  const [schema, tableName] = full.split('.') as [string, string];
  return {
    full_name: full,
    schema,
    table_name: tableName,
    class_name: className,
    tier: 'Manual',
    master: null,
    table_comment: '',
    primary_key: attrs.filter(([, k]) => k).map(([n]) => n),
    secondary_attributes: attrs.filter(([, k]) => !k).map(([n]) => n),
    hidden_attributes: [],
    attributes: attrs.map(([name, inKey]) => ({ name, in_key: inKey }) as TableInfo['attributes'][number]),
    foreign_keys: Object.keys(fk).length
      ? [{ parent: 'lab.subject', attr_map: fk, primary: true, aliased: false, nullable: false, unique: false }]
      : [],
    indexes: [],
    row_count: 3,
  };
}

const subject = table('lab.subject', 'Subject', [
  ['subject_id', true],
  ['name', false],
]);
const session = table(
  'lab.session',
  'Session',
  [
    ['subject_id', true],
    ['session_idx', true],
    ['session_date', false],
  ],
  { subject_id: 'subject_id' },
);
const ADD_LAB = 'lab : varchar(16)\nsubject_id : int\n---\nname : varchar(32)\n';

describe('the migration wizard’s change file', () => {
  it('names the table by class, and sends the value of a new key attribute', () => {
    const out = draftToChanges(
      [{ table: 'lab.subject', definition: ADD_LAB, values: { lab: 'hub' }, renames: {} }],
      [subject, session],
    );
    expect(out.problems).toEqual([]);
    expect(out.changes).toEqual([{ table: 'lab.Subject', definition: ADD_LAB, values: { lab: 'hub' } }]);
  });

  it('asks for the value of a new key attribute before planning', () => {
    const out = draftToChanges([{ table: 'lab.subject', definition: ADD_LAB, values: {}, renames: {} }], [subject]);
    expect(out.changes).toEqual([{ table: 'lab.Subject', definition: ADD_LAB }]);
    expect(out.problems).toEqual([
      { table: 'lab.subject', message: expect.stringContaining('lab is new in the primary key') as string },
    ]);
  });

  it('asks for a value of a new NOT NULL attribute without default, not for a nullable one', () => {
    const strict = 'subject_id : int\n---\nname : varchar(32)\nsex : char(1)\n';
    const out = draftToChanges([{ table: 'lab.subject', definition: strict, values: {}, renames: {} }], [subject]);
    expect(out.problems[0]!.message).toContain('sex is new and has no default');
    const loose = 'subject_id : int\n---\nname : varchar(32)\nsex = null : char(1)\n';
    expect(
      draftToChanges([{ table: 'lab.subject', definition: loose, values: {}, renames: {} }], [subject]).problems,
    ).toEqual([]);
  });

  it('reports a definition that does not parse at its line and column, and sends nothing for it', () => {
    const bad = 'lab : varchr(16)\nsubject_id : int\n';
    const out = draftToChanges([{ table: 'lab.subject', definition: bad, values: {}, renames: {} }], [subject]);
    expect(out.changes).toEqual([]);
    expect(out.problems).toMatchObject([{ table: 'lab.subject', line: 1, column: 7 }]);
    expect(out.problems[0]!.message).not.toMatch(/^Definition error/);
  });

  it('types values: numbers for numeric attributes, and says when the text is not one', () => {
    const def = 'rig : smallint\nsubject_id : int\n---\nname : varchar(32)\n';
    const ok = draftToChanges(
      [{ table: 'lab.subject', definition: def, values: { rig: '7' }, renames: {} }],
      [subject],
    );
    expect(ok.changes[0]!.values).toEqual({ rig: 7 });
    const bad = draftToChanges(
      [{ table: 'lab.subject', definition: def, values: { rig: 'seven' }, renames: {} }],
      [subject],
    );
    expect(bad.problems[0]!.message).toContain('rig is a number');
  });

  it('offers renames for attributes that are gone, never for those a foreign key brings', () => {
    const renamed = parseDraftDefinition('subject_id : int\n---\nfull_name : varchar(32)\n').definition!;
    expect(goneAttributes(renamed, subject)).toEqual(['name']);
    expect(newAttributes(renamed, subject, {}).map((a) => a.name)).toEqual(['full_name']);
    expect(newAttributes(renamed, subject, { name: 'full_name' })).toEqual([]);
    const sessionDef = parseDraftDefinition('-> Subject\nsession_idx : int\n---\n').definition!;
    expect(goneAttributes(sessionDef, session)).toEqual(['session_date']);
    const out = draftToChanges(
      [
        {
          table: 'lab.subject',
          definition: 'subject_id : int\n---\nfull_name : varchar(32)\n',
          values: {},
          renames: { name: 'full_name' },
        },
      ],
      [subject],
    );
    expect(out.changes[0]!.renames).toEqual({ name: 'full_name' });
  });

  it('says when a drafted table left the pipeline', () => {
    const out = draftToChanges([{ table: 'lab.gone', definition: ADD_LAB, values: {}, renames: {} }], [subject]);
    expect(out.problems[0]!.message).toContain('not in the pipeline any more');
  });
});
