import { type MigrationPlan, rollbackMoves, shadowsChildrenFirst, swapMoves } from '../../../shared/migrate';
import { createTableDdl } from '../../../shared/sql/ddl';
import { dropTablesSql, renameTablesSql } from '../../../shared/sql/ddl/migration';
import type { DbSession } from '../db/driver';

/**
 * The DDL of a migration: create the shadows (dropping a crashed run's leftovers first), swap,
 * swap back, drop. MySQL runs the swap as one atomic RENAME TABLE; on SQLite these run inside
 * the migration's one transaction.
 */

async function run(db: DbSession, statements: ReadonlyArray<{ sql: string; params: readonly unknown[] }>) {
  for (const s of statements) await db.execute(s.sql, s.params);
}

/** Drops leftover shadows, then creates every shadow, parents first. */
export async function createShadows(db: DbSession, plan: MigrationPlan): Promise<void> {
  await dropShadows(db, plan);
  for (const t of plan.tables) await run(db, createTableDdl(db.dialect.name, t.shadow, { ifNotExists: false }));
}

/** Drops the shadows (children first). */
export async function dropShadows(db: DbSession, plan: MigrationPlan): Promise<void> {
  await run(db, dropTablesSql(db.dialect.name, shadowsChildrenFirst(plan.tables)));
}

/** Old tables to hidden names, shadows to final names. */
export async function swapTables(db: DbSession, plan: MigrationPlan): Promise<void> {
  await run(db, renameTablesSql(db.dialect.name, swapMoves(plan.tables)));
}

/** New tables back to shadow names, old tables back home. */
export async function swapBack(db: DbSession, plan: MigrationPlan): Promise<void> {
  await run(db, renameTablesSql(db.dialect.name, rollbackMoves(plan.tables)));
}

/** True when the swap has happened: the first table's shadow (a hidden name) no longer exists. */
export async function isSwapped(db: DbSession, plan: MigrationPlan): Promise<boolean> {
  const shadow = plan.tables[0]!.shadow;
  const q = db.dialect.catalog.hiddenTables([shadow.schema]);
  const names = (await db.query<{ name: string }>(q.sql, q.params)).map((r) => r.name);
  return !names.includes(`${shadow.schema}.${shadow.tableName}`);
}

/** Row counts of the final tables (those `wanted` says, default all). */
export async function finalCounts(
  db: DbSession,
  plan: MigrationPlan,
  wanted: (label: string) => boolean = () => true,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of plan.tables) {
    if (!wanted(`${t.target.schema}.${t.target.tableName}`)) continue;
    const r = await db.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ${db.dialect.qualify(t.target.schema, t.target.tableName)}`,
    );
    out[`${t.target.schema}.${t.target.tableName}`] = Number(r[0]!.n);
  }
  return out;
}

/** The server's clock as the dialect reads it, or undefined where tables keep no write time. */
export async function serverClock(db: DbSession): Promise<string | undefined> {
  const sql = db.dialect.catalog.serverClock;
  return sql ? String((await db.query<{ now: unknown }>(sql))[0]!.now) : undefined;
}

/** Final tables (`schema.table`) that provably had no committed write since `stamp`. */
export async function quietSince(db: DbSession, plan: MigrationPlan, stamp: string): Promise<Set<string>> {
  const out = new Set<string>();
  const bySchema = new Map<string, string[]>();
  for (const t of plan.tables)
    bySchema.set(t.target.schema, [...(bySchema.get(t.target.schema) ?? []), t.target.tableName]);
  for (const [schema, tables] of bySchema) {
    const q = db.dialect.catalog.quietTables(schema, tables, stamp);
    if (!q) continue;
    for (const r of await db.query<{ t: string }>(q.sql, q.params)) out.add(`${schema}.${r.t}`);
  }
  return out;
}

/** Exact row counts of tables, keyed `schema.table`. */
export async function countRows(
  db: DbSession,
  tables: ReadonlyArray<{ schema: string; tableName: string }>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of tables) {
    const r = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${db.dialect.qualify(t.schema, t.tableName)}`);
    out.set(`${t.schema}.${t.tableName}`, Number(r[0]!.n));
  }
  return out;
}
