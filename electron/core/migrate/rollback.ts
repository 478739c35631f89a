import type { MigrationState } from '../../../shared/api/schemas/migration';
import { appError } from '../../../shared/errors';
import { oldTablesChildrenFirst } from '../../../shared/migrate';
import { dropTablesSql } from '../../../shared/sql/ddl/migration';
import type { DbDriver, DbSession } from '../db/driver';
import { unblockWrites } from './guards';
import { setState, type JournalEntry } from './journal';
import { rewriteJobRecords } from './rewrite-jobs';
import { restoreLineage } from './rewrite-lineage';
import { discardQueues, restoreQueues } from './rewrite-queues';
import { dropShadows, finalCounts, isSwapped, quietSince, swapBack } from './swap';

/**
 * Undoing a migration. Before the swap: drop the shadows and the write blockers (the old tables
 * were never touched). After it: the reverse RENAME brings the kept-old tables back (their FKs
 * among themselves are intact), the new tables are dropped and the job records are mapped back.
 * Refused when rows were written to the new tables since the swap, as those rows would be lost.
 * Discarding drops the kept-old tables for good; rollback is impossible afterwards.
 */

/** Rolls back `entry`, whatever step it stopped at. */
export async function rollbackMigration(
  db: DbDriver,
  entry: JournalEntry,
  timing: { swapBackSeconds?: number } = {},
): Promise<MigrationState> {
  const { plan } = entry;
  if (entry.state === 'rolled_back' || entry.state === 'discarded')
    throw appError('CONFLICT', `Migration ${plan.id} is already ${entry.state.replace('_', ' ')}.`, {
      details: { id: plan.id },
    });
  const swapped =
    (entry.state === 'swapped' || entry.state === 'done' || entry.state === 'verified') && (await isSwapped(db, plan));
  if (swapped) {
    await checkUnchanged(db, entry);
    // a finished migration dropped its blockers; one stopped earlier has them on the kept-old tables
    if (!entry.progress.unblocked) await unblockWrites(db, plan);
    const work = async (s: DbSession) => {
      const t0 = process.hrtime.bigint();
      await swapBack(s, plan);
      timing.swapBackSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      await dropShadows(s, plan);
      if (entry.state === 'done') await rewriteJobRecords(s, plan, 'back');
      await restoreLineage(s, plan, entry.progress);
      await restoreQueues(s, plan);
    };
    if (db.dialect.capabilities.transactionalDdl) await db.transaction(work);
    else await work(db);
  } else {
    await dropShadows(db, plan);
    await unblockWrites(db, plan);
  }
  await setState(db, plan, 'rolled_back', { error: null });
  return 'rolled_back';
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

/** Drops the kept-old tables of a finished migration. */
export async function discardMigration(db: DbDriver, entry: JournalEntry): Promise<MigrationState> {
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
