import type { MigrationState } from '../../../shared/api/schemas/migration';
import { appError } from '../../../shared/errors';
import type { MigrationPlan } from '../../../shared/migrate';
import type { DbDriver, DbSession } from '../db/driver';
import { copyAll, dropJoinIndexes, type StepHook } from './copy';
import { proveForeignKeys } from './fk-proof';
import { blockWrites, checkNoRunningJobs, unblockWrites } from './guards';
import { reload, setState, type Progress } from './journal';
import { rewriteJobRecords } from './rewrite-jobs';
import { keepOldLineage, rewriteLineage } from './rewrite-lineage';
import { rewriteQueues } from './rewrite-queues';
import { createShadows, finalCounts, isSwapped, serverClock, swapTables } from './swap';
import { verifyShadows, type VerifyReport } from './verify';

/**
 * Runs a journaled plan to the end, from wherever its journal says it stopped. MySQL: each step
 * commits on its own and records its end (DDL cannot be rolled back), copy chunks commit with
 * their position, and the swap is one RENAME whose effect is detected on resume. SQLite: the
 * whole migration is one transaction (the documented 12-step procedure), so a crash leaves the
 * database as before and the journal at `planned`; resuming starts over.
 */

/** What the executor reports while it works. */
export type OnProgress = (phase: string, table: string | null, rows: number, total: number) => void;

/** Options of a run. */
export interface RunOptions {
  chunkRows?: number;
  hook?: StepHook;
  onProgress?: OnProgress;
  /** Stop after verification and drop the shadows (a dry run on copies). */
  dryRun?: boolean;
}

/** The outcome of a run. */
export interface RunResult {
  state: MigrationState;
  checks: Record<string, unknown>;
}

// 50 k rows per chunk: per-chunk costs (a key probe, a journal write, a commit) stay small next to the copy
const DEFAULT_CHUNK = 50_000;
const FINISHED: ReadonlySet<MigrationState> = new Set(['done', 'rolled_back', 'discarded']);

/** Runs or resumes `plan` (already journaled). */
export async function runPlan(db: DbDriver, plan: MigrationPlan, opts: RunOptions = {}): Promise<RunResult> {
  const { state } = await reload(db, plan);
  if (FINISHED.has(state))
    throw appError('CONFLICT', `Migration ${plan.id} is already ${state.replace('_', ' ')}.`, {
      details: { id: plan.id },
    });
  const hook = stepHook(opts.hook);
  try {
    return db.dialect.capabilities.transactionalDdl
      ? await runInOneTransaction(db, plan, { ...opts, hook })
      : await runStepwise(db, plan, { ...opts, hook });
  } catch (e) {
    await setState(db, plan, (await reload(db, plan)).state, { error: (e as Error).message.slice(0, 4000) }).catch(
      () => {},
    );
    throw e;
  }
}

type Opts = RunOptions & { hook: StepHook };

async function runStepwise(db: DbDriver, plan: MigrationPlan, opts: Opts): Promise<RunResult> {
  let { state, progress } = await reload(db, plan);
  const report = opts.onProgress ?? (() => {});
  if (state === 'planned') {
    await opts.hook('preflight');
    await checkNoRunningJobs(db, plan);
    await blockWrites(db, plan);
    await opts.hook('shadows');
    report('shadows', null, 0, plan.tables.length);
    await createShadows(db, plan);
    await setState(db, plan, (state = 'shadows'));
  }
  if (state === 'shadows' || state === 'copying') {
    await copyAll(db, plan, progress, {
      chunkRows: opts.chunkRows ?? DEFAULT_CHUNK,
      hook: opts.hook,
      onRows: (t, n, total) => report('copy', t, n, total),
    });
    await dropJoinIndexes(db, plan);
    await opts.hook('verify');
    report('verify', null, 0, 0);
    progress = { ...progress, checks: { verify: await verifyShadows(db, plan) } };
    await setState(db, plan, (state = 'verified'), { progress });
  }
  if (opts.dryRun) return { state, checks: progress.checks ?? {} };
  if (state === 'verified' && (await isSwapped(db, plan))) await setState(db, plan, (state = 'swapped'));
  if (state === 'verified') {
    await checkNoRunningJobs(db, plan);
    // taken before the RENAME: a write to a new table after the swap is never older than it
    progress = { ...progress, swapStamp: await serverClock(db) };
    await setState(db, plan, state, { progress });
    await opts.hook('swap');
    report('swap', null, 0, 0);
    await swapTables(db, plan);
    await opts.hook('renamed');
    await setState(db, plan, (state = 'swapped'));
  }
  if (state === 'swapped') {
    // the kept-old tables are hidden now and nothing writes them; without blockers a rollback is one RENAME
    await unblockWrites(db, plan);
    progress = { ...progress, unblocked: true };
    await opts.hook('post');
    const checked = await afterSwap(db, plan, progress, db);
    // the job records move in the transaction that marks the journal `done`: a rollback maps them
    // back exactly when the journal says they moved
    progress = await db.transaction(async (tx) => {
      const moved = await moveJobRecords(tx, plan, checked);
      await setState(tx, plan, (state = 'done'), { progress: moved, error: null });
      return moved;
    });
  }
  report('done', null, 0, 0);
  return { state, checks: progress.checks ?? {} };
}

/** FK proof, 2.x lineage and queues, counts for the rollback check. */
async function afterSwap(db: DbDriver, plan: MigrationPlan, progress: Progress, s: DbSession): Promise<Progress> {
  const foreignKeys = await proveForeignKeys(db, plan, s === db ? undefined : s);
  await foreignKeyCheck(s, plan);
  const kept = await keepOldLineage(s, plan, progress);
  const lineage = await rewriteLineage(s, plan);
  const queues = await rewriteQueues(s, plan);
  const swappedCounts = verifiedCounts(progress) ?? (await finalCounts(s, plan));
  return { ...kept, checks: { ...progress.checks, foreignKeys, lineage, queues }, swappedCounts };
}

/** Job records to the new tables and keys; their counts join the checks. */
async function moveJobRecords(s: DbSession, plan: MigrationPlan, progress: Progress): Promise<Progress> {
  const jobs = await rewriteJobRecords(s, plan, 'forward');
  return { ...progress, checks: { ...progress.checks, jobs } };
}

/**
 * The new tables' row counts as verification found them in the shadows (nothing writes a hidden
 * shadow, and the sources are blocked), so no second scan after the swap; null if not recorded.
 */
function verifiedCounts(progress: Progress): Record<string, number> | null {
  const verify = progress.checks?.verify as VerifyReport | undefined;
  if (!verify?.tables) return null;
  return Object.fromEntries(Object.entries(verify.tables).map(([label, v]) => [label, v.copied]));
}

/** The engine's own after-the-fact FK check where it has one (SQLite: PRAGMA foreign_key_check). */
async function foreignKeyCheck(s: DbSession, plan: MigrationPlan): Promise<void> {
  for (const t of plan.tables) {
    const name = `${t.target.schema}.${t.target.tableName}`;
    const sql = s.dialect.catalog.foreignKeyCheck(t.target.schema, t.target.tableName);
    if (!sql) continue;
    const bad = await s.query(sql);
    if (bad.length)
      throw appError(
        'INTERNAL',
        `Migration ${plan.id}: ${name} has ${bad.length} rows without a parent after the swap.`,
        { details: { table: name } },
      );
  }
}

class DryRunDone extends Error {
  constructor(readonly checks: Record<string, unknown>) {
    super('dry run');
  }
}

async function runInOneTransaction(db: DbDriver, plan: MigrationPlan, opts: Opts): Promise<RunResult> {
  const report = opts.onProgress ?? (() => {});
  const { progress: stored } = await reload(db, plan);
  try {
    return await db.transaction(async (tx) => {
      const progress: Progress = { ...stored, copy: {} };
      await opts.hook('preflight');
      await checkNoRunningJobs(tx, plan);
      await opts.hook('shadows');
      await createShadows(tx, plan);
      await copyAll(db, plan, progress, {
        chunkRows: opts.chunkRows ?? DEFAULT_CHUNK,
        hook: opts.hook,
        onRows: (t, n, total) => report('copy', t, n, total),
        inTransaction: tx,
      });
      await dropJoinIndexes(tx, plan);
      await opts.hook('verify');
      const checks: Record<string, unknown> = { verify: await verifyShadows(tx, plan) };
      if (opts.dryRun) throw new DryRunDone(checks);
      await opts.hook('swap');
      await swapTables(tx, plan);
      await opts.hook('renamed');
      await opts.hook('post');
      const after = await moveJobRecords(tx, plan, await afterSwap(db, plan, { ...progress, checks }, tx));
      await setState(tx, plan, 'done', { progress: after, error: null });
      report('done', null, 0, 0);
      return { state: 'done' as const, checks: after.checks ?? {} };
    });
  } catch (e) {
    const done = e instanceof DryRunDone ? e : (e as { cause?: unknown }).cause;
    if (done instanceof DryRunDone) return { state: 'verified', checks: done.checks };
    throw e;
  }
}

/** Calls the test hook, and kills the process at `JOINERY_MIGRATE_KILL_AT` (crash tests). */
export function stepHook(hook: StepHook | undefined): StepHook {
  const killAt = process.env.JOINERY_MIGRATE_KILL_AT;
  return async (step) => {
    if (killAt && (step === killAt || step.startsWith(`${killAt}:`))) process.kill(process.pid, 'SIGKILL');
    await hook?.(step);
  };
}

export { unblockWrites };
