import type { TableInfo } from '../api/schemas/pipeline';

/**
 * Tables sorted parents-first (a topological order of the foreign-key DAG), parts right after
 * their master as DataJoint's topo_sort keeps them; ties keep name order so output is stable.
 */
export function dependencyOrder(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  const sorted = [...tables].sort((a, b) => a.full_name.localeCompare(b.full_name));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const parts = new Map<string, TableInfo[]>();
  for (const t of sorted) if (t.master) parts.set(t.master, [...(parts.get(t.master) ?? []), t]);
  const out: TableInfo[] = [];
  const visit = (t: TableInfo) => {
    if (done.has(t.full_name) || visiting.has(t.full_name)) return;
    visiting.add(t.full_name);
    for (const fk of t.foreign_keys) {
      const parent = byName.get(fk.parent);
      if (parent) visit(parent);
    }
    const master = t.master ? byName.get(t.master) : undefined;
    if (master) visit(master);
    visiting.delete(t.full_name);
    done.add(t.full_name);
    out.push(t);
    for (const part of parts.get(t.full_name) ?? []) visit(part);
  };
  for (const t of sorted) if (!t.master) visit(t);
  for (const t of sorted) visit(t);
  return out;
}
