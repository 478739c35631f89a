import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../shared/migrate';
import { catalogOf, pipelineTables, subjectWithLab } from '../../../support/migrate-catalog';

const catalog = catalogOf(pipelineTables(), { 'lab.__roi': 1_000_000 });
const plan = (changes: Parameters<typeof planMigration>[0]) => planMigration(changes, catalog, { id: 'mtest01' });

describe('planMigration: a new primary-key attribute upstream', () => {
  const p = plan([subjectWithLab()]);
  const byName = (n: string) => p.tables.find((t) => `${t.target.schema}.${t.target.tableName}` === n)!;

  it('takes every descendant, across schemas, parents first', () => {
    const names = p.tables.map((t) => `${t.target.schema}.${t.target.tableName}`);
    expect(new Set(names)).toEqual(
      new Set([
        'lab.subject',
        'lab.session',
        'lab._scan',
        'lab.__roi',
        'lab.cage_assignment',
        'lab.pairing',
        'other.behavior',
      ]),
    );
    expect(names.indexOf('lab.subject')).toBeLessThan(names.indexOf('lab.session'));
    expect(names.indexOf('lab.session')).toBeLessThan(names.indexOf('lab._scan'));
    expect(names.indexOf('lab.session')).toBeLessThan(names.indexOf('other.behavior'));
  });

  it('fills lab with the literal upstream, in every descendant', () => {
    expect(byName('lab.subject').columns.find((c) => c.name === 'lab')!.from).toEqual({
      kind: 'literal',
      value: 'hub',
    });
    const roi = byName('lab.__roi');
    expect(roi.target.primaryKey).toEqual(['lab', 'subject_id', 'session_idx', 'scan_idx', 'roi_idx']);
    expect(roi.columns.find((c) => c.name === 'lab')!.from).toEqual({ kind: 'literal', value: 'hub' });
    expect(roi.joins).toEqual([]);
    expect(roi.keyChanged).toBe(true);
  });

  it('takes a promoted attribute from the already-copied parent', () => {
    const promoted = plan([
      { table: 'lab.Subject', definition: 'name : varchar(32)\nsubject_id : int\n---\nweight = null : float\n' },
    ]);
    const roi = promoted.tables.find((t) => t.target.tableName === '__roi')!;
    const from = roi.columns.find((c) => c.name === 'name')!.from;
    expect(from.kind).toBe('parent');
    const join = roi.joins[(from as { join: number }).join]!;
    expect(promoted.tables[join.planIndex!]!.target.tableName).toBe('_scan');
    expect(join.on.map((o) => o.sourceColumn)).toEqual(['subject_id', 'session_idx', 'scan_idx']);
  });

  it('follows a renamed FK and a secondary nullable FK', () => {
    const pairing = byName('lab.pairing');
    expect(pairing.target.primaryKey).toEqual(['lab', 'partner_id']);
    const cage = byName('lab.cage_assignment');
    expect(cage.joins[0]!.on).toEqual([{ parentColumn: 'subject_id', sourceColumn: 'subject_id' }]);
    expect(cage.target.primaryKey).toEqual(['cage']);
    expect(cage.target.columns.find((c) => c.name === 'lab')!.nullable).toBe(true);
    expect(cage.keyChanged).toBe(false);
  });

  it('shadows point at shadows, swaps in one RENAME, and is not lossy', () => {
    const session = byName('lab.session');
    expect(session.shadow.tableName).toBe('~mtest01n_session');
    expect(session.shadow.foreignKeys[0]!.refTable).toBe('~mtest01n_subject');
    const swap = p.view.steps.find((s) => s.kind === 'swap')!;
    expect(swap.sql.mysql).toHaveLength(1);
    expect(swap.sql.mysql[0]).toContain('`lab`.`subject` TO `lab`.`~mtest01o_subject`');
    expect(swap.sql.sqlite.some((s) => s.includes('ALTER TABLE "lab.subject" RENAME TO "lab.~mtest01o_subject"'))).toBe(
      true,
    );
    expect(p.view.lossy).toBe(false);
    expect(p.view.risks.some((r) => r.kind === 'long_copy')).toBe(true);
    expect(p.view.changes.some((c) => c.kind === 'cascade_key' && c.table === 'lab.session')).toBe(true);
  });
});

describe('planMigration: other step types', () => {
  it('renames a key attribute through every dependent and proj', () => {
    const p = plan([
      {
        table: 'lab.Subject',
        definition: 'subj : int\n---\nname : varchar(32)\nweight = null : float\n',
        renames: { subject_id: 'subj' },
      },
    ]);
    const session = p.tables.find((t) => t.target.tableName === 'session')!;
    expect(session.target.primaryKey).toEqual(['subj', 'session_idx']);
    expect(session.columns[0]).toEqual({ name: 'subj', from: { kind: 'column', column: 'subject_id' } });
    const pairing = p.tables.find((t) => t.target.tableName === 'pairing')!;
    expect(pairing.target.foreignKeys[0]!.refColumns).toEqual(['subj']);
    expect(p.view.changes.filter((c) => c.kind === 'rename_key_attribute').length).toBeGreaterThan(0);
  });

  it('drops, adds, retypes secondary attributes and flags the loss', () => {
    const p = plan([
      {
        table: 'lab.Subject',
        definition: 'subject_id : int\n---\nname : varchar(64)\nsex = "U" : enum("F","M","U")\n',
      },
    ]);
    const kinds = p.view.changes.filter((c) => c.table === 'lab.subject').map((c) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['drop_attribute', 'add_attribute']));
    expect(p.view.changes.find((c) => c.kind === 'retype_attribute')!.risks).toEqual([]);
    expect(p.view.lossy).toBe(true);
  });

  it('renames a table with a tier change, adds an index and a secondary FK', () => {
    const p = plan([
      {
        table: 'lab.Roi',
        rename_to: 'lab.RoiMask',
        tier: 'Imported',
        definition: '-> Scan\nroi_idx : int\n---\narea : float\n-> [nullable] CageAssignment\nindex(area)\n',
      },
    ]);
    const t = p.tables[0]!;
    expect(t.target.tableName).toBe('_roi_mask');
    const kinds = p.view.changes.map((c) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['rename_table', 'change_tier', 'add_index', 'add_foreign_key']));
  });

  it('splits attributes off into a new 1:1 table without loss', () => {
    const p = plan([
      { table: 'lab.Subject', definition: 'subject_id : int\n---\nname : varchar(32)\n' },
      { table: 'lab.SubjectWeight', split_from: 'lab.Subject', definition: '-> Subject\n---\nweight = null : float\n' },
    ]);
    const split = p.tables.at(-1)!;
    expect(split.role).toBe('split');
    expect(split.target.tableName).toBe('subject_weight');
    expect(split.columns.find((c) => c.name === 'weight')!.from).toEqual({ kind: 'column', column: 'weight' });
    expect(p.view.lossy).toBe(false);
  });

  it('adds a secondary FK, and retargets one', () => {
    const added = plan([
      {
        table: 'lab.Pairing',
        definition: '-> Subject.proj(partner_id="subject_id")\n---\nnote : varchar(40)\n-> [nullable] Session\n',
      },
    ]);
    expect(added.view.changes.map((c) => c.kind)).toContain('add_foreign_key');
    const moved = plan([
      {
        table: 'lab.CageAssignment',
        definition: 'cage : int\n---\n-> [nullable] Pairing.proj(subject_id="partner_id")\n',
      },
    ]);
    const change = moved.view.changes.find((c) => c.kind === 'retarget_foreign_key')!;
    expect(change.detail).toContain('lab.pairing instead of lab.subject');
  });

  it('says which value is missing', () => {
    expect(() =>
      plan([{ table: 'lab.Subject', definition: 'lab : varchar(16)\nsubject_id : int\n---\nname : varchar(32)\n' }]),
    ).toThrow(/lab\.Subject: the new attribute lab needs a value/);
    expect(() => plan([{ ...subjectWithLab(), values: { lab: 'x', nope: 1 } }])).toThrow(/"values" names nope/);
    expect(() => plan([{ table: 'lab.Nope', definition: 'a : int\n' }])).toThrow(/lab\.Nope is not a table/);
    expect(() => plan([{ ...subjectWithLab(), renames: { missing: 'lab' } }])).toThrow(/"renames" names missing/);
  });
});
