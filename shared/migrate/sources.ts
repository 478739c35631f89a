import type { TableInfo } from '../api/schemas/pipeline';
import { appError } from '../errors';
import type { ResolvedColumn, ResolvedTable } from '../model/definition/heading';
import { stripDisplayWidth, splitTypeComment } from '../model/table-info';
import { oldName, shadowName } from './names';
import { checkChangeNames, type TargetTable } from './targets';
import type { ColumnSource, CopyJoin, PlanTable, TableRef } from './types';

/**
 * How every new column is filled: carried from an old column (renamed or not), taken from the
 * already-copied parent by joining it on the old key (a new key attribute cascading down), a
 * literal from the change's `values`, the column's default, or NULL. Anything else needs a value.
 */

/** Builds the executor's view of each target, in the same order. */
export function planTables(targets: readonly TargetTable[], catalog: readonly TableInfo[], id: string): PlanTable[] {
  const indexOfFinal = new Map(targets.map((t, i) => [`${t.target.schema}.${t.target.tableName}`, i]));
  const out: PlanTable[] = [];
  for (const t of targets) {
    const source = t.entry.info ?? t.entry.splitFrom!;
    const sourceColumns = source.attributes.map((a) => a.name);
    checkChangeNames(t, sourceColumns);
    const joins: CopyJoin[] = [];
    const columns = t.target.columns.map((c) => ({
      name: c.name,
      from: sourceOf(t, c, source, joins, indexOfFinal, out, catalog),
    }));
    const carried = columns.flatMap(({ name, from }) => {
      if (from.kind !== 'column') return [];
      return sameStoredType(
        source,
        from.column,
        t.target.columns.find((c) => c.name === name)!,
      )
        ? [{ from: from.column, to: name }]
        : [];
    });
    out.push({
      role: t.entry.splitFrom ? 'split' : t.entry.change ? 'changed' : 'dependent',
      source: { schema: source.schema, tableName: source.table_name },
      replaces: t.entry.info ? { schema: t.entry.info.schema, tableName: t.entry.info.table_name } : null,
      sourceKey: [...source.primary_key],
      sourceColumns,
      target: t.target,
      shadow: shadowOf(t.target, id, indexOfFinal, targets),
      oldName: t.entry.info ? oldName(id, t.entry.info.table_name) : null,
      columns,
      joins,
      carried,
      keyChanged: keyChanged(source, t, columns),
      renames: t.renames,
      rows: source.row_count,
    });
  }
  return out;
}

function available(t: TargetTable, source: TableInfo, oldCol: string, newCol: string): boolean {
  if (!source.attributes.some((a) => a.name === oldCol)) return false;
  const renamedTo = t.renames[oldCol];
  return renamedTo === undefined || renamedTo === newCol;
}

function oldNameOf(t: TargetTable, source: TableInfo, newCol: string): string | null {
  const explicit = Object.entries(t.renames).find(([, to]) => to === newCol)?.[0];
  if (explicit !== undefined && available(t, source, explicit, newCol)) return explicit;
  return available(t, source, newCol, newCol) ? newCol : null;
}

function sourceOf(
  t: TargetTable,
  c: ResolvedColumn,
  source: TableInfo,
  joins: CopyJoin[],
  indexOfFinal: Map<string, number>,
  done: readonly PlanTable[],
  catalog: readonly TableInfo[],
): ColumnSource {
  const old = oldNameOf(t, source, c.name);
  if (old !== null) return { kind: 'column', column: old };
  const viaParent = c.fromForeignKey === null ? null : parentSource(t, c, source, joins, indexOfFinal, done, catalog);
  if (viaParent) return viaParent;
  const values = t.entry.change?.values ?? {};
  if (Object.hasOwn(values, c.name)) return { kind: 'literal', value: values[c.name]! };
  if (c.default && c.default.kind !== 'null') return { kind: 'default' };
  if (c.nullable) return { kind: 'null' };
  const label = `${t.target.schema}.${t.className}`;
  throw appError('VALIDATION', `${label}: the new attribute ${c.name} needs a value for the existing rows.`, {
    details: { table: label, attribute: c.name },
    hint: `Give it one in the change: "values": {"${c.name}": ...}, or a default in the definition (${c.name} = ... : type).`,
  });
}

/** A column brought by a foreign key, taken from the parent row matched on the old key values. */
function parentSource(
  t: TargetTable,
  c: ResolvedColumn,
  source: TableInfo,
  joins: CopyJoin[],
  indexOfFinal: Map<string, number>,
  done: readonly PlanTable[],
  catalog: readonly TableInfo[],
): ColumnSource | null {
  const fk = t.target.foreignKeys[c.fromForeignKey!]!;
  if (fk.kind !== 'parent') return null;
  const on: CopyJoin['on'] = [];
  fk.columns.forEach((child, i) => {
    const old = child === c.name ? null : oldNameOf(t, source, child);
    if (old !== null) on.push({ parentColumn: fk.refColumns[i]!, sourceColumn: old });
  });
  if (on.length === 0) return null;
  const finalName = `${fk.refSchema}.${fk.refTable}`;
  const planIndex = indexOfFinal.get(finalName) ?? null;
  if (planIndex !== null && planIndex >= done.length) return null; // not copied yet: no cycle allowed
  if (planIndex === null && !catalog.some((x) => x.full_name === finalName)) return null;
  const parentColumn = fk.refColumns[fk.columns.indexOf(c.name)]!;
  // a literal upstream is the same literal in every descendant (a nullable FK keeps its NULLs: join)
  const upstream =
    planIndex === null || fk.nullable ? null : done[planIndex]!.columns.find((x) => x.name === parentColumn)?.from;
  if (upstream?.kind === 'literal') return upstream;
  const table: TableRef = { schema: fk.refSchema, tableName: fk.refTable };
  const key = JSON.stringify([planIndex, table, on]);
  let join = joins.findIndex((j) => JSON.stringify([j.planIndex, j.table, j.on]) === key);
  if (join < 0) join = joins.push({ planIndex, table, on }) - 1;
  return { kind: 'parent', join, column: parentColumn };
}

/** True when an old column and a new one store values the same way (compared by checksum). */
export function sameStoredType(source: TableInfo, oldCol: string, c: ResolvedColumn): boolean {
  const a = source.attributes.find((x) => x.name === oldCol);
  if (!a) return false;
  const norm = (s: string) => stripDisplayWidth(s).toLowerCase().replace(/\s+/g, ' ');
  // MariaDB stores json as longtext with a json_valid check: the same values either way
  const before = a.json_text ? 'json' : norm(a.sql_type);
  return (
    before === norm(c.columnType) && splitTypeComment(a.sql_comment).special === splitTypeComment(c.sqlComment).special
  );
}

function keyChanged(source: TableInfo, t: TargetTable, columns: PlanTable['columns']): boolean {
  const key = t.target.primaryKey;
  if (key.length !== source.primary_key.length) return true;
  return key.some((k) => {
    const from = columns.find((c) => c.name === k)!.from;
    if (from.kind !== 'column' || !source.primary_key.includes(from.column)) return true;
    return (
      from.column !== k ||
      !sameStoredType(
        source,
        from.column,
        t.target.columns.find((c) => c.name === k)!,
      )
    );
  });
}

/** The shadow: hidden name, foreign keys to the other shadows (live parents stay as they are). */
function shadowOf(
  target: ResolvedTable,
  id: string,
  indexOfFinal: Map<string, number>,
  targets: readonly TargetTable[],
): ResolvedTable {
  return {
    ...target,
    tableName: shadowName(id, target.tableName),
    foreignKeys: target.foreignKeys.map((fk) => {
      const i = indexOfFinal.get(`${fk.refSchema}.${fk.refTable}`);
      return i === undefined ? fk : { ...fk, refTable: shadowName(id, targets[i]!.target.tableName) };
    }),
  };
}
