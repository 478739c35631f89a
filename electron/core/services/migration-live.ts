import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActiveMigration, CopyPosition } from '../../../shared/api/schemas/migration';
import type { MigrationPlan } from '../../../shared/migrate';
import type { StepHook } from '../migrate/copy';
import type { Progress } from '../migrate/journal';

/**
 * What the migration service remembers of the migrations it runs, so a screen opened (or
 * reloaded) while one runs can show how far it got without reading the journal: on SQLite the
 * whole migration is one transaction, and the journal cannot be read until it ends.
 */

/** A migration running in this core, kept up to date from the executor's progress. */
export interface LiveRun extends ActiveMigration {
  connectionId: string;
}

/** `<schema>.<table_name>` of each new table, in plan order (the executor's progress labels). */
function targetLabels(plan: MigrationPlan): string[] {
  return plan.tables.map((t) => `${t.target.schema}.${t.target.tableName}`);
}

/** Rows copied per new table according to the journal's copy positions (indexed by plan order). */
export function copiedSoFar(plan: MigrationPlan, progress: Progress): Record<string, CopyPosition> {
  const labels = targetLabels(plan);
  const out: Record<string, CopyPosition> = {};
  for (const [i, t] of plan.tables.entries()) {
    const pos = progress.copy[i];
    if (pos) out[labels[i]!] = { rows: pos.rows, total: t.rows };
  }
  return out;
}

/** Records one `migration.progress` report in the run. */
export function noteProgress(run: LiveRun, phase: string, table: string | null, rows: number, total: number): void {
  run.phase = phase;
  if (table) run.tables[table] = { rows, total };
}

/**
 * Test seam for the wizard's end-to-end test: with `JOINERY_MIGRATE_HOLD_AT=<step>` (an executor
 * step such as `copy:1`) and `JOINERY_MIGRATE_HOLD_FILE=<path>`, an apply waits at that step for
 * as long as the file exists, so a test can leave and reopen the screen while it runs, without
 * relying on the machine's speed. Read at each apply; no effect when unset.
 */
export function holdHook(env: NodeJS.ProcessEnv = process.env): StepHook | undefined {
  const at = env.JOINERY_MIGRATE_HOLD_AT;
  const file = env.JOINERY_MIGRATE_HOLD_FILE;
  if (!at || !file) return undefined;
  return async (step) => {
    if (step !== at) return;
    while (existsSync(file)) await sleep(100);
  };
}

/** Both hooks in turn (either may be absent). */
export function bothHooks(a: StepHook | undefined, b: StepHook | undefined): StepHook | undefined {
  if (!a || !b) return a ?? b;
  return async (step) => {
    await a(step);
    await b(step);
  };
}
