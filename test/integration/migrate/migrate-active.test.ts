import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runPlan } from '../../../electron/core/migrate/executor';
import { ENGINES } from '../../support/data-engines';
import { addLab, journaledPlan, openPipeline, type MigrateEngine } from './support';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * migration.active: a screen opened while a migration runs asks which one runs and how far it
 * got (answered from the core's memory, so also while SQLite's one transaction holds the file),
 * and sees a migration that stopped before its end, with the change that resumes it. The run is
 * held at a step by the JOINERY_MIGRATE_HOLD_* seam, so nothing depends on the machine's speed.
 */
describe.each(ENGINES)('migration.active (%s)', (engine) => {
  let s: MigrateEngine;
  let dir: string;

  beforeAll(async () => {
    s = await openPipeline(engine, 'migact');
    dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-migact-'));
  }, 120_000);
  afterAll(async () => {
    delete process.env.JOINERY_MIGRATE_HOLD_AT;
    delete process.env.JOINERY_MIGRATE_HOLD_FILE;
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Unfinished migrations of this suite's schemas (the MariaDB server is shared with other suites). */
  const mine = async () =>
    (await s.call('migration.active', {})).migrations.filter((m) => m.migration.schema === s.lab);

  it('validates its input', async () => {
    const bad = await s.fail('migration.active', { id: 'x' } as never);
    expect(bad.code).toBe('VALIDATION');
    expect(await mine()).toEqual([]);
  });

  it('names the running migration and the rows copied per table, then nothing once it ended', async () => {
    const hold = path.join(dir, 'hold');
    writeFileSync(hold, '');
    process.env.JOINERY_MIGRATE_HOLD_AT = 'copy:2';
    process.env.JOINERY_MIGRATE_HOLD_FILE = hold;
    // the first two tables' copies are reported before the run waits at the third
    const copied = new Set<string>();
    const twoCopied = new Promise<void>((resolve) => {
      const stop = s.core.events.subscribe((event, data) => {
        const d = data as { phase: string; table: string | null };
        if (event !== 'migration.progress' || d.phase !== 'copy' || !d.table) return;
        copied.add(d.table);
        if (copied.size === 2) {
          stop();
          resolve();
        }
      });
    });
    const { id } = await s.call('migration.apply', { changes: addLab(s.lab) });
    await twoCopied;

    const [active, ...others] = await mine();
    expect(others).toEqual([]);
    expect(active!.migration.id).toBe(id);
    expect(active!.running).toBe(true);
    expect(active!.phase).toBe('copy');
    expect(active!.changes).toEqual(addLab(s.lab));
    expect(active!.tables[`${s.lab}.subject`]).toEqual({ rows: 12, total: 12 });
    // exactly the two tables copied before the hold, each complete (which is second is the plan's choice)
    expect(Object.keys(active!.tables).sort()).toEqual([...copied].sort());
    for (const p of Object.values(active!.tables)) expect(p.rows).toBe(p.total);

    rmSync(hold);
    await s.core.services.migration.wait(id);
    delete process.env.JOINERY_MIGRATE_HOLD_AT;
    expect((await s.call('migration.status', { id })).state).toBe('done');
    expect(await mine()).toEqual([]);
    await s.call('migration.rollback', { id });
  });

  it('shows a migration that stopped before its end, with the change that resumes it', async () => {
    const plan = await journaledPlan(s, addLab(s.lab));
    const hook = (step: string) => {
      if (step === 'copy:1') throw new Error('injected stop at copy:1');
    };
    await expect(runPlan(s.db, plan, { hook })).rejects.toThrow(/injected stop/);

    const [stopped, ...others] = await mine();
    expect(others).toEqual([]);
    expect(stopped!.migration.id).toBe(plan.id);
    expect(stopped!.running).toBe(false);
    expect(stopped!.phase).toBeNull();
    expect(stopped!.migration.error).toMatch(/injected stop/);
    // MariaDB commits each chunk with its position; SQLite's one transaction left nothing behind
    expect(stopped!.tables).toEqual(engine === 'mysql' ? { [`${s.lab}.subject`]: { rows: 12, total: 12 } } : {});

    // applying its change again resumes the same migration
    const { id } = await s.call('migration.apply', { changes: stopped!.changes });
    expect(id).toBe(plan.id);
    await s.core.services.migration.wait(id);
    expect((await s.call('migration.status', { id })).state).toBe('done');
    expect(await mine()).toEqual([]);
  });
});
