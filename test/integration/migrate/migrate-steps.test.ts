import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJobKey } from '../../../electron/core/data/blob-values';
import { hashCanonicalKey } from '../../../electron/core/jobs/canonical-key-hash';
import { keyBlob } from '../../../electron/core/jobs/job-keys';
import { ensureJobTables } from '../../../electron/core/jobs/job-tables';
import { runPlan } from '../../../electron/core/migrate/executor';
import type { MigrationChange } from '../../../shared/api/schemas/migration';
import { runJoinery } from '../../support/cli';
import { ENGINES } from '../../support/data-engines';
import { addLab, applyAndWait, journaledPlan, openPipeline, snapshot, type MigrateEngine } from './support';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * Every other step type on real MariaDB and SQLite (rename a key attribute through the cascade,
 * add/drop/retype secondary attributes, indexes, a new and a retargeted FK, rename with a tier
 * change, split into a 1:1 table), the consent rule for lossy plans, the refusal to migrate a
 * table being populated, writes refused during the copy, and job records that follow new keys.
 */
describe.each(ENGINES)('migration steps (%s)', (engine) => {
  let s: MigrateEngine;
  const inspect = async (full: string) => {
    const info = await s.call('pipeline.inspect', { schemas: [s.lab, s.ephys] });
    return info.schemas[full.split('.')[0]!]!.tables.find((t) => t.full_name === full);
  };
  const rows = (full: string, order: string) =>
    s.db.query(`SELECT * FROM ${s.db.dialect.qualify(full.split('.')[0]!, full.split('.')[1]!)} ORDER BY ${order}`);

  beforeAll(async () => {
    s = await openPipeline(engine, 'migst');
  }, 120_000);
  afterAll(async () => s?.close());

  it('refuses a lossy plan without consent, from the CLI and the API', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-migst-'));
    const file = path.join(dataDir, 'change.json');
    const lossy: MigrationChange[] = [
      { table: `${s.lab}.Subject`, definition: 'subject_id : int\n---\nname : varchar(32)\n' },
    ];
    writeFileSync(file, JSON.stringify({ changes: lossy }));
    const before = await snapshot(s.db, s.tables);
    const r = runJoinery(['migrate', 'apply', '--db', s.url, '--file', file, '--yes'], { dataDir, timeoutMs: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/loses data: the values of .*subject\.weight are dropped/);
    expect(r.stderr).toMatch(/--allow-data-loss/);
    const refused = await s.fail('migration.apply', { changes: lossy });
    expect(refused.code).toBe('VALIDATION');
    const no = runJoinery(['migrate', 'apply', '--db', s.url, '--file', file], { dataDir, timeoutMs: 120_000 });
    expect(no.status).toBe(1); // stdin is empty: not confirmed
    expect(no.stdout).toMatch(/This plan LOSES DATA/);
    expect(await snapshot(s.db, s.tables)).toEqual(before);
    const bad = path.join(dataDir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ changes: [{ table: `${s.lab}.Subject`, definition: 'lab : int\nsubject_id : int\n' }] }),
    );
    const missing = runJoinery(['migrate', 'plan', '--db', s.url, '--file', bad], { dataDir, timeoutMs: 120_000 });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Subject: the new attribute lab needs a value/);
  }, 240_000);

  it('renames a key attribute through the cascade and the renamed FK', async () => {
    const record = await applyAndWait(s, [
      {
        table: `${s.lab}.Subject`,
        definition: 'subj : int\n---\nname : varchar(32)\nweight = null : float\n',
        renames: { subject_id: 'subj' },
      },
    ]);
    expect(record.state, record.error ?? '').toBe('done');
    expect((await inspect(`${s.lab}.__roi`))!.primary_key).toEqual(['subj', 'session_idx', 'scan_idx', 'roi_idx']);
    expect((await inspect(`${s.lab}.pairing`))!.foreign_keys[0]!.attr_map).toEqual({ partner_id: 'subj' });
    expect((await inspect(`${s.ephys}.behavior`))!.primary_key[0]).toBe('subj');
    await s.call('migration.rollback', { id: record.id });
  });

  it('adds, drops and retypes secondary attributes with consent, adds an index', async () => {
    const record = await applyAndWait(
      s,
      [
        {
          table: `${s.lab}.Subject`,
          definition: 'subject_id : int\n---\nname : varchar(64)\nsex = "U" : enum("F","M","U")\nindex(name)\n',
        },
      ],
      true,
    );
    expect(record.state, record.error ?? '').toBe('done');
    const t = (await inspect(`${s.lab}.subject`))!;
    expect(t.secondary_attributes).toEqual(['name', 'sex']);
    expect(t.indexes.some((ix) => ix.columns.join() === 'name')).toBe(true);
    const r = await rows(`${s.lab}.subject`, 'subject_id');
    expect(r[0]).toMatchObject({ subject_id: 1, name: 's1', sex: 'U' });
    await s.call('migration.rollback', { id: record.id });
  });

  const roiAndCage = (lab: string): MigrationChange[] => [
    {
      table: `${lab}.Roi`,
      rename_to: `${lab}.RoiMask`,
      tier: 'Imported',
      definition: '-> Scan\nroi_idx : int\n---\narea : float\n-> [nullable] CageAssignment\n',
    },
    {
      table: `${lab}.CageAssignment`,
      definition: 'cage : int\n---\n-> [nullable] Pairing.proj(subject_id="partner_id")\n',
    },
  ];

  it('renames a table with a tier change, adds a secondary FK and retargets one', async () => {
    // cage 2 points at subject 5, which no pairing has: the retargeted FK cannot hold
    const record = await applyAndWait(s, roiAndCage(s.lab));
    expect(record.state).not.toBe('done');
    expect(record.error).toMatch(/cage_assignment|foreign key|constraint/i);
    await s.call('migration.rollback', { id: record.id });
    await s.db.execute(`DELETE FROM ${s.db.dialect.qualify(s.lab, 'cage_assignment')} WHERE cage IN (1, 2, 4)`);
    const ok = await applyAndWait(s, roiAndCage(s.lab));
    expect(ok.state, ok.error ?? '').toBe('done');
    const mask = (await inspect(`${s.lab}._roi_mask`))!;
    expect(mask.tier).toBe('Imported');
    expect(mask.foreign_keys.map((f) => f.parent).sort()).toEqual([`${s.lab}._scan`, `${s.lab}.cage_assignment`]);
    expect(await inspect(`${s.lab}.__roi`)).toBeUndefined();
    expect((await inspect(`${s.lab}.cage_assignment`))!.foreign_keys[0]!.parent).toBe(`${s.lab}.pairing`);
    await s.call('migration.rollback', { id: ok.id });
    expect((await inspect(`${s.lab}.__roi`))!.tier).toBe('Computed');
  });

  it('splits attributes off into a new 1:1 table', async () => {
    const record = await applyAndWait(s, [
      { table: `${s.lab}.Subject`, definition: 'subject_id : int\n---\nname : varchar(32)\n' },
      {
        table: `${s.lab}.SubjectWeight`,
        split_from: `${s.lab}.Subject`,
        definition: '-> Subject\n---\nweight = null : float\n',
      },
    ]);
    expect(record.state, record.error ?? '').toBe('done');
    const w = await rows(`${s.lab}.subject_weight`, 'subject_id');
    expect(w).toHaveLength(12);
    expect(w[1]).toMatchObject({ subject_id: 2, weight: 1.5 });
    expect((await inspect(`${s.lab}.subject`))!.secondary_attributes).toEqual(['name']);
    await s.call('migration.rollback', { id: record.id });
    expect(await inspect(`${s.lab}.subject_weight`)).toBeUndefined();
  });

  it('does not migrate a table being populated, and moves job records to the new keys', async () => {
    await ensureJobTables(s.db, s.lab);
    const jobs = s.db.dialect.qualify(s.lab, '~jobs');
    const scan = (await inspect(`${s.lab}._scan`))!;
    const oldKey = { subject_id: 3, session_idx: 2, scan_idx: 1 };
    const cols = ['table_name', 'key_hash', 'status', 'key', 'user', 'host']
      .map((c) => s.db.dialect.quoteIdent(c))
      .join(', ');
    await s.db.execute(`INSERT INTO ${jobs} (${cols}) VALUES (?, ?, 'reserved', ?, 'alice@lab', 'node7')`, [
      '_scan',
      hashCanonicalKey(oldKey, scan),
      keyBlob(oldKey, scan),
    ]);
    const refused = await s.fail('migration.apply', { changes: addLab(s.lab) });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/_scan is being populated: job [0-9a-f]{32} is reserved by alice@lab/);
    await s.db.execute(`UPDATE ${jobs} SET status = 'error'`);
    const record = await applyAndWait(s, addLab(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const after = (await inspect(`${s.lab}._scan`))!;
    const row = (
      await s.db.query<{ key_hash: string; key: Buffer }>(
        `SELECT key_hash, ${s.db.dialect.quoteIdent('key')} AS ${s.db.dialect.quoteIdent('key')} FROM ${jobs}`,
      )
    )[0]!;
    const newKey = { lab: 'hub', ...oldKey };
    expect(decodeJobKey(Buffer.from(row.key))).toEqual(newKey);
    expect(row.key_hash).toBe(hashCanonicalKey(newKey, after));
    await s.call('migration.rollback', { id: record.id });
    const back = (await s.db.query<{ key_hash: string }>(`SELECT key_hash FROM ${jobs}`))[0]!;
    expect(back.key_hash).toBe(hashCanonicalKey(oldKey, scan));
    await s.db.execute(`DELETE FROM ${jobs}`);
  });

  it.runIf(engine === 'mysql')('refuses writes to the tables while they are copied', async () => {
    const plan = await journaledPlan(s, addLab(s.lab));
    let refusal = '';
    await runPlan(s.db, plan, {
      chunkRows: 7,
      hook: async (step) => {
        if (step !== 'copy:1' || refusal) return;
        refusal = await s.db
          .execute(`INSERT INTO ${s.db.dialect.qualify(s.lab, 'subject')} VALUES (99, 'late', NULL)`)
          .then(
            () => 'accepted',
            (e: Error) => e.message,
          );
      },
    });
    expect(refusal).toMatch(/Joinery migration m\w+ is changing .*subject: writes are refused/);
    const { findEntry } = await import('../../../electron/core/migrate/journal');
    const { rollbackMigration } = await import('../../../electron/core/migrate/rollback');
    await rollbackMigration(s.db, await findEntry(s.db, plan.id));
    await s.db.execute(`INSERT INTO ${s.db.dialect.qualify(s.lab, 'subject')} VALUES (99, 'late', NULL)`);
    await s.db.execute(`DELETE FROM ${s.db.dialect.qualify(s.lab, 'subject')} WHERE subject_id = 99`);
  });
});
