import type { DeclareResult, DeclareTable } from '../../../shared/api/schemas/schema';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { Conventions } from '../../../shared/model/conventions';
import { planDeclare } from '../../../shared/model/declare-plan';
import { createExternalTableDdl, createSchemaDdl, createTableDdl } from '../../../shared/sql/ddl';
import { listSchemas } from '../db/catalog/read-catalog';
import type { DbDriver, DbSession } from '../db/driver';
import { NO_STORES, type StoreLookup } from '../data/external-read';
import { checkCodecStores, conventionsBySchema, type DeclareStep, lineageSteps } from './declare-conventions';

/** Options of {@link declareTables}. */
export interface DeclareOptions {
  /** The user's choice for new (or still empty) schemas; existing ones keep theirs. */
  conventions?: Conventions;
  /** Conventions of new schemas when the user names none (the database's; 2.x when not given). */
  newSchemaConventions?: () => Promise<Conventions>;
  /** 2.x: give Imported and Computed tables the hidden `_job_*` metadata columns. */
  jobMetadata?: boolean;
  /** Where stores are configured; 2.x codecs naming a store not configured here are refused. */
  stores?: StoreLookup;
}

/**
 * Declares a file of tables, all or nothing. Everything is parsed and resolved before the first
 * statement. SQLite runs the whole declaration in one transaction; MySQL commits every DDL
 * statement, so on failure the tables and schemas made so far are dropped again, newest first.
 * In a DataJoint 2.x schema each table's `~lineage` rows are written with it.
 */
export async function declareTables(
  db: DbDriver,
  inputs: readonly DeclareTable[],
  existing: readonly TableInfo[],
  adapters: Record<string, string>,
  options: DeclareOptions = {},
): Promise<DeclareResult & { conventions: Record<string, Conventions> }> {
  const schemasBefore = new Set(await listSchemas(db));
  const conventions = await conventionsBySchema(
    db,
    inputs,
    schemasBefore,
    options.conventions,
    options.newSchemaConventions,
  );
  const plan = planDeclare(inputs, existing, adapters, {
    conventionsOf: (s) => conventions.get(s) ?? '0.14',
    jobMetadata: options.jobMetadata,
  });
  checkCodecStores(plan.tables, options.stores ?? NO_STORES);
  const hiddenBefore = new Set(
    await hiddenTables(
      db,
      [...conventions.keys()].filter((s) => schemasBefore.has(s)),
    ),
  );
  const schemasCreated = [...new Set(inputs.map((t) => t.schema))].filter((s) => !schemasBefore.has(s));
  const steps: DeclareStep[] = [];
  const dialect = db.dialect;
  const drop = (schema: string, table: string) => ({
    sql: `DROP TABLE IF EXISTS ${dialect.qualify(schema, table)}`,
    params: [],
  });
  for (const s of schemasCreated) {
    const undo = dialect.ddl.dropSchema(s);
    steps.push({ sql: createSchemaDdl(dialect, s), undo: undo ? { sql: undo, params: [] } : undefined });
  }
  const lineage = lineageSteps(db, plan.tables, existing, hiddenBefore);
  steps.push(...lineage.create);
  const stores = new Set<string>();
  for (const t of plan.tables) {
    for (const store of t.stores) {
      const key = `${t.schema}.~external_${store}`;
      if (stores.has(key) || hiddenBefore.has(key)) continue;
      stores.add(key);
      steps.push({ sql: createExternalTableDdl(dialect, t.schema, store), undo: drop(t.schema, `~external_${store}`) });
    }
    steps.push({ sql: createTableDdl(dialect, t), undo: drop(t.schema, t.tableName) });
    const rows = lineage.rows.get(`${t.schema}.${t.tableName}`);
    if (rows) steps.push(rows);
  }
  const run = async (session: DbSession, step: DeclareStep) => {
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
    conventions: Object.fromEntries(conventions),
  };
}

async function runWithCompensation(
  db: DbDriver,
  steps: DeclareStep[],
  run: (s: DbSession, step: DeclareStep) => Promise<void>,
): Promise<void> {
  const done: DeclareStep[] = [];
  try {
    for (const step of steps) {
      await run(db, step);
      done.push(step);
    }
  } catch (e) {
    for (const step of done.reverse()) if (step.undo) await db.execute(step.undo.sql, step.undo.params).catch(() => {});
    throw e;
  }
}

async function hiddenTables(db: DbDriver, schemas: string[]): Promise<string[]> {
  if (schemas.length === 0) return [];
  const { sql, params } = db.dialect.catalog.hiddenTables(schemas);
  const rows = await db.query<{ name: string }>(sql, params);
  return rows.map((r) => r.name);
}
