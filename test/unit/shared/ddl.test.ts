import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import {
  externalTable,
  jobsTable,
  logTable,
  parseDefinition,
  resolveDefinition,
  type ResolvedTable,
} from '../../../shared/model/definition';
import {
  createExternalTableDdl,
  createSchemaDdl,
  fixedDecimal,
  mysqlCreateTable,
  serverIndexes,
  sqliteCreateTable,
  sqliteTableMeta,
} from '../../../shared/sql/ddl';
import { declareFixtureTables } from '../../support/declare-fixture';

/**
 * DDL from Joinery's resolved headings, compared with DataJoint 0.14.9's own `declare_sql` for
 * every fixture table. Both texts are read into their meaning (columns with type, nullability,
 * default value and comment; keys; foreign keys with actions; indexes; table comment), because
 * Joinery spells some things differently on purpose:
 *  - literals in single quotes (DataJoint's double quotes become identifiers under ANSI_QUOTES),
 *    with backslashes escaped (DataJoint lets MySQL eat them);
 *  - nullable columns say NULL explicitly (DataJoint's bare nullable FK column relies on the
 *    server default, which for timestamps depends on explicit_defaults_for_timestamp);
 *  - numeric defaults unquoted (`DEFAULT 1`, DataJoint `DEFAULT "1"`: MySQL converts the string);
 *  - empty column comments left out (DataJoint writes `COMMENT ""` for inherited columns);
 *  - type keywords in lower case (`longblob`; DataJoint writes `LONGBLOB` for attach).
 */

interface ColumnMeaning {
  type: string;
  nullable: boolean;
  autoIncrement: boolean;
  default: string | null;
  comment: string;
}
interface TableMeaning {
  table: string;
  comment: string;
  columns: Record<string, ColumnMeaning>;
  order: string[];
  primaryKey: string[];
  foreignKeys: string[];
  indexes: string[];
}

const TOKEN =
  /'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|[A-Za-z_]+\((?:'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|[^)'"])*\)|\S+/g;

/** The value of a quoted MySQL literal (either quote, backslash escapes, doubled quotes). */
function unquote(token: string): string {
  const q = token[0]!;
  return token
    .slice(1, -1)
    .replaceAll(q + q, q)
    .replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', '0': '\0', Z: '\u001a' })[c] ?? c);
}

function columnMeaning(tokens: string[]): ColumnMeaning {
  const keywords = new Set(['NULL', 'NOT', 'DEFAULT', 'COMMENT', 'AUTO_INCREMENT']);
  let i = 0;
  const type: string[] = [];
  while (i < tokens.length && !keywords.has(tokens[i]!.toUpperCase())) type.push(tokens[i++]!.toLowerCase());
  const m: ColumnMeaning = { type: type.join(' '), nullable: true, autoIncrement: false, default: null, comment: '' };
  for (; i < tokens.length; i++) {
    const t = tokens[i]!.toUpperCase();
    if (t === 'NOT') {
      m.nullable = false;
      i++;
    } else if (t === 'AUTO_INCREMENT') m.autoIncrement = true;
    else if (t === 'DEFAULT') {
      const v = tokens[++i]!;
      m.default = /^['"]/.test(v) ? unquote(v) : v.toUpperCase() === 'NULL' ? null : v.toUpperCase();
    } else if (t === 'COMMENT') m.comment = unquote(tokens[++i]!);
  }
  return m;
}

/** Reads DataJoint-shaped CREATE TABLE text into its meaning. */
function meaning(sql: string): TableMeaning {
  const m = /^CREATE TABLE IF NOT EXISTS (\S+) \(\n([\s\S]*)\n\) ENGINE=InnoDB, COMMENT (.*)$/.exec(sql);
  if (!m) throw new Error(`not a DataJoint CREATE TABLE:\n${sql}`);
  const out: TableMeaning = {
    table: m[1]!,
    comment: unquote(m[3]!),
    columns: {},
    order: [],
    primaryKey: [],
    foreignKeys: [],
    indexes: [],
  };
  for (const line of m[2]!.split(',\n')) {
    const col = /^`([^`]+)` (.*)$/.exec(line);
    if (col) {
      out.columns[col[1]!] = columnMeaning(col[2]!.match(TOKEN)!);
      out.order.push(col[1]!);
    } else if (/^PRIMARY KEY/i.test(line)) {
      out.primaryKey = [...line.matchAll(/`([^`]+)`/g)].map((x) => x[1]!);
    } else if (/^FOREIGN KEY/i.test(line)) {
      out.foreignKeys.push(line.replace(/\s+/g, ' ').toUpperCase());
    } else {
      const ix = /^(unique )?index \((.*)\)$/i.exec(line);
      if (!ix) throw new Error(`unexpected line: ${line}`);
      out.indexes.push(`${ix[1] ? 'UNIQUE ' : ''}INDEX (${ix[2]})`);
    }
  }
  return out;
}

const tables = declareFixtureTables();

describe('MySQL DDL equals DataJoint declare_sql in meaning', () => {
  it.each(tables.map((t) => [t.expected.full_name, t] as const))('%s', (_, { expected, resolved }) => {
    const mine = meaning(mysqlCreateTable(resolved));
    const theirs = meaning(expected.declare_sql);
    expect(mine).toEqual(theirs);
  });

  it('hidden tables come out as DataJoint declares them', () => {
    const ext = mysqlCreateTable(externalTable('lab', 'raw'));
    expect(ext).toContain(
      "`hash` binary(16) NOT NULL COMMENT ':uuid:hash of contents (blob), of filename + contents (attach), or relative filepath (filepath)'",
    );
    expect(ext).toContain("`timestamp` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'automatic timestamp'");
    expect(ext).toMatch(/^CREATE TABLE IF NOT EXISTS `lab`.`~external_raw`/);
    expect(mysqlCreateTable(logTable('lab'))).toContain(
      "`id` int unsigned NOT NULL AUTO_INCREMENT COMMENT 'event order id'",
    );
    expect(mysqlCreateTable(jobsTable('ephys'))).toContain("COMMENT 'job reservation table for `ephys`'");
    expect(() => externalTable('lab', 'Bad Store')).toThrow(AppError);
  });

  it('CREATE DATABASE names the schema, quoted', () => {
    expect(createSchemaDdl('mysql', 'lab`x')).toEqual([{ sql: 'CREATE DATABASE IF NOT EXISTS `lab``x`', params: [] }]);
    expect(createSchemaDdl('mysql', 'lab', { ifNotExists: false })[0]!.sql).toBe('CREATE DATABASE `lab`');
  });
});

function declare(text: string, tableName = 't'): ResolvedTable {
  return resolveDefinition(parseDefinition(text), { schema: 's', tableName, lookup: () => undefined });
}

describe('values in DDL are escaped', () => {
  const hostile = declare(`# it's "quoted" \\ and; DROP TABLE x; --
a : int  # a ' quote, a " quote, a \\ backslash and \`tick\`
---
b = "x'); DROP TABLE t; --" : varchar(64)  # ok
c = 'C:\\new' : varchar(16)`);

  it('MySQL: every quote and backslash stays inside its literal', () => {
    const sql = mysqlCreateTable(hostile);
    expect(sql).toContain("COMMENT 'a '' quote, a \" quote, a \\\\ backslash and `tick`'");
    expect(sql).toContain("DEFAULT 'x''); DROP TABLE t; --'");
    expect(sql).toContain("DEFAULT 'C:\\\\new'");
    expect(sql).toMatch(/COMMENT 'it''s "quoted" \\\\ and; DROP TABLE x; --'$/);
    const m = meaning(sql);
    expect(m.columns.a!.comment).toBe('a \' quote, a " quote, a \\ backslash and `tick`');
    expect(m.columns.c!.default).toBe('C:\\new');
  });

  it('MySQL without backslash escapes only doubles quotes', () => {
    expect(mysqlCreateTable(hostile, { noBackslashEscapes: true })).toContain("DEFAULT 'C:\\new'");
  });

  it('SQLite: literals double quotes; comments go to the metadata row as a bound value', () => {
    const stmts = sqliteCreateTable(hostile);
    const create = stmts.find((s) => s.sql.startsWith('CREATE TABLE IF NOT EXISTS "s.t"'))!;
    expect(create.sql).toContain("DEFAULT 'x''); DROP TABLE t; --'");
    expect(create.sql).not.toContain('backslash');
    const meta = stmts.at(-1)!;
    expect(meta.sql).toBe('INSERT OR REPLACE INTO "~joinery_table_meta" (table_name, meta) VALUES (?, ?)');
    expect(JSON.parse(meta.params[1] as string).columns.a.comment).toBe(
      'a \' quote, a " quote, a \\ backslash and `tick`',
    );
  });
});

describe('SQLite DDL', () => {
  it('makes the indexes InnoDB makes, in MariaDB SHOW KEYS order', () => {
    for (const { expected, resolved } of tables) {
      expect(
        serverIndexes(resolved).map(({ columns, unique }) => ({ columns, unique })),
        expected.full_name,
      ).toEqual(expected.indexes.map(({ columns, unique }) => ({ columns, unique })));
    }
  });

  it('creates the indexes newest-last in reverse, so index_list reads them in that order', () => {
    const subject = tables.find((t) => t.expected.table_name === 'subject')!.resolved;
    const names = sqliteCreateTable(subject)
      .filter((s) => s.sql.startsWith('CREATE '))
      .map((s) => s.sql);
    expect(names.slice(2)).toEqual([
      'CREATE INDEX IF NOT EXISTS "djref_lab.subject/4_date_of_birth" ON "djref_lab.subject" ("date_of_birth")',
      'CREATE INDEX IF NOT EXISTS "djref_lab.subject/3_surgery_report" ON "djref_lab.subject" ("surgery_report")',
      'CREATE INDEX IF NOT EXISTS "djref_lab.subject/2_species" ON "djref_lab.subject" ("species")',
      'CREATE UNIQUE INDEX IF NOT EXISTS "djref_lab.subject/1_tag_id" ON "djref_lab.subject" ("tag_id")',
    ]);
  });

  it('gives each column MySQL meaning with CHECKs, and the same FK actions', () => {
    const session = tables.find((t) => t.expected.table_name === 'session')!.resolved;
    const sql = sqliteCreateTable(session)[1]!.sql;
    expect(sql).toContain(
      '"subject_id" INT NOT NULL CHECK ("subject_id" IS NULL OR (typeof("subject_id") = \'integer\' AND "subject_id" >= 0 AND "subject_id" <= 4294967295))',
    );
    expect(sql).toContain(
      '"session_type" TEXT NOT NULL CHECK ("session_type" IS NULL OR ("session_type" IN (\'behavior\', \'ephys\', \'imaging\')))',
    );
    expect(sql).toContain(
      '"session_notes" TEXT NOT NULL DEFAULT \'\' CHECK ("session_notes" IS NULL OR (typeof("session_notes") = \'text\' AND length("session_notes") <= 1024))',
    );
    expect(sql).toContain(
      '"metadata" TEXT NULL DEFAULT NULL CHECK ("metadata" IS NULL OR (typeof("metadata") = \'text\' AND json_valid("metadata")))',
    );
    expect(sql).toContain(
      '"session_uuid" BLOB NOT NULL CHECK ("session_uuid" IS NULL OR (typeof("session_uuid") = \'blob\' AND length("session_uuid") = 16))',
    );
    expect(sql).toContain(
      'FOREIGN KEY ("subject_id") REFERENCES "djref_lab.subject" ("subject_id") ON UPDATE CASCADE ON DELETE RESTRICT',
    );
    expect(sql).toContain('PRIMARY KEY ("subject_id", "session_idx")');
  });

  it('records MariaDB types, raw comments and defaults in the metadata row', () => {
    const subject = tables.find((t) => t.expected.table_name === 'subject')!;
    const meta = sqliteTableMeta(subject.resolved);
    expect(meta.comment).toBe(subject.expected.table_comment);
    for (const a of subject.expected.attributes) {
      expect(meta.columns[a.name], a.name).toMatchObject({ sqlType: a.sql_type, comment: a.sql_comment });
    }
  });

  it('reports defaults as MariaDB does', () => {
    const t = declare(`a : int
---
d = 1 : decimal(5,2)
e = -0.005 : decimal(4,2)
f = 1e3 : float
g = 2024 : year
h = "09:30:00" : time(3)
i = CURRENT_TIMESTAMP(3) : datetime(3)
j = "2024-01-02 03:04:05.1" : datetime(2)
k = +7 : tinyint
l = "white" : enum('white','blue')`);
    expect(Object.fromEntries(Object.entries(sqliteTableMeta(t).columns).map(([k, v]) => [k, v.default]))).toEqual({
      a: null,
      d: '1.00',
      e: '-0.01',
      f: '1000',
      g: '2024',
      h: '09:30:00.000',
      i: 'current_timestamp(3)',
      j: '2024-01-02 03:04:05.10',
      k: '7',
      l: 'white',
    });
    expect(fixedDecimal('0.004', 2)).toBe('0.00');
    expect(fixedDecimal('-0.004', 2)).toBe('0.00');
    expect(fixedDecimal('12.345', 0)).toBe('12');
  });

  it('auto_increment: the rowid alias for a one-column key, UNSUPPORTED otherwise', () => {
    expect(sqliteCreateTable(logTable('lab'))[1]!.sql).toContain('"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL');
    expect(() => sqliteCreateTable(declare('a : int\nb : int auto_increment'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
  });

  it('external tables and schemas', () => {
    expect(createExternalTableDdl('sqlite', 'lab', 'raw')[1]!.sql).toMatch(
      /^CREATE TABLE IF NOT EXISTS "lab.~external_raw"/,
    );
    expect(createSchemaDdl('sqlite', 'lab')).toEqual([
      { sql: 'CREATE TABLE IF NOT EXISTS "~joinery_schema" (name TEXT PRIMARY KEY NOT NULL)', params: [] },
      { sql: 'INSERT OR IGNORE INTO "~joinery_schema" (name) VALUES (?)', params: ['lab'] },
    ]);
  });
});
