import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import {
  type ParentHeading,
  parentFromTableInfo,
  parseDefinition,
  printDefinition,
  resolveDefinition,
  type TableDefinition,
  withoutPositions,
} from '../../../shared/model/definition';
import { declareFixtureTables } from '../../support/declare-fixture';
import { expectedFixture } from '../../support/fixture';

/**
 * DataJoint's definition language: every definition of the real DataJoint fixture (as declared
 * and as describe() printed it back) parses, printing is canonical and stable, and malformed
 * definitions fail with VALIDATION at the right line and column, saying what was expected.
 */

type FixtureTable = {
  full_name: string;
  class_name: string;
  definition_declared: string;
  definition_described: string;
};
const fixtureTables: FixtureTable[] = Object.values<{ tables: FixtureTable[] }>(expectedFixture().schemas).flatMap(
  (s) => s.tables,
);

const strip = (d: TableDefinition) => withoutPositions(d);

describe('the fixture definitions', () => {
  it.each(fixtureTables.map((t) => [t.full_name, t] as const))(
    '%s: declared and described definitions parse',
    (_, t) => {
      expect(() => parseDefinition(t.definition_declared)).not.toThrow();
      expect(() => parseDefinition(t.definition_described)).not.toThrow();
    },
  );

  it.each(fixtureTables.map((t) => [t.full_name, t] as const))(
    '%s: print -> parse gives the same tree, and printing is idempotent',
    (_, t) => {
      for (const text of [t.definition_declared, t.definition_described]) {
        const first = parseDefinition(text);
        const printed = printDefinition(first);
        const second = parseDefinition(printed);
        expect(strip(second)).toEqual(strip(first));
        expect(printDefinition(second)).toBe(printed);
      }
    },
  );

  it.each(fixtureTables.map((t) => [t.full_name, t] as const))(
    '%s: printing a described definition reproduces describe() layout',
    (_, t) => {
      // describe() pads with trailing spaces, orders FK options unique-first, and quotes MariaDB's
      // current_timestamp() (DataJoint issue #1111); Joinery drops the spaces, writes the documented
      // order [nullable, unique] and the CURRENT_TIMESTAMP literal that re-declares.
      const normalised = t.definition_described
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')
        .replace('-> [unique, nullable]', '-> [nullable, unique]')
        .replaceAll('"current_timestamp()"', 'CURRENT_TIMESTAMP');
      expect(printDefinition(parseDefinition(t.definition_described))).toBe(normalised);
    },
  );

  it('keeps line order: FK attributes where the arrow stood, sections, comment lines', () => {
    const def = parseDefinition(
      '# a table\n-> Subject\nsession_idx : smallint unsigned\n---\n# a note\n-> [nullable] Rig\nx = 1 : int  # one\nindex (x)\n',
    );
    expect(def.comment).toBe('a table');
    expect(def.items.map((i) => [i.kind, i.inKey])).toEqual([
      ['foreign_key', true],
      ['attribute', true],
      ['comment', false],
      ['foreign_key', false],
      ['attribute', false],
      ['index', false],
    ]);
    expect(def.items[1]).toMatchObject({
      name: 'session_idx',
      at: { line: 3, column: 1 },
      typeAt: { line: 3, column: 15 },
    });
  });

  it('resolves every fixture table (FK attributes in place, shared, renamed, nullable)', () => {
    const tables = declareFixtureTables();
    for (const { expected, resolved } of tables) {
      expect(
        resolved.columns.map((c) => c.name),
        expected.full_name,
      ).toEqual(expected.attributes.map((a) => a.name));
      expect(resolved.primaryKey, expected.full_name).toEqual(expected.primary_key);
      expect(
        resolved.columns.map((c) => [c.datajointType, c.columnType, c.nullable, c.sqlComment, c.inKey]),
        expected.full_name,
      ).toEqual(
        expected.attributes.map((a) => [
          a.name === 'metadata' ? 'json' : a.datajoint_type,
          a.name === 'metadata' ? 'json' : a.sql_type,
          a.nullable,
          a.sql_comment,
          a.in_key,
        ]),
      );
      expect(
        resolved.foreignKeys
          .filter((fk) => fk.kind === 'parent')
          .map((fk) => ({
            parent: `${fk.refSchema}.${fk.refTable}`,
            attr_map: Object.fromEntries(fk.columns.map((c, i) => [c, fk.refColumns[i]])),
            primary: fk.primary,
            nullable: fk.nullable,
            unique: fk.unique,
          })),
      ).toEqual(expected.foreign_keys.map(({ aliased: _a, ...fk }) => fk));
    }
  });

  it('resolves the same against parents read from a database (parentFromTableInfo)', () => {
    const tables = declareFixtureTables();
    const byClass = new Map(tables.map((t) => [t.expected.class_name, t.expected]));
    for (const { expected, definition, resolved } of tables) {
      const again = resolveDefinition(definition, {
        schema: expected.schema,
        tableName: expected.table_name,
        master: expected.class_name.split('.')[0],
        lookup: (ref) => {
          const p = byClass.get(ref.name);
          return p && parentFromTableInfo(p);
        },
      });
      expect(again, expected.full_name).toEqual(resolved);
    }
  });
});

describe('the grammar', () => {
  const cases: Array<[string, string, object]> = [
    [
      'integer types',
      'a : tinyint\nb : smallint unsigned\nc : mediumint(8)\nd : integer unsigned auto_increment\n---\ne : bigint',
      { type: { kind: 'integer', base: 'int', width: null, unsigned: true, autoIncrement: true } },
    ],
    ['serial', 'id : serial', { type: { kind: 'serial' } }],
    [
      'numeric',
      'a : int\n---\nx = 1.5 : numeric(5,2) unsigned',
      { type: { kind: 'decimal', precision: 5, scale: 2, unsigned: true } },
    ],
    [
      'floats',
      'a : int\n---\nx = -2e3 : real',
      { type: { kind: 'float', base: 'real' }, default: { kind: 'number', text: '-2e3' } },
    ],
    [
      'strings with either quote',
      "a : int\n---\nx = 'it\"s' : varchar(8)",
      { default: { kind: 'string', value: 'it"s' } },
    ],
    [
      'enum with either quote',
      `a : int\n---\nx = "it's" : enum("it's", 'b#c')`,
      { type: { kind: 'enum', values: ["it's", 'b#c'] } },
    ],
    [
      'temporal',
      'a : int\n---\nx = CURRENT_TIMESTAMP(3) : datetime(3)',
      { default: { kind: 'current_timestamp', precision: 3 } },
    ],
    [
      'MariaDB current_timestamp()',
      'a : int\n---\nx = "current_timestamp()" : timestamp',
      { default: { kind: 'current_timestamp', precision: null } },
    ],
    ['year', 'a : int\n---\nx = 2024 : year(4)', { type: { kind: 'temporal', base: 'year', precision: null } }],
    ['boolean', 'a : int\n---\nx = 0 : boolean', { type: { kind: 'bool' } }],
    ['json', 'a : int\n---\nx = null : json', { type: { kind: 'json' }, default: { kind: 'null' } }],
    ['uuid in the key', 'x : uuid', { type: { kind: 'uuid' } }],
    ['blobs', 'a : int\n---\nx : mediumblob', { type: { kind: 'blob', size: 'medium', store: null } }],
    ['blob@store', 'a : int\n---\nx : blob@my-store', { type: { kind: 'blob', size: '', store: 'my-store' } }],
    ['attach', 'a : int\n---\nx : attach', { type: { kind: 'attach', store: null } }],
    ['attach@store', 'a : int\n---\nx = null : attach@raw', { type: { kind: 'attach', store: 'raw' } }],
    ['filepath@store', 'a : int\n---\nx : filepath@raw', { type: { kind: 'filepath', store: 'raw' } }],
    [
      'adapted',
      'a : int\n---\nx : <graph>  # a graph',
      { type: { kind: 'adapted', adapter: 'graph' }, comment: 'a graph' },
    ],
    [
      'text (describe() prints longtext for MariaDB json)',
      'a : int\n---\nx = null : longtext',
      { type: { kind: 'text', size: 'long' } },
    ],
  ];
  it.each(cases)('%s', (_, text, wanted) => {
    const def = parseDefinition(text);
    // the item checked is the last one, or the one with auto_increment in the integer case
    const item =
      def.items.find((i) => i.kind === 'attribute' && i.type.kind === 'integer' && i.type.autoIncrement) ??
      def.items.at(-1);
    expect(item).toMatchObject(wanted);
    expect(strip(parseDefinition(printDefinition(def)))).toEqual(strip(def));
  });

  it('reads every foreign-key form', () => {
    const def = parseDefinition(
      [
        '-> Parent',
        '-> [unique] lab.Subject',
        '---',
        '-> [nullable] Other',
        '-> [Nullable, UNIQUE] Master.Part',
        '-> master',
        '->Session.proj(ref_subject="subject_id", ref_session=\'session_idx\')  # renamed',
        'index (a, b)',
        'UNIQUE INDEX(c)',
      ].join('\n'),
    );
    expect(def.items).toMatchObject([
      {
        kind: 'foreign_key',
        inKey: true,
        ref: { schema: null, name: 'Parent' },
        nullable: false,
        unique: false,
        renames: null,
      },
      { kind: 'foreign_key', inKey: true, ref: { schema: 'lab', name: 'Subject' }, unique: true },
      { kind: 'foreign_key', inKey: false, ref: { name: 'Other' }, nullable: true },
      { kind: 'foreign_key', ref: { name: 'Master.Part' }, nullable: true, unique: true },
      { kind: 'foreign_key', ref: { schema: null, name: 'master' } },
      {
        kind: 'foreign_key',
        renames: [
          ['ref_subject', 'subject_id'],
          ['ref_session', 'session_idx'],
        ],
        comment: 'renamed',
      },
      { kind: 'index', unique: false, attributes: ['a', 'b'] },
      { kind: 'index', unique: true, attributes: ['c'] },
    ]);
    expect(printDefinition(def)).toContain('-> [nullable, unique] Master.Part\n');
    expect(printDefinition(def)).toContain(
      '-> Session.proj(ref_subject="subject_id",ref_session="session_idx")  # renamed\n',
    );
  });
});

// parents for the resolution cases below
const parents: Record<string, ParentHeading> = {
  Parent: {
    schema: 's',
    tableName: 'parent',
    primaryKey: [{ name: 'parent_id', sqlType: 'int unsigned', comment: '' }],
  },
  Session: {
    schema: 's',
    tableName: 'session',
    primaryKey: [
      { name: 'subject_id', sqlType: 'int unsigned', comment: '' },
      { name: 'session_idx', sqlType: 'smallint unsigned', comment: '' },
    ],
  },
};
const resolve = (text: string) =>
  resolveDefinition(parseDefinition(text), {
    schema: 's',
    tableName: 't',
    lookup: (ref) => parents[ref.name],
    adapterType: (a) => (a === 'graph' ? 'longblob' : undefined),
  });

/** [definition, line, column, expected] — the expected token is checked verbatim. */
const malformed: Array<[string, number, number, string]> = [
  ['Subject_id : int', 1, 1, 'an attribute name ([a-z][a-z0-9_]*)'],
  ['# c\n1abc : int', 2, 1, 'an attribute name ([a-z][a-z0-9_]*)'],
  ['index_count : int', 1, 1, 'an attribute name ([a-z][a-z0-9_]*)'],
  [`${'a'.repeat(65)} : int`, 1, 1, 'an attribute name ([a-z][a-z0-9_]*)'],
  ['subject_id int', 1, 12, '"=" or ":"'],
  ['subject_id : ', 1, 14, 'a type'],
  ['x : varchar2(10)', 1, 5, 'a DataJoint type (int, varchar(n), enum(...), date, blob, ...)'],
  ['x : string', 1, 5, 'a DataJoint type (int, varchar(n), enum(...), date, blob, ...)'],
  ['x : varchar', 1, 12, '"(" and a length'],
  ['x : varchar(0)', 1, 13, 'a length from 1 to 16383'],
  ['x : char(300)', 1, 10, 'a length from 0 to 255'],
  ['x : int(0)', 1, 9, 'a display width from 1 to 255'],
  ['x : int signed', 1, 9, '"unsigned", "auto_increment" or end of type'],
  ['x : int unsigned zerofill', 1, 18, '"auto_increment" or end of type'],
  ['a : int\n---\nx : decimal(70,2)', 3, 13, 'a precision from 1 to 65'],
  ['a : int\n---\nx : decimal(5,6)', 3, 13, 'a scale from 0 to 5'],
  ['a : int\n---\nx : double(5)', 3, 13, '"," and a scale'],
  ['a : int\n---\nx : enum()', 3, 10, 'a quoted enum value'],
  ['a : int\n---\nx : enum(a, b)', 3, 10, 'a quoted enum value'],
  ["a : int\n---\nx : enum('a','a')", 3, 14, 'distinct enum values'],
  ["a : int\n---\nx : enum('a' 'b')", 3, 14, '"," or ")"'],
  ["a : int\n---\nx : enum('a", 3, 10, 'a quoted enum value'],
  ["a : int\n---\nx : enum('a\\b')", 3, 10, 'an enum value without "\\"'],
  ['a : int\n---\nx : datetime(7)', 3, 14, 'a fractional-seconds precision from 0 to 6'],
  ['a : int\n---\nx : year(2)', 3, 10, 'year or year(4)'],
  ['a : int\n---\nx : date(3)', 3, 9, 'end of type'],
  ['a : int\n---\nx : blob@', 3, 10, 'a store name ([a-z][a-z0-9_-]*)'],
  ['a : int\n---\nx : filepath', 3, 13, '"@" and a store name'],
  ['a : int\n---\nx : blob@Raw', 3, 10, 'a store name ([a-z][a-z0-9_-]*)'],
  ['a : int\n---\nx : <>', 3, 6, 'an adapter name'],
  ['x : longblob', 1, 5, 'a type allowed in the primary key'],
  ['x : json', 1, 5, 'a type allowed in the primary key'],
  ['x : attach@raw', 1, 5, 'a type allowed in the primary key'],
  ['a : int\nx : filepath@raw', 2, 5, 'a type allowed in the primary key'],
  ['x = null : int', 1, 5, 'a non-null default or none'],
  ['a : int\n---\ny = "abc" : longblob', 3, 5, 'null'],
  ['a : int\n---\ny = "5" : int', 3, 5, 'an integer'],
  ['a : int\n---\ny = 300 : tinyint unsigned', 3, 5, 'an integer from 0 to 255'],
  ["a : int\n---\ny = \"red\" : enum('white','blue')", 3, 5, "one of 'white', 'blue'"],
  ['a : int\n---\ny = "abcd" : varchar(3)', 3, 5, 'at most 3 characters'],
  ['a : int\n---\ny = "2024-02-30" : date', 3, 5, 'a date "YYYY-MM-DD"'],
  ['a : int\n---\ny = CURRENT_TIMESTAMP : date', 3, 5, 'a quoted value'],
  ['a : int\n---\ny = CURRENT_TIMESTAMP : datetime(3)', 3, 5, 'CURRENT_TIMESTAMP(3)'],
  [
    'a : int\n---\ny = abc : varchar(5)',
    3,
    5,
    'a default value (null, a number, a quoted string or CURRENT_TIMESTAMP)',
  ],
  ['a : int\n---\ny = "abc : varchar(5)', 3, 22, 'a closing "'],
  ['a : int\n---\ny = 5 : varchar(5)', 3, 5, 'a quoted string'],
  ['a : int\n---\ny : int\n---\nz : int', 4, 1, 'one "---" per definition'],
  ['a : int\n--- x', 2, 5, 'end of line after "---"'],
  ['# c\n---\ny : int', 2, 1, 'a primary-key attribute or "-> Parent" before "---"'],
  ['a : int\n---\nb : int\nb : float', 4, 1, 'a new attribute name'],
  ['-> [nullable] Parent', 1, 5, '"unique"'],
  ['a : int\n---\n-> [optional] Parent', 3, 5, '"nullable" or "unique"'],
  ['a : int\n---\n-> [unique, unique] Parent', 3, 13, '"nullable" or "unique"'],
  ['a : int\n---\n-> [nullable Parent', 3, 14, '"," or "]"'],
  ['-> parent', 1, 10, '"." and a class name after the schema name'],
  ['-> lab.subject', 1, 8, 'a CamelCase class name'],
  ['-> Parent.proj(a)', 1, 17, '"=" (proj may only rename: new_name="parent_attribute")'],
  ['-> Parent.proj(a=b)', 1, 18, 'a quoted parent attribute name'],
  ['-> Parent.proj(a="x", a="y")', 1, 23, 'distinct new names'],
  ['-> Parent.project()', 1, 11, '"proj(" after "."'],
  ['-> Parent junk', 1, 11, 'end of line or "# comment"'],
  ['-> Parent.proj(a="x"', 1, 21, '"," or ")"'],
  ['a : int\nindex a', 2, 7, '"(" and attribute names'],
  ['a : int\nindex ()', 2, 8, 'an attribute name'],
  ['a : int\nunique index (a, a)', 2, 18, 'distinct attribute names'],
  ['# :table\na : int', 1, 3, 'a table comment not starting with ":"'],
  ['a : int  # :uuid: sneaky', 1, 12, 'a comment not starting with ":"'],
  ['a : int\n---\nb : int auto_increment', 3, 5, 'a type without auto_increment'],
  ['a : int\u0001', 1, 8, 'printable text'],
  ['x : int -> Parent', 1, 1, '"->"'],
  // rules that need the parents: resolution
  ['-> Nowhere', 1, 4, 'a declared table class'],
  ['-> master', 1, 4, 'a table class name'],
  ['-> Session.proj(sid="session_id")', 1, 4, 'a primary-key attribute of the parent (subject_id, session_idx)'],
  ['-> Session.proj(session_idx="subject_id")', 1, 4, 'distinct attribute names after proj'],
  ['-> Parent\n---\nparent_id : int', 3, 1, 'a new attribute name'],
  ['parent_id : int\n-> Parent', 2, 4, '"parent_id" of type int(10) unsigned'],
  ['a : int\n---\nindex (nope)', 3, 8, 'an attribute of this table'],
  ['a : int\n---\nb : longblob\nindex (b)', 4, 8, 'an attribute that can be indexed'],
  ['a : int\n---\nb : <nope>', 3, 5, 'a known adapter'],
];

describe('malformed definitions', () => {
  it('has at least 40 cases', () => expect(malformed.length).toBeGreaterThanOrEqual(40));

  it.each(malformed)('%j fails at line %i, column %i expecting %s', (text, line, column, expected) => {
    let error: unknown;
    try {
      resolve(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ line, column, expected });
    expect(typeof e.details!.found).toBe('string');
    expect(e.message).toContain(`line ${line}, column ${column}`);
  });

  it('names the table in the message and details', () => {
    expect(() => parseDefinition('x : nope', { table: 'lab.Subject' })).toThrow(/lab\.Subject, line 1, column 5/);
    try {
      parseDefinition('x : nope', { table: 'lab.Subject' });
    } catch (e) {
      expect((e as AppError).details).toMatchObject({ table: 'lab.Subject', found: '"nope"' });
    }
  });
});
