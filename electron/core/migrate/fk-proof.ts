import { appError, isAppError } from '../../../shared/errors';
import type { MigrationPlan } from '../../../shared/migrate';
import type { DbDriver, DbSession } from '../db/driver';

/**
 * After the swap, proof that the new foreign keys enforce: for one row of every new table with
 * a parent, an UPDATE that points it at a parent that does not exist must be rejected by the
 * server (rolled back either way). On MySQL the constraints must also name the final tables,
 * never a hidden shadow or kept-old one (MariaDB can leave FKs on a renamed parent, §1.3).
 */

class Rejected extends Error {}
class Accepted extends Error {}

/** Per table: `rejected orphan`, `no rows`, or why no probe was possible. Throws if an orphan got in. */
export async function proveForeignKeys(
  db: DbDriver,
  plan: MigrationPlan,
  tx?: DbSession,
): Promise<Record<string, string>> {
  const s = tx ?? db;
  await checkConstraintTargets(s, plan);
  const out: Record<string, string> = {};
  for (const t of plan.tables) {
    const label = `${t.target.schema}.${t.target.tableName}`;
    const fk = t.target.foreignKeys.find((f) => f.kind === 'parent');
    if (!fk) continue;
    const d = s.dialect;
    const table = d.qualify(t.target.schema, t.target.tableName);
    // a row whose FK columns are all set: with one NULL among them the server checks nothing (MATCH SIMPLE)
    const notNull = fk.columns.map((c) => `${d.quoteIdent(c)} IS NOT NULL`).join(' AND ');
    const keyCols = t.target.primaryKey.map((k) => d.quoteIdent(k)).join(', ');
    const row = (await s.query(`SELECT ${keyCols} FROM ${table} WHERE ${notNull} LIMIT 1`))[0];
    if (!row) {
      out[label] = 'no rows with a parent';
      continue;
    }
    // probe an integer column where there is one (any value above the parent's largest is an orphan)
    const at = Math.max(
      0,
      fk.columns.findIndex((c) => t.target.columns.find((x) => x.name === c)?.type.kind === 'integer'),
    );
    const col = t.target.columns.find((c) => c.name === fk.columns[at])!;
    const bogus = await bogusValue(s, col.type.kind, fk.refSchema, fk.refTable, fk.refColumns[at]!);
    if (bogus === undefined) {
      out[label] = `not probed (${col.type.kind} key)`;
      continue;
    }
    const where = t.target.primaryKey.map((k) => `${d.quoteIdent(k)} = ?`).join(' AND ');
    const sql = `UPDATE ${table} SET ${d.quoteIdent(col.name)} = ? WHERE ${where}`;
    const outcome = await tryUpdate(db, sql, [bogus, ...t.target.primaryKey.map((k) => row[k])]);
    if (outcome instanceof Accepted)
      throw appError(
        'INTERNAL',
        `Migration ${plan.id}: ${label} accepted a row without a parent in ${fk.refSchema}.${fk.refTable}.`,
        {
          details: { table: label },
          hint: `Roll it back: joinery migrate rollback --id ${plan.id}`,
        },
      );
    out[label] =
      outcome instanceof Rejected ? 'rejected orphan' : `not probed (${(outcome as Error).message.slice(0, 80)})`;
  }
  return out;
}

/** Runs the probe in a transaction that is always rolled back: Rejected, Accepted, or another error. */
async function tryUpdate(db: DbDriver, sql: string, params: unknown[]): Promise<unknown> {
  return db
    .transaction(async (inner) => {
      try {
        await inner.execute(sql, params);
      } catch (e) {
        if (isForeignKeyError(e)) throw new Rejected();
        throw e;
      }
      throw new Accepted();
    })
    .catch((e: unknown) => {
      // the SQLite driver wraps what a transaction throws; the sentinel is its cause
      const cause = (e as { cause?: unknown }).cause;
      return cause instanceof Rejected || cause instanceof Accepted ? cause : e;
    });
}

async function bogusValue(
  db: DbSession,
  kind: string,
  schema: string,
  table: string,
  column: string,
): Promise<unknown> {
  if (kind === 'char') return '~~';
  if (kind !== 'integer') return undefined;
  const r = await db.query<{ m: unknown }>(
    `SELECT MAX(${db.dialect.quoteIdent(column)}) AS m FROM ${db.dialect.qualify(schema, table)}`,
  );
  return Number(r[0]?.m ?? 0) + 1;
}

function isForeignKeyError(e: unknown): boolean {
  const text = `${isAppError(e) ? JSON.stringify(e.details ?? {}) : ''} ${(e as Error).message}`;
  return /foreign key|REFERENCED_ROW|FOREIGNKEY|1452/i.test(text);
}

/** Every FK of the new tables names a final table, not a hidden one. */
async function checkConstraintTargets(db: DbSession, plan: MigrationPlan): Promise<void> {
  for (const t of plan.tables) {
    const q = db.dialect.catalog.foreignKeyTargets(t.target.schema, t.target.tableName);
    if (!q) return;
    const rows = await db.query<{ r: string; n: string }>(q.sql, q.params);
    const bad = rows.find((r) => r.r.startsWith(`~${plan.id}`) || r.n.startsWith(`~${plan.id}`));
    if (bad)
      throw appError(
        'INTERNAL',
        `Migration ${plan.id}: ${t.target.schema}.${t.target.tableName}'s foreign key ${bad.n} references ${bad.r}.`,
        {
          details: { table: t.target.tableName },
        },
      );
  }
}
