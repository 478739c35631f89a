import type { MigrationChange } from '../api/schemas/migration';
import type { TableInfo } from '../api/schemas/pipeline';
import { appError, AppError } from '../errors';
import type { Conventions } from '../model/conventions';
import type { ForeignKeyRef, TableDefinition } from '../model/definition/ast';
import {
  parentFromResolved,
  parentFromTableInfo,
  type ParentHeading,
  type ResolvedTable,
} from '../model/definition/heading';
import { parseDefinition } from '../model/definition/parse';
import { printDefinition } from '../model/definition/print';
import { resolveDefinition } from '../model/definition/resolve';
import { describeDefinition } from '../model/describe';
import { tableNameOf } from '../model/naming';
import { tableByClass, type AffectedEntry } from './affected';

/**
 * The new heading of every affected table, resolved parents first against the parents' NEW
 * headings, so a dependent that says `-> Subject` gains Subject's new key attributes and a
 * `.proj(new='old')` follows a renamed parent attribute. Also names each table's final place.
 */

/** A resolved affected table: where it ends up and what it becomes. */
export interface TargetTable {
  entry: AffectedEntry;
  className: string;
  target: ResolvedTable;
  /** Old attribute -> new attribute (explicit, plus cascaded from renamed parent keys). */
  renames: Record<string, string>;
}

/** Resolves every entry in order; `adapters` gives adapted types' storage types. */
export function resolveTargets(
  entries: readonly AffectedEntry[],
  catalog: readonly TableInfo[],
  adapters: Readonly<Record<string, string>>,
  conventionsOf: (schema: string) => Conventions = () => '0.14',
): TargetTable[] {
  const out: TargetTable[] = [];
  const byOld = new Map<string, TargetTable>();
  for (const entry of entries) {
    const { schema, className, tableName } = placeOf(entry, byOld);
    const label = `${schema}.${className}`;
    const renames = cascadedRenames(entry, byOld);
    Object.assign(renames, entry.change?.renames ?? {});
    // a table moving to another schema keeps the conventions it was declared in
    const conventions = conventionsOf((entry.info ?? entry.splitFrom)?.schema ?? schema);
    const definition = entry.change
      ? parseDefinition(entry.change.definition, { table: label, conventions })
      : describedDefinition(entry.info!, catalog, byOld, label, conventions);
    const lookup = (ref: ForeignKeyRef): ParentHeading | undefined => {
      const found = findParent(ref, schema, className, catalog, out, byOld);
      if (!found) return undefined;
      return 'target' in found ? parentFromResolved(found.target) : parentFromTableInfo(found);
    };
    const target = withTable(label, () =>
      resolveDefinition(definition, {
        schema,
        tableName,
        table: label,
        conventions,
        // 2.x: a table with the `_job_*` metadata columns keeps them (they are hidden, so not in its definition)
        jobMetadata: conventions === '2' && hasJobMetadata(entry.info ?? entry.splitFrom),
        master: className.includes('.') ? className.split('.')[0] : undefined,
        adapterType: (name) => adapters[name] ?? adapterFromCatalog(catalog, name),
        lookup,
      }),
    );
    const t: TargetTable = { entry, className, target, renames };
    if (entry.info) byOld.set(entry.info.full_name, t);
    out.push(t);
  }
  return out;
}

function hasJobMetadata(info: TableInfo | null): boolean {
  return info?.attributes.some((a) => a.name === '_job_start_time') ?? false;
}

/** Final schema, class and table name: renamed, retiered, or following a renamed master. */
function placeOf(entry: AffectedEntry, byOld: Map<string, TargetTable>) {
  const info = entry.info;
  const change = entry.change;
  const qualified = change?.rename_to ?? change?.table ?? `${info!.schema}.${info!.class_name}`;
  const dot = qualified.indexOf('.');
  const schema = qualified.slice(0, dot);
  let className = qualified.slice(dot + 1);
  if (info?.master && !change?.rename_to) {
    const master = byOld.get(info.master);
    if (master) {
      className = `${master.className}.${info.class_name.split('.')[1]}`;
      return { schema, className, tableName: tableNameOf(className.split('.')[1]!, 'Part', master.target.tableName) };
    }
    return { schema, className, tableName: info.table_name };
  }
  if (className.includes('.')) {
    const masterInfo = info?.master;
    return { schema, className, tableName: info?.table_name ?? masterInfo ?? className };
  }
  const tier = change?.tier ?? info?.tier ?? 'Manual';
  if (tier === 'Part') return { schema, className, tableName: info!.table_name };
  return { schema, className, tableName: tableNameOf(className, tier) };
}

/** A dependent's column named like its parent's renamed key attribute is renamed with it. */
function cascadedRenames(entry: AffectedEntry, byOld: Map<string, TargetTable>): Record<string, string> {
  const out: Record<string, string> = {};
  const info = entry.info ?? entry.splitFrom!;
  const self = byOld.get(info.full_name);
  if (entry.splitFrom && self) Object.assign(out, self.renames);
  for (const fk of info.foreign_keys) {
    const parent = byOld.get(fk.parent);
    if (!parent) continue;
    for (const [child, parentCol] of Object.entries(fk.attr_map)) {
      const renamed = parent.renames[parentCol];
      if (renamed && child === parentCol) out[child] = renamed;
    }
  }
  return out;
}

/**
 * A dependent's definition as describe() gives it, following renamed parents. A 2.x table's text
 * is read again in 2.x conventions, so its core types (`int16`) get their `:type:` markers back.
 */
function describedDefinition(
  info: TableInfo,
  catalog: readonly TableInfo[],
  byOld: Map<string, TargetTable>,
  label: string,
  conventions: Conventions,
): TableDefinition {
  const def = followRenamedParents(describeDefinition(info, catalog), info, catalog, byOld);
  if (conventions !== '2') return def;
  // the type exactly as 2.x declared it (`<blob@store>` would otherwise read back as its json column)
  const items = def.items.map((item) => {
    const declared = item.kind === 'attribute' && info.attributes.find((a) => a.name === item.name)?.datajoint_type;
    return declared ? { ...item, type: { kind: 'sql' as const, sql: declared } } : item;
  });
  return parseDefinition(printDefinition({ ...def, items }), { table: label, conventions });
}

/** `.proj(new='old')` of a described definition, rewritten to the parent's renamed attributes. */
function followRenamedParents(
  def: TableDefinition,
  info: TableInfo,
  catalog: readonly TableInfo[],
  byOld: Map<string, TargetTable>,
): TableDefinition {
  const items = def.items.map((item) => {
    if (item.kind !== 'foreign_key' || !item.renames) return item;
    const parentInfo = findInCatalog(item.ref, info.schema, catalog);
    const parent = parentInfo && byOld.get(parentInfo.full_name);
    if (!parent) return item;
    return {
      ...item,
      renames: item.renames.map(([n, o]) => [n, parent.renames[o] ?? o] as [string, string]),
    };
  });
  return { ...def, items };
}

function findInCatalog(ref: ForeignKeyRef, schema: string, catalog: readonly TableInfo[]): TableInfo | undefined {
  if (ref.schema) return tableByClass(catalog, `${ref.schema}.${ref.name}`);
  const all = catalog.filter((t) => t.class_name === ref.name);
  return all.find((t) => t.schema === schema) ?? (all.length === 1 ? all[0] : undefined);
}

/** A parent by its new name among the affected tables, else by its old name in the database. */
function findParent(
  ref: ForeignKeyRef,
  schema: string,
  className: string,
  catalog: readonly TableInfo[],
  resolved: readonly TargetTable[],
  byOld: Map<string, TargetTable>,
): TargetTable | TableInfo | undefined {
  const name = ref.name === 'master' && className.includes('.') ? className.split('.')[0]! : ref.name;
  const mine = resolved.filter((t) => t.className === name && (ref.schema ? t.target.schema === ref.schema : true));
  const pick = mine.find((t) => t.target.schema === schema) ?? (mine.length === 1 ? mine[0] : undefined);
  if (pick) return pick;
  const info = findInCatalog({ schema: ref.schema, name }, schema, catalog);
  if (!info) return undefined;
  return byOld.get(info.full_name) ?? info;
}

function adapterFromCatalog(catalog: readonly TableInfo[], name: string): string | undefined {
  for (const t of catalog) for (const a of t.attributes) if (a.adapter === name) return a.sql_type;
  return undefined;
}

function withTable<T>(label: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof AppError && !String(err.details?.table ?? ''))
      throw new AppError({
        code: err.code,
        message: `${label}: ${err.message}`,
        hint: err.hint,
        details: { ...err.details, table: label },
      });
    throw err;
  }
}

/** Throws when a change names an attribute that is not where it says. */
export function checkChangeNames(t: TargetTable, sourceColumns: readonly string[]): void {
  const change: MigrationChange | null = t.entry.change;
  const label = `${t.target.schema}.${t.className}`;
  const targetCols = new Set(t.target.columns.map((c) => c.name));
  for (const [from, to] of Object.entries(change?.renames ?? {})) {
    if (!sourceColumns.includes(from))
      throw appError('VALIDATION', `${label}: "renames" names ${from}, which is not an attribute of the table now.`, {
        details: { table: label, attribute: from },
      });
    if (!targetCols.has(to))
      throw appError(
        'VALIDATION',
        `${label}: "renames" maps ${from} to ${to}, which the new definition does not have.`,
        {
          details: { table: label, attribute: to },
        },
      );
  }
  for (const name of Object.keys(change?.values ?? {}))
    if (!targetCols.has(name))
      throw appError('VALIDATION', `${label}: "values" names ${name}, which the new definition does not have.`, {
        details: { table: label, attribute: name },
      });
}
