import { type MigrationPlan, oldName, type PlanTable } from '../../../shared/migrate';
import { toTableInfo } from '../../../shared/model/table-info';
import { createTableDdl } from '../../../shared/sql/ddl';
import { dropTablesSql, renameTablesSql } from '../../../shared/sql/ddl/migration';
import { readCatalog } from '../db/catalog/read-catalog';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbDriver, DbSession, Row } from '../db/driver';
import { forgetQueueTables, queueKeyAttributes, queueTable } from '../jobs/queue/datajoint2-queue-table';
import { V2_QUEUE_COLUMNS, v2QueueName } from '../jobs/queue/datajoint2-read';
import { mapKey } from './rewrite-jobs';

/**
 * DataJoint 2.x's per-table job queues (`~~<table>`) after the swap. A queue is named after its
 * table and keyed by the table's foreign-key-derived key in columns of its own, so a migration
 * that changes the key or the name rebuilds it, as the tables are rebuilt: the old queue is
 * renamed to a hidden kept name, a queue of the new shape is declared (as 2.x declares it) and
 * every row is copied with its key mapped the way the table's rows were (carried values,
 * literals, values looked up in the new parent); a row whose key cannot be mapped is dropped
 * and counted. A rollback drops the new queue and renames the kept one back; discarding drops
 * the kept one. Reserved rows never get here (guard-queues.ts refuses the migration).
 */

/** Counts of the rebuild. */
export interface QueueReport {
  rebuilt: string[];
  rows: number;
  dropped: number;
}

/** Tables of the plan whose queue would no longer fit: key or name changed. */
function staleQueueTables(plan: MigrationPlan): PlanTable[] {
  return plan.tables.filter(
    (t) =>
      t.replaces !== null &&
      t.target.conventions === '2' &&
      (t.keyChanged ||
        t.replaces.schema !== t.target.schema ||
        v2QueueName(t.replaces.tableName) !== v2QueueName(t.target.tableName)),
  );
}

/** Where a stale queue is, where its rebuild goes, and the hidden name the old one keeps. */
function queueNames(plan: MigrationPlan, t: PlanTable) {
  const old = v2QueueName(t.replaces!.tableName);
  return {
    schema: t.replaces!.schema,
    old,
    kept: oldName(plan.id, old),
    newSchema: t.target.schema,
    fresh: v2QueueName(t.target.tableName),
  };
}

async function run(db: DbSession, statements: ReadonlyArray<{ sql: string; params: readonly unknown[] }>) {
  for (const s of statements) await db.execute(s.sql, s.params);
}

/** After the swap: rebuilds every stale queue (idempotent: a resumed step starts again from the kept queue). */
export async function rewriteQueues(db: DbSession, plan: MigrationPlan): Promise<QueueReport> {
  const report: QueueReport = { rebuilt: [], rows: 0, dropped: 0 };
  const stale = staleQueueTables(plan);
  if (stale.length === 0) return report;
  let infos: ReturnType<typeof toTableInfo>[] | null = null;
  for (const t of stale) {
    const n = queueNames(plan, t);
    const hidden = await hiddenTables(db, n.schema);
    if (!hidden.has(n.kept)) {
      if (!hidden.has(n.old)) continue; // the table never had a queue
      await run(
        db,
        renameTablesSql(db.dialect.name, [{ schema: n.schema, from: n.old, toSchema: n.schema, to: n.kept }]),
      );
    }
    if (!infos) {
      const catalog = await readCatalog(db as DbDriver, [...new Set(stale.map((x) => x.target.schema))], {
        rowCounts: false,
      });
      infos = catalog.schemas.flatMap((s) => s.tables.map((x) => toTableInfo(x, s.conventions)));
    }
    const info = infos.find((x) => x.schema === t.target.schema && x.table_name === t.target.tableName)!;
    await run(db, dropTablesSql(db.dialect.name, [{ schema: n.newSchema, table: n.fresh }]));
    await run(db, createTableDdl(db.dialect, queueTable(info)));
    forgetQueueTables(db, n.newSchema);
    await copyRows(
      db,
      plan,
      t,
      n,
      queueKeyAttributes(info).map((a) => a.name),
      report,
    );
    report.rebuilt.push(`${n.newSchema}.${n.fresh}`);
  }
  return report;
}

async function copyRows(
  db: DbSession,
  plan: MigrationPlan,
  t: PlanTable,
  n: ReturnType<typeof queueNames>,
  newKey: string[],
  report: QueueReport,
): Promise<void> {
  const own = new Set<string>(V2_QUEUE_COLUMNS);
  // mapKey maps the key it is given: here the queue's key, not the whole primary key
  const keyed: PlanTable = { ...t, target: { ...t.target, primaryKey: newKey } };
  const rows = await db.query(`SELECT * FROM ${db.dialect.qualify(n.schema, n.kept)}`);
  for (const r of rows) {
    const oldKey: Row = Object.fromEntries(Object.entries(r).filter(([c]) => !own.has(c)));
    const key = await mapKey(db, plan, keyed, oldKey);
    if (!key) {
      report.dropped++;
      continue;
    }
    const values: Row = { ...key, ...Object.fromEntries(Object.entries(r).filter(([c]) => own.has(c))) };
    const cols = Object.keys(values);
    await db.execute(
      `INSERT INTO ${db.dialect.qualify(n.newSchema, n.fresh)} (${cols.map((c) => db.dialect.quoteIdent(c)).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => values[c]),
    );
    report.rows++;
  }
}

/** After a rollback's reverse swap: the rebuilt queues dropped, the kept ones back under their names. */
export async function restoreQueues(db: DbSession, plan: MigrationPlan): Promise<void> {
  for (const t of staleQueueTables(plan)) {
    const n = queueNames(plan, t);
    if (!(await hiddenTables(db, n.schema)).has(n.kept)) continue;
    await run(db, dropTablesSql(db.dialect.name, [{ schema: n.newSchema, table: n.fresh }]));
    await run(
      db,
      renameTablesSql(db.dialect.name, [{ schema: n.schema, from: n.kept, toSchema: n.schema, to: n.old }]),
    );
    forgetQueueTables(db, n.newSchema);
    forgetQueueTables(db, n.schema);
  }
}

/** Discarding a migration: the kept queues go with the kept tables. */
export async function discardQueues(db: DbSession, plan: MigrationPlan): Promise<void> {
  await run(
    db,
    dropTablesSql(
      db.dialect.name,
      staleQueueTables(plan).map((t) => ({ schema: t.replaces!.schema, table: queueNames(plan, t).kept })),
    ),
  );
}
