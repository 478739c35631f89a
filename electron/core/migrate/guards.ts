import { appError } from '../../../shared/errors';
import { triggerName, type MigrationPlan } from '../../../shared/migrate';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbDriver, DbSession } from '../db/driver';
import { LEASE_TABLE, OLD_LEASE_TABLE } from '../jobs/job-tables';
import { checkV2Queues } from './guard-queues';

/**
 * What must hold before and during a migration: no job of an affected table is reserved or
 * running (its worker would write into a table that is about to be replaced), and nobody writes
 * to the affected tables while they are copied. Writes are REFUSED, not replayed: on MySQL,
 * triggers on every source table reject INSERT/UPDATE/DELETE with a message naming the
 * migration; they stay on the kept-old tables, so the rollback copy stays exact. On SQLite the
 * whole migration is one write transaction, so other writers wait for it (and time out).
 */

/** Throws CONFLICT naming the job when an affected table has a reserved or running job. */
export async function checkNoRunningJobs(db: DbSession, plan: MigrationPlan): Promise<void> {
  for (const t of plan.tables) {
    if (!t.replaces) continue;
    const { schema, tableName } = t.replaces;
    const hidden = await hiddenTables(db, schema);
    const label = `${schema}.${tableName}`;
    if (hidden.has('~jobs')) {
      const rows = await db.query<{ key_hash: string; user: string; host: string }>(
        `SELECT key_hash, user, host FROM ${db.dialect.qualify(schema, '~jobs')} WHERE table_name = ? AND status = 'reserved'`,
        [tableName],
      );
      if (rows[0])
        throw jobConflict(
          label,
          `job ${rows[0].key_hash} is reserved by ${rows[0].user || rows[0].host || 'a worker'}`,
          rows.length,
        );
    }
    for (const lease of [LEASE_TABLE, OLD_LEASE_TABLE]) {
      if (!hidden.has(lease)) continue;
      const rows = await db.query<{ key_hash: string; worker: string }>(
        `SELECT key_hash, worker FROM ${db.dialect.qualify(schema, lease)} WHERE table_name = ? AND state IN ('running', 'cancel')`,
        [tableName],
      );
      if (rows[0])
        throw jobConflict(label, `job ${rows[0].key_hash} is running on ${rows[0].worker || 'a worker'}`, rows.length);
    }
  }
  await checkV2Queues(db, plan);
}

function jobConflict(table: string, what: string, count: number) {
  return appError(
    'CONFLICT',
    `${table} is being populated: ${what}${count > 1 ? ` (and ${count - 1} more)` : ''}. Nothing was changed.`,
    {
      details: { table },
      hint: 'Let the jobs finish or stop them (joinery jobs), then migrate.',
    },
  );
}

/** Message of the write blockers (MySQL limits SIGNAL texts to 128 characters). */
function refusal(plan: MigrationPlan, table: string): string {
  return `Joinery migration ${plan.id} is changing ${table}: writes are refused until it ends`.slice(0, 128);
}

/** Installs the write blockers on every replaced table (none where the migration is one transaction); idempotent. */
export async function blockWrites(db: DbDriver, plan: MigrationPlan): Promise<void> {
  await unblockWrites(db, plan);
  for (const [i, t] of plan.tables.entries()) {
    if (!t.replaces) continue;
    const message = refusal(plan, `${t.replaces.schema}.${t.replaces.tableName}`);
    const name = triggerName(plan.id, i);
    for (const sql of db.dialect.ddl.blockWrites(t.replaces.schema, t.replaces.tableName, name, message))
      await db.execute(sql);
  }
}

/** Removes the write blockers (they follow the tables through RENAME, so the schema is enough). */
export async function unblockWrites(db: DbDriver, plan: MigrationPlan): Promise<void> {
  for (const [i, t] of plan.tables.entries()) {
    if (!t.replaces) continue;
    for (const sql of db.dialect.ddl.unblockWrites(t.replaces.schema, triggerName(plan.id, i))) await db.execute(sql);
  }
}
