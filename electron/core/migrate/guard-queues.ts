import { appError } from '../../../shared/errors';
import type { MigrationPlan } from '../../../shared/migrate';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbSession } from '../db/driver';
import { v2QueueName } from '../jobs/queue/datajoint2-read';

/**
 * DataJoint 2.x's per-table job queues (`~~<table>`) before a migration: a reserved row blocks
 * it like a reserved 0.14 job (its worker would write into a table about to be replaced).
 */

/** Throws CONFLICT when a `~~` queue of a replaced table has a reserved row. */
export async function checkV2Queues(db: DbSession, plan: MigrationPlan): Promise<void> {
  for (const t of plan.tables) {
    if (!t.replaces) continue;
    const { schema, tableName } = t.replaces;
    const queue = v2QueueName(tableName);
    if (!(await hiddenTables(db, schema)).has(queue)) continue;
    const q = db.dialect.quoteIdent;
    const rows = await db.query<{ n: unknown; who: unknown }>(
      `SELECT COUNT(*) AS n, MAX(${q('host')}) AS who FROM ${db.dialect.qualify(schema, queue)} WHERE ${q('status')} = 'reserved'`,
    );
    const n = Number(rows[0]?.n ?? 0);
    if (n === 0) continue;
    const label = `${schema}.${tableName}`;
    throw appError(
      'CONFLICT',
      `${label} is being populated: ${n} row(s) of its queue ${queue} are reserved${rows[0]!.who ? ` (host ${String(rows[0]!.who)})` : ''}. Nothing was changed.`,
      { details: { table: label, queue }, hint: 'Let the jobs finish or stop them (joinery jobs), then migrate.' },
    );
  }
}
