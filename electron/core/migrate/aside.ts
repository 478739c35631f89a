import { shadowsChildrenFirst } from '../../../shared/migrate';
import { dropTablesSql } from '../../../shared/sql/ddl/migration';
import type { DbDriver, DbSession } from '../db/driver';
import type { StepHook } from './copy';
import { listEntries, reload, setState, type JournalEntry } from './journal';

/**
 * The tables a rollback set aside: the new tables after a reverse RENAME (or a stopped run's
 * shadows) keep their hidden shadow names (`~<id>n_<table>`, invisible to DataJoint and to
 * Joinery's lists like the kept-old tables) and the journal marks the migration `aside`. They are
 * dropped here: right after the rollback by the service, at the start of the next migration, or
 * by `discard` of the rolled-back migration. Each DROP is `IF EXISTS` and the mark is cleared
 * only after the last one, so a crash at any point leaves work that the next call finishes.
 */

/** Drops the set-aside tables of one rolled-back migration and clears its mark. */
export async function dropAside(db: DbDriver, entry: JournalEntry, hook: StepHook = () => {}): Promise<void> {
  const { plan } = entry;
  const drops = dropTablesSql(db.dialect.name, shadowsChildrenFirst(plan.tables));
  const work = async (s: DbSession) => {
    for (const [i, d] of drops.entries()) {
      await hook(`cleanup:${i}`);
      await s.execute(d.sql, d.params);
    }
    // read again: the progress may have moved since `entry` was read (another cleanup)
    const { progress } = await reload(s, plan);
    await setState(s, plan, 'rolled_back', { progress: { ...progress, aside: false } });
  };
  if (db.dialect.capabilities.transactionalDdl) await db.transaction(work);
  else await work(db);
}

/**
 * Drops what the given migrations (or every rolled-back migration of the database that shares a
 * schema with `schemas`) still keep aside; returns their ids. Scoped to schemas so that one
 * user's next migration does not reach into other schemas of a shared server.
 */
export async function dropAllAside(
  db: DbDriver,
  which: readonly JournalEntry[] | { schemas: readonly string[] },
  hook?: StepHook,
): Promise<string[]> {
  const entries = Array.isArray(which) ? which : await entriesIn(db, (which as { schemas: readonly string[] }).schemas);
  const pending = entries.filter((e) => e.state === 'rolled_back' && e.progress.aside);
  for (const e of pending) await dropAside(db, e, hook);
  return pending.map((e) => e.id);
}

async function entriesIn(db: DbDriver, schemas: readonly string[]): Promise<JournalEntry[]> {
  const wanted = new Set(schemas);
  return (await listEntries(db)).filter((e) =>
    e.plan.tables.some((t) => wanted.has(t.target.schema) || (t.replaces && wanted.has(t.replaces.schema))),
  );
}
