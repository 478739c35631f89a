import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { ENGINES } from '../../support/data-engines';
import { addLab, applyAndWait, openPipeline, snapshot, type MigrateEngine } from './support';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * The primary-key change of migration.md on real MariaDB and SQLite: `lab` joins subject's key
 * and cascades through session -> scan -> roi, the nullable sibling, the renamed FK and the
 * cross-schema child. Applied, verified, rolled back (byte-identical checksums), applied again,
 * discarded.
 */
describe.each(ENGINES)('migrate a primary key upstream (%s)', (engine) => {
  let s: MigrateEngine;
  let before: Record<string, string>;

  beforeAll(async () => {
    s = await openPipeline(engine, 'migpk');
    before = await snapshot(s.db, s.tables);
  }, 120_000);
  afterAll(async () => s?.close());

  const q = (t: string) => s.db.dialect.qualify(t.split('.')[0]!, t.split('.')[1]!);
  const latestHere = async () => (await s.call('migration.history', {})).migrations.find((m) => m.schema === s.lab)!.id;

  it('plans the cascade with SQL for both engines and no data loss', async () => {
    const plan = await s.call('migration.plan', { changes: addLab(s.lab) });
    expect(plan.lossy).toBe(false);
    expect(plan.tables.map((t) => t.target)).toHaveLength(7);
    // only the copied tables are counted, exactly
    expect(plan.tables.find((t) => t.target === `${s.lab}.__roi`)!.rows).toBe(144);
    expect(plan.steps.find((x) => x.kind === 'swap')!.sql.mysql[0]).toMatch(/^RENAME TABLE /);
  });

  it('dry-runs on copies: counts and checks, nothing changed, nothing journaled', async () => {
    const dry = await s.call('migration.dryRun', { changes: addLab(s.lab) });
    expect(dry.counts[`${s.lab}.__roi`]).toBe(144);
    expect(dry.checks.every((c) => c.ok)).toBe(true);
    expect(await snapshot(s.db, s.tables)).toEqual(before);
    const history = await s.call('migration.history', {});
    expect(history.migrations.filter((m) => m.schema === s.lab)).toEqual([]);
  });

  it('applies: every key follows, values come from the parent, FKs enforce', async () => {
    const record = await applyAndWait(s, addLab(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const info = await s.call('pipeline.inspect', { schemas: [s.lab, s.ephys] });
    const table = (full: string) => info.schemas[full.split('.')[0]!]!.tables.find((t) => t.full_name === full)!;
    expect(table(`${s.lab}.__roi`).primary_key).toEqual(['lab', 'subject_id', 'session_idx', 'scan_idx', 'roi_idx']);
    expect(table(`${s.lab}.pairing`).foreign_keys[0]!.attr_map).toEqual({ lab: 'lab', partner_id: 'subject_id' });
    expect(table(`${s.ephys}.behavior`).primary_key[0]).toBe('lab');
    expect(table(`${s.lab}.cage_assignment`).primary_key).toEqual(['cage']);
    const cage = await s.db.query<{ cage: number; lab: string | null }>(
      `SELECT cage, lab FROM ${q(`${s.lab}.cage_assignment`)} ORDER BY cage`,
    );
    expect(cage.map((r) => r.lab)).toEqual(['hub', 'hub', null, 'hub']);
    const roi = await s.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(`${s.lab}.__roi`)} WHERE lab = 'hub'`);
    expect(Number(roi[0]!.n)).toBe(144);
    // an orphan is rejected: a session of a subject that does not exist
    await expect(
      s.db.execute(`INSERT INTO ${q(`${s.lab}.session`)} VALUES ('nowhere', 1, 9, '2024-02-02')`),
    ).rejects.toThrow();
    const checks = record.checks as { foreignKeys: Record<string, string> };
    expect(Object.values(checks.foreignKeys)).toContain('rejected orphan');
  });

  it('inserts through Joinery into the migrated pipeline', async () => {
    await s.call('data.insert', {
      schema: s.lab,
      table: 'subject',
      rows: [{ lab: 'east', subject_id: 1, name: 'e1' }],
    });
    await s.db.execute(`DELETE FROM ${q(`${s.lab}.subject`)} WHERE lab = 'east'`);
  });

  it('refuses a rollback that would lose a row written since the swap', async () => {
    await s.db.execute(`INSERT INTO ${q(`${s.lab}.subject`)} (lab, subject_id, name) VALUES ('west', 1, 'w1')`);
    const refused = await s.fail('migration.rollback', { id: await latestHere() });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/subject has \d+ rows now, \d+ right after migration/);
    // a refusal changed nothing: the migration shows no error
    expect((await s.call('migration.status', { id: await latestHere() })).error).toBeNull();
    await s.db.execute(`DELETE FROM ${q(`${s.lab}.subject`)} WHERE lab = 'west'`);
  });

  it('rolls back to byte-identical tables, applies again, discards', async () => {
    // every end is announced, so every client's history follows (the wizard's included)
    const ended: string[] = [];
    const stop = s.core.events.subscribe((event, data) => {
      if (event === 'migration.finished') ended.push((data as { state: string }).state);
    });
    // by id: other test files migrate on the same server, so "the latest" may be theirs
    const rolled = await s.call('migration.rollback', { id: await latestHere() });
    expect(rolled.state).toBe('rolled_back');
    expect(await snapshot(s.db, s.tables)).toEqual(before);
    // the new tables were set aside under hidden names: no table of the pipeline, dropped after the answer
    const info = await s.call('pipeline.inspect', { schemas: [s.lab, s.ephys] });
    const names = Object.values(info.schemas).flatMap((x) => x.tables.map((t) => t.full_name));
    expect(names.filter((n) => n.includes('~'))).toEqual([]);
    expect(names).toHaveLength(s.tables.length);
    await s.core.services.migration.settle();
    for (const schema of [s.lab, s.ephys])
      expect([...(await hiddenTables(s.db, schema))].filter((t) => t.startsWith(`~${rolled.id}`))).toEqual([]);
    expect((await s.call('migration.status', { id: rolled.id })).state).toBe('rolled_back');
    const again = await applyAndWait(s, addLab(s.lab));
    expect(again.state, again.error ?? '').toBe('done');
    const discarded = await s.call('migration.discard', { id: again.id });
    expect(discarded.state).toBe('discarded');
    stop();
    expect(ended).toEqual(['rolled_back', 'done', 'discarded']);
    const history = await s.call('migration.history', {});
    const mine = history.migrations.filter((m) => m.schema === s.lab);
    expect(mine.map((m) => m.state)).toEqual(['discarded', 'rolled_back']);
    expect((await s.fail('migration.rollback', { id: again.id })).code).toBe('CONFLICT');
  });
});
