import { copySpec, type MigrationPlan } from '../../../shared/migrate';
import {
  chunkEndSql,
  copySql,
  createJoinIndexSql,
  dropJoinIndexSql,
  keyRangeSql,
} from '../../../shared/sql/ddl/migration';
import type { DbDriver, DbSession } from '../db/driver';
import { encodeJson, MIGRATION_TABLE, type Progress } from './journal';

/**
 * The chunked, parent-first copy into the shadows. Each chunk is a key range of the source
 * (keyset pagination, no OFFSET scans over copied rows) and commits together with the journal's
 * new position, so after a crash the copy resumes at the first chunk not committed.
 */

/** Hooks the executor calls between steps (tests inject failures here). */
export type StepHook = (step: string) => Promise<void> | void;

/** Progress callback: rows copied so far of a table. */
export type OnRows = (table: string, rows: number, total: number) => void;

/** Copies every table not marked done, in plan order. */
export async function copyAll(
  db: DbDriver,
  plan: MigrationPlan,
  progress: Progress,
  opts: { chunkRows: number; hook: StepHook; onRows: OnRows; inTransaction?: DbSession },
): Promise<void> {
  const session = opts.inTransaction ?? db;
  for (const [i, t] of plan.tables.entries()) {
    const pos = (progress.copy[i] ??= { after: null, rows: 0, done: false });
    if (!pos.done) await addJoinIndexes(session, plan, i);
    const label = `${t.target.schema}.${t.target.tableName}`;
    while (!pos.done) {
      await opts.hook(`copy:${i}`);
      const end = await chunkEnd(opts.inTransaction ?? db, plan, i, pos.after, opts.chunkRows);
      const range = keyRangeSql(db.dialect, t.sourceKey, pos.after, end);
      const insert = copySql(db.dialect, copySpec(plan.tables, i), range);
      const commit = async (tx: DbSession) => {
        const r = await tx.execute(insert.sql, insert.params);
        pos.rows += r.affectedRows;
        pos.after = end;
        pos.done = end === null;
        await tx.execute(
          `UPDATE ${tx.dialect.qualify(plan.homeSchema, MIGRATION_TABLE)} SET progress = ?, state = 'copying' WHERE id = ?`,
          [encodeJson(progress), plan.id],
        );
      };
      if (opts.inTransaction) await commit(opts.inTransaction);
      else await db.transaction(commit);
      opts.onRows(label, pos.rows, t.rows);
    }
  }
}

/**
 * Joining a shadow parent on old key columns that do not lead its new primary key (lab was put
 * before subject_id) would scan the parent for every row; a temporary index avoids that. It is
 * dropped before verification, so the swapped tables have exactly the planned indexes.
 */
async function addJoinIndexes(db: DbSession, plan: MigrationPlan, i: number): Promise<void> {
  for (const j of plan.tables[i]!.joins) {
    if (j.planIndex === null) continue;
    const parent = plan.tables[j.planIndex]!.shadow;
    const cols = j.on.map((o) => o.parentColumn);
    const leads = (key: readonly string[]) => cols.every((c, k) => key[k] === c);
    if (leads(parent.primaryKey) || parent.indexes.some((ix) => leads(ix.columns))) continue;
    const name = joinIndexName(plan, j.planIndex, cols);
    await db.execute(
      createJoinIndexSql(db.dialect.name, { schema: parent.schema, table: parent.tableName }, name, cols),
    );
  }
}

/** Drops every temporary join index of the plan (idempotent). */
export async function dropJoinIndexes(db: DbSession, plan: MigrationPlan): Promise<void> {
  for (const t of plan.tables)
    for (const j of t.joins) {
      if (j.planIndex === null) continue;
      const parent = plan.tables[j.planIndex]!.shadow;
      const name = joinIndexName(
        plan,
        j.planIndex,
        j.on.map((o) => o.parentColumn),
      );
      await db.execute(dropJoinIndexSql(db.dialect.name, { schema: parent.schema, table: parent.tableName }, name));
    }
}

function joinIndexName(plan: MigrationPlan, parent: number, cols: readonly string[]): string {
  return `~${plan.id}j${parent}_${cols.join('_')}`.slice(0, 64);
}

/** The last key of the next chunk, or null when the rest fits in one chunk. */
async function chunkEnd(
  db: DbSession,
  plan: MigrationPlan,
  i: number,
  after: unknown[] | null,
  chunkRows: number,
): Promise<unknown[] | null> {
  const t = plan.tables[i]!;
  const q = chunkEndSql(
    db.dialect,
    { schema: t.source.schema, table: t.source.tableName },
    t.sourceKey,
    after,
    chunkRows - 1,
  );
  const rows = await db.query(q.sql, q.params);
  if (!rows[0]) return null;
  return t.sourceKey.map((k) => rows[0]![k]);
}
