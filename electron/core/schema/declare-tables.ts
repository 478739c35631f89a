import type { DeclareResult, DeclareTable } from '../../../shared/api/schemas/schema';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { planDeclare } from '../../../shared/model/declare-plan';
import type { CompiledSql } from '../../../shared/sql/dialect';
import { createExternalTableDdl, createSchemaDdl, createTableDdl } from '../../../shared/sql/ddl';
import { listSchemas } from '../db/catalog/read-catalog';
import type { DbDriver, DbSession } from '../db/driver';

/**
 * Declares a file of tables, all or nothing. Everything is parsed and resolved before the first
 * statement. SQLite runs the whole declaration in one transaction; MySQL commits every DDL
 * statement, so on failure the tables and schemas made so far are dropped again, newest first.
 */
export async function declareTables(
  db: DbDriver,
  inputs: readonly DeclareTable[],
  existing: readonly TableInfo[],
  adapters: Record<string, string>,
): Promise<DeclareResult> {
  const plan = planDeclare(inputs, existing, adapters);
  const schemasBefore = new Set(await listSchemas(db));
  const hiddenBefore = new Set(await hiddenTables(db, [...new Set(plan.tables.map((t) => t.schema))]));
  const schemasCreated = [...new Set(inputs.map((t) => t.schema))].filter((s) => !schemasBefore.has(s));
  const steps: { sql: CompiledSql[]; undo?: string }[] = [];
  const dialect = db.dialect;
  for (const s of schemasCreated)
    steps.push({
      sql: createSchemaDdl(dialect, s),
      undo: dialect.ddl.dropSchema(s) ?? undefined,
    });
  const stores = new Set<string>();
  for (const t of plan.tables) {
    for (const store of t.stores) {
      const key = `${t.schema}.~external_${store}`;
      if (stores.has(key) || hiddenBefore.has(key)) continue;
      stores.add(key);
      steps.push({
        sql: createExternalTableDdl(dialect, t.schema, store),
        undo: `DROP TABLE IF EXISTS ${dialect.qualify(t.schema, `~external_${store}`)}`,
      });
    }
    steps.push({
      sql: createTableDdl(dialect, t),
      undo: `DROP TABLE IF EXISTS ${dialect.qualify(t.schema, t.tableName)}`,
    });
  }
  const run = async (session: DbSession, step: { sql: CompiledSql[] }) => {
    for (const s of step.sql) await session.execute(s.sql, s.params);
  };
  if (dialect.capabilities.transactionalDdl) {
    await db.transaction(async (tx) => {
      for (const step of steps) await run(tx, step);
    });
  } else {
    await runWithCompensation(db, steps, run);
  }
  return {
    declared: plan.tables.map((t) => `${t.schema}.${t.tableName}`),
    existing: plan.existing,
    differing: plan.differing,
    schemasCreated,
  };
}

async function runWithCompensation(
  db: DbDriver,
  steps: { sql: CompiledSql[]; undo?: string }[],
  run: (s: DbSession, step: { sql: CompiledSql[] }) => Promise<void>,
): Promise<void> {
  const done: typeof steps = [];
  try {
    for (const step of steps) {
      await run(db, step);
      done.push(step);
    }
  } catch (e) {
    for (const step of done.reverse()) if (step.undo) await db.execute(step.undo).catch(() => {});
    throw e;
  }
}

async function hiddenTables(db: DbDriver, schemas: string[]): Promise<string[]> {
  if (schemas.length === 0) return [];
  const { sql, params } = db.dialect.catalog.hiddenTables(schemas);
  const rows = await db.query<{ name: string }>(sql, params);
  return rows.map((r) => r.name);
}
