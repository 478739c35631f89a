import type { TableInfo } from '../../../shared/api/schemas/pipeline';

/** The master's table name, whether `master` holds `schema.table` (DataJoint's form) or the bare name. */
function masterName(t: TableInfo): string | null {
  if (t.master === null) return null;
  const i = t.master.lastIndexOf('.');
  return i >= 0 && t.master.slice(0, i) === t.schema ? t.master.slice(i + 1) : t.master;
}

/**
 * Tables in the core's dependency order, except that each part table follows its master (as in
 * DataJoint's class bodies); parts whose master is missing keep their place.
 */
export function orderForDisplay(tables: readonly TableInfo[]): TableInfo[] {
  const names = new Set(tables.map((t) => t.table_name));
  const partsOf = new Map<string, TableInfo[]>();
  for (const t of tables) {
    const m = masterName(t);
    if (t.tier === 'Part' && m !== null && names.has(m)) partsOf.set(m, [...(partsOf.get(m) ?? []), t]);
  }
  const out: TableInfo[] = [];
  for (const t of tables) {
    const m = masterName(t);
    if (t.tier === 'Part' && m !== null && names.has(m)) continue;
    out.push(t, ...(partsOf.get(t.table_name) ?? []));
  }
  return out;
}
