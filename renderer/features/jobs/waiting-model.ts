import type { JobPlan } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';

/** A Manual table whose missing rows hold back the jobs of an auto-populated child. */
export interface WaitingEdge {
  /** The Manual table (`schema.table_name`) and its class name. */
  manual: string;
  manualClass: string;
  /** The Imported/Computed table held back. */
  child: string;
  childClass: string;
  /** DataJoint query counting the keys of the child's other parents that lack a row in `manual`. */
  query: string;
}

const ref = (t: TableInfo) => `${t.schema}.${t.class_name}`;

/**
 * Where user input is needed: for every Imported/Computed table with a Manual primary parent and
 * other primary parents, the keys of the other parents that have no Manual row yet would each become
 * a job once the row is entered. (A Manual parent that is the only parent cannot be told apart:
 * its missing rows are not known anywhere.)
 */
export function waitingEdges(tables: readonly TableInfo[]): WaitingEdge[] {
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  const out: WaitingEdge[] = [];
  for (const child of tables) {
    if (child.tier !== 'Imported' && child.tier !== 'Computed') continue;
    const parents = child.foreign_keys
      .filter((fk) => fk.primary && !fk.aliased)
      .map((fk) => byName.get(fk.parent))
      .filter((p): p is TableInfo => p !== undefined);
    for (const m of parents) {
      if (m.tier !== 'Manual') continue;
      const others = parents.filter((p) => p !== m);
      if (others.length === 0) continue;
      out.push({
        manual: m.full_name,
        manualClass: m.class_name,
        child: child.full_name,
        childClass: child.class_name,
        query: `(${others.map(ref).join(' * ')}) - ${ref(m)}`,
      });
    }
  }
  return out;
}

/** A jobs plan as the diagram draws it: the staged table and every table with jobs, each labelled. */
export function planHighlight(plan: JobPlan): { keys: string[]; note: string; badges: Record<string, string> } {
  const s = plan.staged;
  const withJobs = plan.tables.filter((t) => t.jobs > 0);
  const total = withJobs.reduce((n, t) => n + t.jobs, 0);
  const badges: Record<string, string> = { [s.full_name]: `${s.keys} staged` };
  for (const t of withJobs) badges[t.full_name] = `+${t.jobs} ${t.jobs === 1 ? 'job' : 'jobs'}`;
  return {
    keys: [s.full_name, ...withJobs.map((t) => t.full_name)],
    note: `${s.keys} staged ${s.keys === 1 ? 'row' : 'rows'} of ${s.full_name} would start ${total} ${total === 1 ? 'job' : 'jobs'} in ${withJobs.length} ${withJobs.length === 1 ? 'table' : 'tables'}.`,
    badges,
  };
}
