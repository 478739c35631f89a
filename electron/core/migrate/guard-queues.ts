import { appError } from '../../../shared/errors';
import type { MigrationPlan, PlanTable } from '../../../shared/migrate';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbSession } from '../db/driver';
import { v2QueueName } from '../jobs/queue/datajoint2-read';
import { forgetQueueTables } from '../jobs/queue/datajoint2-queue-table';

/**
 * DataJoint 2.x's per-table job queues (`~~<table>`) during a migration. A queue is keyed by its
 * table's key in columns of their own, named after the table: when a migration changes the key
 * or the name, the queue's shape is stale. A reserved row blocks the migration like a reserved
 * 0.14 job (its worker writes into a table about to be replaced). Other rows are not rewritten:
 * the queue would have to be rebuilt with new key columns, so a queue that still holds rows is
 * refused with what to do; an empty one is dropped after the swap, and 2.x (and Joinery's
 * workers) declare it again, with the new key, when the table is next populated.
 */

/** Tables of the plan whose queue would no longer fit: key or name changed. */
function staleQueueTables(plan: MigrationPlan): PlanTable[] {
  return plan.tables.filter(
    (t) =>
      t.replaces !== null &&
      (t.keyChanged ||
        t.replaces.schema !== t.target.schema ||
        v2QueueName(t.replaces.tableName) !== v2QueueName(t.target.tableName)),
  );
}

async function queueRows(db: DbSession, schema: string, queue: string) {
  const q = db.dialect.quoteIdent;
  return db.query<{ status: string; n: unknown; who: unknown }>(
    `SELECT ${q('status')} AS status, COUNT(*) AS n, MAX(${q('host')}) AS who FROM ${db.dialect.qualify(schema, queue)} GROUP BY ${q('status')}`,
  );
}

/** Throws CONFLICT when a `~~` queue of a replaced table has a reserved row, or rows a key or name change would strand. */
export async function checkV2Queues(db: DbSession, plan: MigrationPlan): Promise<void> {
  const stale = new Set(staleQueueTables(plan));
  for (const t of plan.tables) {
    if (!t.replaces) continue;
    const { schema, tableName } = t.replaces;
    const queue = v2QueueName(tableName);
    if (!(await hiddenTables(db, schema)).has(queue)) continue;
    const counts = await queueRows(db, schema, queue);
    const label = `${schema}.${tableName}`;
    const reserved = counts.find((c) => c.status === 'reserved');
    if (reserved)
      throw appError(
        'CONFLICT',
        `${label} is being populated: ${Number(reserved.n)} row(s) of its queue ${queue} are reserved${reserved.who ? ` (host ${String(reserved.who)})` : ''}. Nothing was changed.`,
        { details: { table: label, queue }, hint: 'Let the jobs finish or stop them (joinery jobs), then migrate.' },
      );
    const total = counts.reduce((n, c) => n + Number(c.n), 0);
    if (stale.has(t) && total > 0)
      throw appError(
        'CONFLICT',
        `${label}: its DataJoint 2 job queue ${queue} holds ${total} row(s) (${counts.map((c) => `${Number(c.n)} ${c.status}`).join(', ')}), keyed by the table's ${t.keyChanged ? 'old primary key' : 'old name'}; Joinery does not rewrite 2.x queue rows. Nothing was changed.`,
        {
          details: { table: label, queue },
          hint: `Delete the queue's rows (DataJoint 2: ${t.target.tableName}.jobs.delete(); Joinery: joinery jobs), migrate, then refresh the queue (populate re-creates pending rows for the new keys).`,
        },
      );
  }
}

/** After the swap: drops the (empty, checked before) queues whose key or name changed. */
export async function dropStaleQueues(db: DbSession, plan: MigrationPlan): Promise<string[]> {
  const dropped: string[] = [];
  for (const t of staleQueueTables(plan)) {
    const { schema, tableName } = t.replaces!;
    const queue = v2QueueName(tableName);
    if (!(await hiddenTables(db, schema)).has(queue)) continue;
    await db.execute(`DROP TABLE ${db.dialect.qualify(schema, queue)}`);
    // so this process's workers declare it again with the new key
    forgetQueueTables(db, schema);
    dropped.push(`${schema}.${queue}`);
  }
  return dropped;
}
