import { describe, expect, it } from 'vitest';
import type { DeclareTable } from '../../../../shared/api/schemas/schema';
import { planMigration } from '../../../../shared/migrate';
import { catalogOf } from '../../../support/migrate-catalog';

/** The planner on a DataJoint 2.x schema: definitions read and rebuilt in 2.x conventions. */
const tables: DeclareTable[] = [
  { schema: 'lab', class_name: 'Subject', tier: 'Manual', definition: 'subject_id : int32\n---\nname : varchar(32)' },
  {
    schema: 'lab',
    class_name: 'Session',
    tier: 'Manual',
    definition: '-> Subject\nsession_idx : int16\n---\nday : date',
  },
  { schema: 'lab', class_name: 'Scan', tier: 'Computed', definition: '-> Session\n---\nquality : float64' },
];
const catalog = catalogOf(tables, {}, { conventions: '2', jobMetadata: true });
const addLab = [
  {
    table: 'lab.Subject',
    definition: 'lab : varchar(16)\nsubject_id : int32\n---\nname : varchar(32)',
    values: { lab: 'ours' },
  },
];

describe('planMigration on a DataJoint 2.x schema', () => {
  it('reads 2.x core types in the schema conventions (0.14 conventions refuse them)', () => {
    expect(() => planMigration(addLab, catalog, { id: 'mtest02' })).toThrow(/found "int32"/);
    const p = planMigration(addLab, catalog, { id: 'mtest02', conventionsOf: () => '2' });
    expect(p.view.lossy).toBe(false);
    expect(p.tables.map((t) => t.target.tableName)).toEqual(['subject', 'session', '__scan']);
    expect(p.tables.every((t) => t.target.conventions === '2')).toBe(true);
  });

  it('writes 2.x markers: own attributes marked, inherited ones bare; _job_* columns kept', () => {
    const p = planMigration(addLab, catalog, { id: 'mtest02', conventionsOf: () => '2' });
    const comments = (i: number) => Object.fromEntries(p.tables[i]!.shadow.columns.map((c) => [c.name, c.sqlComment]));
    expect(comments(0)).toEqual({ lab: ':varchar(16):', subject_id: ':int32:', name: ':varchar(32):' });
    expect(comments(1)).toMatchObject({ lab: '', subject_id: '', session_idx: ':int16:', day: ':date:' });
    const scan = p.tables[2]!;
    expect(scan.target.columns.map((c) => c.name)).toEqual([
      'lab',
      'subject_id',
      'session_idx',
      'quality',
      '_job_start_time',
      '_job_duration',
      '_job_version',
    ]);
    expect(scan.columns.find((c) => c.name === '_job_duration')!.from).toEqual({
      kind: 'column',
      column: '_job_duration',
    });
    expect(p.view.changes.filter((c) => c.kind === 'drop_attribute')).toEqual([]);
  });
});
