import type { MigrationChange } from '../api/schemas/migration';
import type { TableInfo } from '../api/schemas/pipeline';
import { appError } from '../errors';
import type { Conventions } from '../model/conventions';
import { parseDefinition } from '../model/definition/parse';

/**
 * The affected set of a change file: every changed table plus all of its descendants. A rebuilt
 * table is swapped by RENAME, and a child's foreign key follows its parent's name (MySQL) or is
 * rewritten with it (SQLite), so every child of a rebuilt table is rebuilt too; its FKs then
 * point at the new parent. Parents come before children.
 */

/** One changed or affected table of the database, or a new table split off an existing one. */
export interface AffectedEntry {
  info: TableInfo | null;
  change: MigrationChange | null;
  /** For a split table: the existing table it takes its rows from. */
  splitFrom: TableInfo | null;
}

/** Finds `<schema>.<ClassName>` among the database's tables. */
export function tableByClass(catalog: readonly TableInfo[], qualified: string): TableInfo | undefined {
  const dot = qualified.indexOf('.');
  const schema = qualified.slice(0, dot);
  const cls = qualified.slice(dot + 1);
  return catalog.find((t) => t.schema === schema && t.class_name === cls);
}

/** The affected set, parents first; split tables last (nothing in the set depends on them). */
export function affectedTables(
  changes: readonly MigrationChange[],
  catalog: readonly TableInfo[],
  conventionsOf: (schema: string) => Conventions = () => '0.14',
): AffectedEntry[] {
  const byName = new Map(catalog.map((t) => [t.full_name, t]));
  const changeOf = new Map<string, MigrationChange>();
  const splits: AffectedEntry[] = [];
  for (const change of changes) {
    const info = tableByClass(catalog, change.table);
    if (change.split_from) {
      if (info)
        throw appError('VALIDATION', `${change.table} already exists; "split_from" makes a new table.`, {
          details: { table: change.table },
          hint: 'Name a new class for the split-off table.',
        });
      const from = tableByClass(catalog, change.split_from);
      if (!from)
        throw appError(
          'NOT_FOUND',
          `${change.table}: split_from ${change.split_from} is not a table of the database.`,
          {
            details: { table: change.table },
          },
        );
      splits.push({ info: null, change, splitFrom: from });
      continue;
    }
    if (!info)
      throw appError('NOT_FOUND', `${change.table} is not a table of the database.`, {
        details: { table: change.table },
        hint: 'Migrations change existing tables; declare new tables with `joinery declare` (or use "split_from").',
      });
    if (changeOf.has(info.full_name))
      throw appError('VALIDATION', `${change.table} is changed twice in the file.`, {
        details: { table: change.table },
      });
    changeOf.set(info.full_name, change);
  }
  const children = new Map<string, string[]>();
  for (const t of catalog)
    for (const fk of t.foreign_keys) {
      if (!children.has(fk.parent)) children.set(fk.parent, []);
      if (!children.get(fk.parent)!.includes(t.full_name)) children.get(fk.parent)!.push(t.full_name);
    }
  const set = new Set<string>();
  const visit = (name: string) => {
    if (set.has(name)) return;
    set.add(name);
    for (const c of children.get(name) ?? []) visit(c);
  };
  for (const name of changeOf.keys()) visit(name);
  for (const s of splits) visit(s.splitFrom!.full_name);
  const ordered = topological([...set], byName, newParents(changeOf, catalog, conventionsOf));
  return [
    ...ordered.map((name) => ({ info: byName.get(name)!, change: changeOf.get(name) ?? null, splitFrom: null })),
    ...splits,
  ];
}

/** Parents that changed tables' NEW definitions name (a new FK must point at an existing shadow). */
function newParents(
  changeOf: Map<string, MigrationChange>,
  catalog: readonly TableInfo[],
  conventionsOf: (schema: string) => Conventions,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, change] of changeOf) {
    const schema = name.slice(0, name.indexOf('.'));
    let refs: Array<{ schema: string | null; name: string }> = [];
    try {
      refs = parseDefinition(change.definition, { conventions: conventionsOf(schema) }).items.flatMap((i) =>
        i.kind === 'foreign_key' ? [i.ref] : [],
      );
    } catch {
      continue; // reported with its line when the definition is resolved
    }
    const parents = refs.flatMap((ref) => {
      const all = catalog.filter((t) => t.class_name === ref.name && (ref.schema === null || t.schema === ref.schema));
      const pick = all.find((t) => t.schema === schema) ?? (all.length === 1 ? all[0] : undefined);
      return pick ? [pick.full_name] : [];
    });
    out.set(name, parents);
  }
  return out;
}

function topological(names: string[], byName: Map<string, TableInfo>, extra: Map<string, string[]>): string[] {
  const inSet = new Set(names);
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw appError('VALIDATION', `Foreign keys form a cycle through ${name}.`, { details: { table: name } });
    state.set(name, 'visiting');
    const parents = [...byName.get(name)!.foreign_keys.map((fk) => fk.parent), ...(extra.get(name) ?? [])];
    for (const p of parents) if (inSet.has(p) && p !== name) visit(p);
    state.set(name, 'done');
    out.push(name);
  };
  for (const n of [...names].sort()) visit(n);
  return out;
}
