import type { MigrationState } from '../../../shared/api/schemas/migration';
import { appError } from '../../../shared/errors';
import { oldTablesChildrenFirst } from '../../../shared/migrate';
import { dropTablesSql } from '../../../shared/sql/ddl/migration';
import type { DbDriver, DbSession } from '../db/driver';
import type { StepHook } from './copy';
import { unblockWrites } from './guards';
import { setState, type JournalEntry } from './journal';
import { rewriteJobRecords } from './rewrite-jobs';
import { dropAside } from './aside';
import { restoreLineage } from './rewrite-lineage';
import { discardQueues, restoreQueues } from './rewrite-queues';
import { finalCounts, isSwapped, quietSince, swapBack } from './swap';

/**
 * Undoing a migration. Before the swap: drop the write blockers (the old tables were never
 * touched). After it: the reverse RENAME brings the kept-old tables back (their FKs among
 * themselves are intact) and the job records are mapped back. Either way the new tables (or a
 * stopped run's shadows) stay aside under their hidden shadow names, marked `aside` in the
 * journal, and are dropped later (aside.ts): dropping a million rows is most of a rollback's
 * time, and nothing needs them gone at once. Refused when rows were written to the new tables
 * since the swap, as those rows would be lost. Discarding drops the kept-old tables for good;
 * rollback is impossible afterwards.
 *
 * Crash safety (MySQL, where DDL commits on its own): the reverse RENAME is atomic, and the job
 * records move back in the same transaction that marks the journal `rolled_back`. A crash between
 * the two leaves the journal at `swapped`/`done` with the shadows back in place; running the
 * rollback again sees that and finishes the journal step. On SQLite it is all one transaction.
 */

/** Options of a rollback: a test hook between steps, and where its time goes. */
export interface RollbackOptions {
  hook?: StepHook;
  /** Filled with seconds per phase: `check`, `unblock`, `rename` (the reverse RENAME), `record`. */
  timing?: Record<string, number>;
}

// states in which the swap may have happened (`verified`: a crash right after the RENAME)
const MAYBE_SWAPPED: ReadonlySet<MigrationState> = new Set(['verified', 'swapped', 'done']);

/** Rolls back `entry`, whatever step it stopped at (or a rollback of it stopped at). */
export async function rollbackMigration(
  db: DbDriver,
  entry: JournalEntry,
  opts: RollbackOptions = {},
): Promise<MigrationState> {
  const { plan } = entry;
  if (entry.state === 'rolled_back' || entry.state === 'discarded')
    throw appError('CONFLICT', `Migration ${plan.id} is already ${entry.state.replace('_', ' ')}.`, {
      details: { id: plan.id },
    });
  const hook = opts.hook ?? (() => {});
  const time = timer(opts.timing);
  // a refusal here changes nothing, so it leaves no error in the journal
  const swapped = await time('check', async () => {
    const yes = MAYBE_SWAPPED.has(entry.state) && (await isSwapped(db, plan));
    if (yes) await checkUnchanged(db, entry);
    return yes;
  });
  try {
    // a finished migration dropped its blockers; one stopped earlier has them on the old tables
    if (!entry.progress.unblocked) await time('unblock', () => unblockWrites(db, plan));
    await hook('rollback:rename');
    // the swap happened (now, or before a rollback stopped after its RENAME): 2.x queues and lineage go back
    const wasSwapped = swapped || entry.state === 'swapped' || entry.state === 'done';
    const rename = async (s: DbSession) => {
      if (swapped) {
        await time('rename', () => swapBack(s, plan));
        await hook('rollback:renamed');
      }
      // DDL on MySQL: outside the journal's transaction (restoring is idempotent)
      if (wasSwapped) await restoreQueues(s, plan);
    };
    // job records were mapped forward only once the journal reached `done` (same transaction,
    // executor.ts); `swapped`/`done` but no longer swapped is a rollback stopped after its RENAME
    const record = (s: DbSession) =>
      time('record', async () => {
        if (entry.state === 'done') await rewriteJobRecords(s, plan, 'back');
        if (wasSwapped) await restoreLineage(s, plan, entry.progress);
        await setState(s, plan, 'rolled_back', { progress: { ...entry.progress, aside: true }, error: null });
      });
    if (db.dialect.capabilities.transactionalDdl)
      await db.transaction(async (tx) => {
        await rename(tx);
        await record(tx);
      });
    else {
      await rename(db);
      await db.transaction(record);
    }
  } catch (e) {
    // the journal keeps its state (the RENAME may have run): running the rollback again finishes it
    await setState(db, plan, entry.state, { error: `Rollback stopped: ${(e as Error).message}`.slice(0, 4000) }).catch(
      () => {},
    );
    throw e;
  }
  return 'rolled_back';
}

/** Runs a phase and adds its seconds to `timing` (when given). */
function timer(timing: Record<string, number> | undefined) {
  return async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t0 = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      if (timing) timing[phase] = (timing[phase] ?? 0) + Number(process.hrtime.bigint() - t0) / 1e9;
    }
  };
}

async function checkUnchanged(db: DbDriver, entry: JournalEntry): Promise<void> {
  const before = entry.progress.swappedCounts;
  if (!before) return;
  // only tables written since the swap need counting (where the engine keeps write times)
  const stamp = entry.progress.swapStamp;
  const quiet = stamp ? await quietSince(db, entry.plan, stamp) : new Set<string>();
  const now = await finalCounts(db, entry.plan, (label) => !quiet.has(label));
  const changed = Object.keys(before).find((t) => !quiet.has(t) && before[t] !== now[t]);
  if (changed)
    throw appError(
      'CONFLICT',
      `${changed} has ${now[changed]} rows now, ${before[changed]} right after migration ${entry.id}; a rollback would lose the difference.`,
      {
        details: { table: changed, id: entry.id },
        hint: 'Export or re-enter those rows after rolling back, or keep the migration.',
      },
    );
}

/**
 * Drops the kept-old tables of a finished migration; for a rolled-back one, drops the new tables
 * it keeps aside (see aside.ts), which is all there is left to discard.
 */
export async function discardMigration(db: DbDriver, entry: JournalEntry, hook?: StepHook): Promise<MigrationState> {
  if (entry.state === 'rolled_back' && entry.progress.aside) {
    await dropAside(db, entry, hook);
    return 'rolled_back';
  }
  if (entry.state !== 'done')
    throw appError(
      'CONFLICT',
      `Migration ${entry.id} is ${entry.state.replace('_', ' ')}; only a finished migration's old tables can be discarded.`,
      {
        details: { id: entry.id },
        hint:
          entry.state === 'rolled_back' || entry.state === 'discarded'
            ? undefined
            : 'Resume it (joinery migrate apply) or roll it back first.',
      },
    );
  const drops = dropTablesSql(db.dialect.name, oldTablesChildrenFirst(entry.plan.tables));
  const work = async (s: DbSession) => {
    for (const d of drops) await s.execute(d.sql, d.params);
    await discardQueues(s, entry.plan);
  };
  if (db.dialect.capabilities.transactionalDdl) await db.transaction(work);
  else await work(db);
  await unblockWrites(db, entry.plan);
  await setState(db, entry.plan, 'discarded');
  return 'discarded';
}
