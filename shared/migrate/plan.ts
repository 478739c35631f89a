import type { MigrationChange, MigrationRisk } from '../api/schemas/migration';
import type { TableInfo } from '../api/schemas/pipeline';
import { appError } from '../errors';
import type { Conventions } from '../model/conventions';
import { affectedTables } from './affected';
import { describeChanges } from './diff';
import { planTables } from './sources';
import { planSteps } from './steps';
import { resolveTargets } from './targets';
import type { MigrationPlan } from './types';

/** Options of {@link planMigration}. */
export interface PlanOptions {
  /** Migration id, used in every hidden name. */
  id: string;
  /** Adapted types' storage types, as for declaring. */
  adapters?: Readonly<Record<string, string>>;
  /** Whose conventions each schema follows (default 0.14): definitions are parsed and declared in them. */
  conventionsOf?: (schema: string) => Conventions;
}

/**
 * Old and new definitions -> the ordered plan: affected set (changed tables and all their
 * descendants, across schemas), each table's new heading and how its rows are filled, the
 * changes in words with risks, and the steps with their SQL for both engines. Pure; throws
 * VALIDATION or NOT_FOUND naming the table and attribute when the change cannot be planned.
 */
export function planMigration(
  changes: readonly MigrationChange[],
  catalog: readonly TableInfo[],
  opts: PlanOptions,
): MigrationPlan {
  const conventionsOf = opts.conventionsOf ?? (() => '0.14' as const);
  const entries = affectedTables(changes, catalog, conventionsOf);
  const targets = resolveTargets(entries, catalog, opts.adapters ?? {}, conventionsOf);
  checkNoCollisions(
    targets.map((t) => ({
      name: `${t.target.schema}.${t.target.tableName}`,
      replaces: t.entry.info?.full_name ?? null,
    })),
    catalog,
  );
  const tables = planTables(targets, catalog, opts.id);
  const tableChanges = describeChanges(tables, catalog);
  const risks: MigrationRisk[] = tableChanges.flatMap((c) => c.risks);
  return {
    id: opts.id,
    homeSchema: tables[0]!.target.schema,
    changes: [...changes],
    tables,
    view: {
      tables: tables.map((t) => ({
        source: t.replaces ? `${t.replaces.schema}.${t.replaces.tableName}` : null,
        target: `${t.target.schema}.${t.target.tableName}`,
        role: t.role,
        key_changed: t.keyChanged,
        rows: t.rows,
      })),
      changes: tableChanges,
      steps: planSteps(tables),
      lossy: risks.some((r) => r.kind === 'data_loss'),
      risks,
    },
  };
}

/** A renamed or split table may not land on a name another table already has. */
function checkNoCollisions(
  targets: Array<{ name: string; replaces: string | null }>,
  catalog: readonly TableInfo[],
): void {
  const replaced = new Set(targets.map((t) => t.replaces).filter((x): x is string => x !== null));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.name))
      throw appError('CONFLICT', `Two changes end up as the same table ${t.name}.`, { details: { table: t.name } });
    seen.add(t.name);
    if (t.name !== t.replaces && catalog.some((x) => x.full_name === t.name) && !replaced.has(t.name))
      throw appError('CONFLICT', `${t.name} already exists; the change would replace it.`, {
        details: { table: t.name },
        hint: 'Pick another class name or tier, or migrate that table too.',
      });
  }
}
