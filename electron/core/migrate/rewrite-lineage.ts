import type { MigrationPlan } from '../../../shared/migrate';
import { LINEAGE_TABLE } from '../../../shared/model/definition';
import { knownLineageOf, lineageInsertSql, lineageRows, type LineageRow } from '../../../shared/model/lineage';
import { toTableInfo } from '../../../shared/model/table-info';
import { readCatalog } from '../db/catalog/read-catalog';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbDriver, DbSession } from '../db/driver';
import { setState, type Progress } from './journal';

/**
 * DataJoint 2.x's `~lineage` after a migration: the rows of every rebuilt table are replaced by
 * the rows declaring its new heading would write (shared/model/lineage.ts), so added key
 * attributes get their origin, inherited ones their parent's, dropped ones lose theirs and
 * renamed tables and attributes are renamed. The old rows are kept in the journal before the
 * first change, so a resumed step rewrites the same rows and a rollback puts them back.
 */

/** The journal's progress with the `~lineage` rows of the replaced tables as they were (schema -> rows). */
export type LineageProgress = Progress & { lineageBefore?: Record<string, LineageRow[]> };

/** Counts of the rewrite. */
export interface LineageReport {
  removed: number;
  written: number;
}

/** Schemas of the plan that keep a `~lineage` (2.x schemas). */
async function lineageSchemas(db: DbSession, plan: MigrationPlan): Promise<string[]> {
  const schemas = new Set(plan.tables.flatMap((t) => [t.target.schema, ...(t.replaces ? [t.replaces.schema] : [])]));
  const out: string[] = [];
  for (const s of schemas) if ((await hiddenTables(db, s)).has(LINEAGE_TABLE)) out.push(s);
  return out;
}

/** Table names of the plan in `schema` whose rows the rewrite replaces: the replaced and the final names. */
function namesIn(plan: MigrationPlan, schema: string): string[] {
  const names = new Set<string>();
  for (const t of plan.tables) {
    if (t.replaces?.schema === schema) names.add(t.replaces.tableName);
    if (t.target.schema === schema) names.add(t.target.tableName);
  }
  return [...names];
}

/** The `~lineage` rows of the replaced tables, before anything is rewritten. */
export async function readOldLineage(db: DbSession, plan: MigrationPlan): Promise<Record<string, LineageRow[]>> {
  const out: Record<string, LineageRow[]> = {};
  for (const schema of await lineageSchemas(db, plan)) {
    const replaced = plan.tables.flatMap((t) => (t.replaces?.schema === schema ? [t.replaces.tableName] : []));
    out[schema] = replaced.length ? await selectRows(db, schema, replaced) : [];
  }
  return out;
}

async function selectRows(db: DbSession, schema: string, tables: readonly string[]): Promise<LineageRow[]> {
  const q = db.dialect.quoteIdent;
  const rows = await db.query<LineageRow & Record<string, string>>(
    `SELECT ${q('table_name')} AS table_name, ${q('attribute_name')} AS attribute_name, ${q('lineage')} AS lineage FROM ${db.dialect.qualify(schema, LINEAGE_TABLE)} WHERE ${q('table_name')} IN (${tables.map(() => '?').join(', ')}) ORDER BY table_name, attribute_name`,
    [...tables],
  );
  return rows.map((r) => ({ table_name: r.table_name, attribute_name: r.attribute_name, lineage: r.lineage }));
}

/** The rows declaring the plan's new headings would write, per schema that keeps `~lineage`. */
async function newLineage(db: DbSession, plan: MigrationPlan, schemas: readonly string[]) {
  // parents outside the plan answer from their own `~lineage` (or are traced, as declaring does)
  const parentSchemas = new Set(plan.tables.flatMap((t) => t.target.foreignKeys.map((f) => f.refSchema)));
  const catalog = await readCatalog(db as DbDriver, [...parentSchemas], { rowCounts: false });
  const infos = catalog.schemas.flatMap((s) => s.tables.map((t) => toTableInfo(t, s.conventions)));
  const rows = lineageRows(
    plan.tables.map((t) => t.target),
    knownLineageOf(infos),
  );
  const out = new Map<string, LineageRow[]>(schemas.map((s) => [s, []]));
  for (const t of plan.tables)
    if (t.target.conventions === '2')
      out.get(t.target.schema)?.push(...(rows.get(`${t.target.schema}.${t.target.tableName}`) ?? []));
  return out;
}

/** Replaces the rows of `names` in a schema's `~lineage` by `rows`. */
async function replaceRows(
  db: DbSession,
  schema: string,
  names: readonly string[],
  rows: readonly LineageRow[],
  report: LineageReport,
): Promise<void> {
  const into = db.dialect.qualify(schema, LINEAGE_TABLE);
  if (names.length) {
    const r = await db.execute(
      `DELETE FROM ${into} WHERE ${db.dialect.quoteIdent('table_name')} IN (${names.map(() => '?').join(', ')})`,
      [...names],
    );
    report.removed += Number((r as { affectedRows?: number })?.affectedRows ?? 0);
  }
  if (rows.length) {
    const ins = lineageInsertSql(db.dialect, schema, rows);
    await db.execute(ins.sql, ins.params);
    report.written += rows.length;
  }
}

/** Runs `work` in a transaction of its own where `s` is the pool (inside one already otherwise). */
function inTransaction<T>(s: DbSession, work: (tx: DbSession) => Promise<T>): Promise<T> {
  const pool = s as Partial<DbDriver>;
  return typeof pool.transaction === 'function' ? pool.transaction(work) : work(s);
}

/** Records the old rows in the journal once, before the first rewrite (a resumed step finds them there). */
export async function keepOldLineage(s: DbSession, plan: MigrationPlan, progress: Progress): Promise<LineageProgress> {
  const current = progress as LineageProgress;
  if (current.lineageBefore) return current;
  const next: LineageProgress = { ...current, lineageBefore: await readOldLineage(s, plan) };
  if (Object.keys(next.lineageBefore!).length) await setState(s, plan, 'swapped', { progress: next });
  return next;
}

/** After the swap: the plan's tables get the rows of their new headings (idempotent, for resumes). */
export async function rewriteLineage(s: DbSession, plan: MigrationPlan): Promise<LineageReport> {
  const report: LineageReport = { removed: 0, written: 0 };
  const schemas = await lineageSchemas(s, plan);
  if (schemas.length === 0) return report;
  const rows = await newLineage(s, plan, schemas);
  await inTransaction(s, async (tx) => {
    for (const schema of schemas) await replaceRows(tx, schema, namesIn(plan, schema), rows.get(schema)!, report);
  });
  return report;
}

/** After a rollback's reverse swap: the rows the replaced tables had before the migration. */
export async function restoreLineage(s: DbSession, plan: MigrationPlan, progress: LineageProgress): Promise<void> {
  const before = progress.lineageBefore;
  if (!before) return; // the rewrite never started: `~lineage` is as it was
  const report: LineageReport = { removed: 0, written: 0 };
  await inTransaction(s, async (tx) => {
    for (const [schema, rows] of Object.entries(before))
      await replaceRows(tx, schema, namesIn(plan, schema), rows, report);
  });
}
