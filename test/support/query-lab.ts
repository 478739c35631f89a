import { createPostgresTable } from './postgres-tables';
import { SQLITE_META_TABLE } from '../../electron/core/db/catalog/sqlite-catalog';
import type { DbDriver } from '../../electron/core/db/driver';
import { toAttribute } from '../../shared/model/table-info';
import { tableHeading } from '../../shared/query/heading-rules';
import type { HeadingLookup } from '../../shared/query/resolve';
import type { QueryHeading } from '../../shared/query/types';

/**
 * A small lab pipeline in DataJoint's conventions for the hand-written query tests: a Lookup
 * (`#species`), Manual tables, an Imported table with a part (`_scan__field`), a Computed table
 * with uuid and blob columns, and a second schema that repeats a class name (for ambiguity).
 */
interface Col {
  name: string;
  type: string;
  key?: boolean;
  nullable?: boolean;
  comment?: string;
}

interface LabTable {
  schema: 'lab' | 'ephys';
  table: string;
  cols: Col[];
  fks?: string[];
  rows: Record<string, unknown>[];
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The tables, rows in canonical form. */
export const LAB: LabTable[] = [
  {
    schema: 'lab',
    table: '#species',
    cols: [
      { name: 'species', type: 'varchar(32)', key: true },
      { name: 'common_name', type: 'varchar(64)' },
    ],
    rows: [
      { species: 'mus musculus', common_name: 'mouse' },
      { species: 'rattus norvegicus', common_name: 'rat' },
    ],
  },
  {
    schema: 'lab',
    table: 'subject',
    cols: [
      { name: 'subject_id', type: 'int', key: true },
      { name: 'species', type: 'varchar(32)' },
      { name: 'sex', type: "enum('M','F','U')" },
      { name: 'date_of_birth', type: 'date' },
      { name: 'weight', type: 'decimal(5,2)', nullable: true },
      { name: 'notes', type: 'varchar(1000)' },
    ],
    fks: ['FOREIGN KEY (species) REFERENCES #species (species)'],
    rows: [
      {
        subject_id: 1,
        species: 'mus musculus',
        sex: 'F',
        date_of_birth: '2023-01-05',
        weight: '20.50',
        notes: "it's fine",
      },
      {
        subject_id: 2,
        species: 'rattus norvegicus',
        sex: 'M',
        date_of_birth: '2022-03-01',
        weight: '310.25',
        notes: '',
      },
      {
        subject_id: 3,
        species: 'mus musculus',
        sex: 'U',
        date_of_birth: '2023-06-01',
        weight: null,
        notes: 'ÄÖ😀; DROP TABLE subject; --',
      },
    ],
  },
  {
    schema: 'lab',
    table: 'session',
    cols: [
      { name: 'subject_id', type: 'int', key: true },
      { name: 'session_idx', type: 'smallint unsigned', key: true },
      { name: 'session_date', type: 'date' },
      { name: 'rig', type: "enum('A','B','C')" },
      { name: 'start_time', type: 'datetime' },
      { name: 'operator', type: 'varchar(32)', nullable: true },
    ],
    fks: ['FOREIGN KEY (subject_id) REFERENCES subject (subject_id)'],
    rows: [
      {
        subject_id: 1,
        session_idx: 1,
        session_date: '2024-01-02',
        rig: 'A',
        start_time: '2024-01-02 09:30:00',
        operator: 'ann',
      },
      {
        subject_id: 1,
        session_idx: 2,
        session_date: '2024-02-03',
        rig: 'B',
        start_time: '2024-02-03 14:00:05',
        operator: null,
      },
      {
        subject_id: 2,
        session_idx: 1,
        session_date: '2023-12-30',
        rig: 'A',
        start_time: '2023-12-30 08:00:00',
        operator: 'bob',
      },
    ],
  },
  {
    schema: 'lab',
    table: '_scan',
    cols: [
      { name: 'subject_id', type: 'int', key: true },
      { name: 'session_idx', type: 'smallint unsigned', key: true },
      { name: 'scan_id', type: 'int', key: true },
      { name: 'depth', type: 'double' },
      { name: 'notes', type: 'varchar(1000)' },
    ],
    fks: ['FOREIGN KEY (subject_id, session_idx) REFERENCES session (subject_id, session_idx)'],
    rows: [
      { subject_id: 1, session_idx: 1, scan_id: 1, depth: 120.5, notes: 'ok' },
      { subject_id: 1, session_idx: 1, scan_id: 2, depth: 250, notes: '' },
      { subject_id: 2, session_idx: 1, scan_id: 1, depth: 80.25, notes: 'noisy' },
    ],
  },
  {
    schema: 'lab',
    table: '_scan__field',
    cols: [
      { name: 'subject_id', type: 'int', key: true },
      { name: 'session_idx', type: 'smallint unsigned', key: true },
      { name: 'scan_id', type: 'int', key: true },
      { name: 'field_idx', type: 'int', key: true },
      { name: 'field_x', type: 'double' },
    ],
    fks: ['FOREIGN KEY (subject_id, session_idx, scan_id) REFERENCES _scan (subject_id, session_idx, scan_id)'],
    rows: [
      { subject_id: 1, session_idx: 1, scan_id: 1, field_idx: 1, field_x: 0.5 },
      { subject_id: 1, session_idx: 1, scan_id: 1, field_idx: 2, field_x: 1.5 },
      { subject_id: 2, session_idx: 1, scan_id: 1, field_idx: 1, field_x: -2 },
    ],
  },
  {
    schema: 'lab',
    table: '__analysis',
    cols: [
      { name: 'subject_id', type: 'int', key: true },
      { name: 'session_idx', type: 'smallint unsigned', key: true },
      { name: 'score', type: 'float', nullable: true },
      { name: 'run_id', type: 'binary(16)', comment: ':uuid:run identifier' },
      { name: 'result', type: 'longblob', nullable: true },
    ],
    fks: ['FOREIGN KEY (subject_id, session_idx) REFERENCES session (subject_id, session_idx)'],
    rows: [
      { subject_id: 1, session_idx: 1, score: 0.75, run_id: uuid(1), result: null },
      { subject_id: 2, session_idx: 1, score: null, run_id: uuid(2), result: null },
    ],
  },
  {
    schema: 'ephys',
    table: 'subject',
    cols: [
      { name: 'subject_id', type: 'int', key: true },
      { name: 'implant', type: 'varchar(16)' },
    ],
    rows: [{ subject_id: 1, implant: 'neuropixels' }],
  },
  {
    schema: 'ephys',
    table: 'probe',
    cols: [
      { name: 'probe_id', type: 'int', key: true },
      { name: 'subject_id', type: 'int' },
    ],
    rows: [{ probe_id: 7, subject_id: 1 }],
  },
];

/** The heading each lab table reads back as. */
export function labHeading(t: LabTable): QueryHeading {
  const attributes = t.cols.map((c) =>
    toAttribute({
      name: c.name,
      sqlType: c.type,
      nullable: Boolean(c.nullable),
      default: null,
      comment: c.comment ?? '',
      inKey: Boolean(c.key),
      autoIncrement: false,
      jsonChecked: false,
    }),
  );
  return tableHeading({ attributes, primary_key: attributes.filter((a) => a.in_key).map((a) => a.name) });
}

/** A lookup over the lab's headings, schema names mapped by `names` (e.g. lab -> jt_x_lab). */
export function labLookup(names: Record<'lab' | 'ephys', string> = { lab: 'lab', ephys: 'ephys' }): HeadingLookup {
  const map = new Map(LAB.map((t) => [`${names[t.schema]}\u0000${t.table}`, labHeading(t)]));
  return (s, t) => map.get(`${s}\u0000${t}`);
}

const AFFINITY = (type: string) =>
  /int/.test(type)
    ? 'INT'
    : /decimal/.test(type)
      ? 'NUMERIC'
      : /double|float/.test(type)
        ? 'REAL'
        : /blob|binary/.test(type)
          ? 'BLOB'
          : 'TEXT';

/** Declares the lab on one engine under the given schema names and inserts its rows. */
export async function installLab(db: DbDriver, names: Record<'lab' | 'ephys', string>): Promise<void> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const mysql = db.dialect.name === 'mysql';
  if (mysql) for (const s of Object.values(names)) await db.execute(`CREATE DATABASE ${q(s)}`);
  else if (db.dialect.name === 'sqlite')
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${q(SQLITE_META_TABLE)} (table_name TEXT PRIMARY KEY NOT NULL, meta TEXT NOT NULL)`,
    );
  for (const t of LAB) {
    const schema = names[t.schema];
    const cols = t.cols.map(
      (c) =>
        `${q(c.name)} ${mysql ? c.type : AFFINITY(c.type)} ${c.nullable ? 'NULL' : 'NOT NULL'}${mysql && c.comment ? ` COMMENT '${c.comment}'` : ''}`,
    );
    const fks = (t.fks ?? []).map(
      (fk) =>
        fk.replace(
          /REFERENCES (\S+) \(/,
          (_m, parent: string) => `REFERENCES ${db.dialect.qualify(schema, parent)} (`,
        ) + ' ON UPDATE CASCADE ON DELETE RESTRICT',
    );
    const key = `PRIMARY KEY (${t.cols
      .filter((c) => c.key)
      .map((c) => q(c.name))
      .join(', ')})`;
    if (db.dialect.name === 'postgres') await createPostgresTable(db, schema, t.table, t.cols, [key, ...fks]);
    else await db.execute(`CREATE TABLE ${db.dialect.qualify(schema, t.table)} (${[...cols, key, ...fks].join(', ')})`);
    if (db.dialect.name === 'sqlite') {
      const meta = {
        comment: '',
        columns: Object.fromEntries(t.cols.map((c) => [c.name, { sqlType: c.type, comment: c.comment ?? '' }])),
      };
      await db.execute(`INSERT INTO ${q(SQLITE_META_TABLE)} (table_name, meta) VALUES (?, ?)`, [
        `${schema}.${t.table}`,
        JSON.stringify(meta),
      ]);
    }
    for (const row of t.rows) {
      const values = t.cols.map((c) =>
        c.comment?.startsWith(':uuid:') ? Buffer.from(String(row[c.name]).replaceAll('-', ''), 'hex') : row[c.name],
      );
      await db.execute(
        `INSERT INTO ${db.dialect.qualify(schema, t.table)} (${t.cols.map((c) => q(c.name)).join(', ')}) VALUES (${t.cols.map(() => '?').join(', ')})`,
        values,
      );
    }
  }
}
