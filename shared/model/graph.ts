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

/**
 * `start` and every table that depends on it, directly or through others (by foreign keys, part
 * tables with their master), as full names in dependency order: what a "populate downstream" runs.
 */
export function downstreamOf(tables: readonly TableInfo[], start: string): string[] {
  const children = new Map<string, string[]>();
  const link = (parent: string, child: string) => children.set(parent, [...(children.get(parent) ?? []), child]);
  for (const t of tables) {
    for (const fk of t.foreign_keys) link(fk.parent, t.full_name);
    if (t.master) link(t.master, t.full_name);
  }
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      queue.push(c);
    }
  }
  return dependencyOrder(tables)
    .map((t) => t.full_name)
    .filter((n) => seen.has(n));
}
