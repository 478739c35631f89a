import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { dropAllAside, dropAside } from '../../../electron/core/migrate/aside';
import { runPlan } from '../../../electron/core/migrate/executor';
import { findEntry } from '../../../electron/core/migrate/journal';
import { rollbackMigration } from '../../../electron/core/migrate/rollback';
import { runJoinery } from '../../support/cli';
import { ENGINES } from '../../support/data-engines';
import { addLab, journaledPlan, openPipeline, snapshot, type MigrateEngine } from './support';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * Crash at every journal step, then resume or roll back: the result must equal an uninterrupted
 * run (new tables) or the untouched original (old tables), by checksum of every column. Plus one
 * real `kill -9` of a `joinery migrate apply` child process, resumed by running it again.
 */
const STEPS = ['preflight', 'shadows', 'copy:0', 'copy:3', 'verify', 'swap', 'renamed', 'post'];

describe.each(ENGINES)('migration crashes (%s)', (engine) => {
  let s: MigrateEngine;
  let original: Record<string, string>;
  let migrated: Record<string, string>;

  beforeAll(async () => {
    s = await openPipeline(engine, 'migcr');
    original = await snapshot(s.db, s.tables);
    const plan = await journaledPlan(s, addLab(s.lab));
    expect((await runPlan(s.db, plan, { chunkRows: 7 })).state).toBe('done');
    migrated = await snapshot(s.db, s.tables);
    await rollbackMigration(s.db, await findEntry(s.db, plan.id));
    expect(await snapshot(s.db, s.tables)).toEqual(original);
  }, 180_000);
  afterAll(async () => s?.close());

  it.each(STEPS.map((step, i) => [step, i % 2 === 0 ? 'resume' : 'rollback'] as const))(
    'crash at %s, then %s',
    async (step, then) => {
      const plan = await journaledPlan(s, addLab(s.lab));
      let calls = 0;
      const hook = (at: string) => {
        // a copy step crashes at its second chunk: some rows are in, some are not
        if (at === step && ++calls === (step.startsWith('copy') ? 2 : 1)) throw new Error(`injected crash at ${at}`);
      };
      await expect(runPlan(s.db, plan, { chunkRows: 7, hook })).rejects.toThrow(/injected crash/);
      const entry = await findEntry(s.db, plan.id);
      expect(entry.record.error).toMatch(/injected crash/);
      if (then === 'resume') {
        expect((await runPlan(s.db, plan, { chunkRows: 7 })).state).toBe('done');
        expect(await snapshot(s.db, s.tables)).toEqual(migrated);
        await rollbackMigration(s.db, await findEntry(s.db, plan.id));
      } else {
        await rollbackMigration(s.db, entry);
      }
      expect(await snapshot(s.db, s.tables)).toEqual(original);
      expect((await findEntry(s.db, plan.id)).state).toBe('rolled_back');
    },
    120_000,
  );

  // a rollback's own steps: before and after its reverse RENAME, and between the drops of the set-aside tables
  it.each(['rollback:rename', 'rollback:renamed', 'cleanup:1'])(
    'rollback crashes at %s, then runs again',
    async (step) => {
      const plan = await journaledPlan(s, addLab(s.lab));
      expect((await runPlan(s.db, plan, { chunkRows: 7 })).state).toBe('done');
      const hook = (at: string) => {
        if (at === step) throw new Error(`injected crash at ${at}`);
      };
      if (step.startsWith('cleanup')) {
        expect(await rollbackMigration(s.db, await findEntry(s.db, plan.id), { hook })).toBe('rolled_back');
        await expect(dropAside(s.db, await findEntry(s.db, plan.id), hook)).rejects.toThrow(/injected crash/);
      } else {
        await expect(rollbackMigration(s.db, await findEntry(s.db, plan.id), { hook })).rejects.toThrow(
          /injected crash/,
        );
        const stopped = await findEntry(s.db, plan.id);
        // the journal still says done, with the reason; running the rollback again finishes it
        expect(stopped.state).toBe('done');
        expect(stopped.record.error).toMatch(/Rollback stopped: .*injected crash/);
        expect(await rollbackMigration(s.db, stopped)).toBe('rolled_back');
      }
      expect(await snapshot(s.db, s.tables)).toEqual(original);
      const rolled = await findEntry(s.db, plan.id);
      expect(rolled.state).toBe('rolled_back');
      expect(rolled.record.error).toBeNull();
      // the new tables wait aside under hidden names until dropped (some may be gone after a stopped cleanup)
      expect(rolled.progress.aside).toBe(true);
      if (!step.startsWith('cleanup')) expect(await leftovers(s, plan.id)).toHaveLength(7);
      await expect(dropAllAside(s.db, { schemas: [s.lab] })).resolves.toContain(plan.id);
      expect(await leftovers(s, plan.id)).toEqual([]);
      expect((await findEntry(s.db, plan.id)).progress.aside).toBe(false);
      expect(await snapshot(s.db, s.tables)).toEqual(original);
    },
  );

  it('resumes after kill -9 of the CLI in the middle of the copy, and of its rollback at each step', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-migcr-'));
    const file = path.join(dataDir, 'change.json');
    writeFileSync(file, JSON.stringify({ changes: addLab(s.lab) }));
    const env = { JOINERY_MIGRATE_CHUNK_ROWS: '5' };
    const args = ['migrate', 'apply', '--db', s.url, '--file', file, '--yes', '--json'];
    const killed = runJoinery(args, {
      dataDir,
      env: { ...env, JOINERY_MIGRATE_KILL_AT: 'copy:3' },
      timeoutMs: 120_000,
    });
    expect(killed.status).toBeNull();
    const resumed = runJoinery(args, { dataDir, env, timeoutMs: 120_000 });
    expect(resumed.status, resumed.stderr).toBe(0);
    const record = JSON.parse(resumed.stdout) as { id: string; state: string };
    expect(record.state).toBe('done');
    expect(await snapshot(s.db, s.tables)).toEqual(migrated);
    // the rollback killed right after its RENAME, then run again; killed again while it drops the
    // tables it set aside (after it answered), which `discard` of the rolled-back migration finishes
    const rollback = ['migrate', 'rollback', '--db', s.url, '--id', record.id, '--json'];
    const kill = (at: string) => ({ dataDir, env: { JOINERY_MIGRATE_KILL_AT: at }, timeoutMs: 120_000 });
    expect(runJoinery(rollback, kill('rollback:renamed')).status).toBeNull();
    expect((await findEntry(s.db, record.id)).state).toBe('done');
    const rolled = runJoinery(rollback, kill('cleanup:1'));
    expect(rolled.status).toBeNull();
    expect((JSON.parse(rolled.stdout) as { state: string }).state).toBe('rolled_back');
    expect(await snapshot(s.db, s.tables)).toEqual(original);
    expect((await findEntry(s.db, record.id)).progress.aside).toBe(true);
    expect((await leftovers(s, record.id)).length).toBeGreaterThan(0);
    const discarded = runJoinery(['migrate', 'discard', '--db', s.url, '--id', record.id], { dataDir });
    expect(discarded.status, discarded.stderr).toBe(0);
    expect(discarded.stdout).toMatch(/rolled_back/);
    expect(await leftovers(s, record.id)).toEqual([]);
    expect((await findEntry(s.db, record.id)).progress.aside).toBe(false);
    expect(await snapshot(s.db, s.tables)).toEqual(original);
  }, 240_000);
});

/** Hidden tables of migration `id` (shadows, set-aside or kept-old tables) left in the pipeline's schemas. */
async function leftovers(s: MigrateEngine, id: string): Promise<string[]> {
  const out: string[] = [];
  for (const schema of [s.lab, s.ephys])
    for (const t of await hiddenTables(s.db, schema)) if (t.startsWith(`~${id}`)) out.push(`${schema}.${t}`);
  return out.sort();
}
