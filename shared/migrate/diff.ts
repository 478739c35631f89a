import type { MigrationRisk, TableChange } from '../api/schemas/migration';
import type { TableInfo } from '../api/schemas/pipeline';
import { stripDisplayWidth } from '../model/table-info';
import { tierOf } from '../model/naming';
import type { PlanTable } from './types';

/**
 * What changes in each affected table, in words, with its risks: the list the user reads before
 * consenting. Lossy steps (dropped attributes, narrowing types, dropped key attributes) are what
 * `--allow-data-loss` consents to.
 */

const LONG_COPY_ROWS = 100_000;

/** The changes of every table of the plan. */
export function describeChanges(tables: readonly PlanTable[], catalog: readonly TableInfo[]): TableChange[] {
  const moved = movedColumns(tables);
  return tables.flatMap((t) => tableChanges(t, tables, catalog, moved));
}

function tableChanges(
  t: PlanTable,
  all: readonly PlanTable[],
  catalog: readonly TableInfo[],
  moved: Set<string>,
): TableChange[] {
  const label = `${t.target.schema}.${t.target.tableName}`;
  const out: TableChange[] = [];
  const add = (kind: TableChange['kind'], detail: string, risks: MigrationRisk[] = []) =>
    out.push({ kind, table: label, detail, risks });
  const source = catalog.find((x) => x.schema === t.source.schema && x.table_name === t.source.tableName)!;
  const srcLabel = `${t.source.schema}.${t.source.tableName}`;
  if (t.role === 'split') {
    add('split_table', `new table ${label}: ${t.rows} rows with attributes moved out of ${srcLabel}`);
    return out;
  }
  if (srcLabel !== label) {
    const tierBefore = tierOf(t.source.tableName);
    const tierAfter = tierOf(t.target.tableName);
    add('rename_table', `${srcLabel} becomes ${label}`);
    if (tierBefore !== tierAfter) add('change_tier', `tier ${tierBefore ?? '?'} becomes ${tierAfter ?? '?'}`);
  }
  const used = new Set(t.columns.flatMap((c) => (c.from.kind === 'column' ? [c.from.column] : [])));
  for (const a of source.attributes) {
    if (used.has(a.name)) continue;
    const lost = !moved.has(`${srcLabel}.${a.name}`);
    add(
      a.in_key ? 'drop_key_attribute' : 'drop_attribute',
      `drop ${a.name}${lost ? '' : ' (moved to the split-off table)'}`,
      lost ? [{ kind: 'data_loss', message: `the values of ${srcLabel}.${a.name} are dropped` }] : [],
    );
  }
  columnChanges(t, source, all, add);
  foreignKeyChanges(t, source, all).forEach((d) => add(d.kind, d.detail));
  indexChanges(t, source).forEach((d) => add(d.kind, d.detail));
  if (out.length === 0) add('carry', `rebuilt unchanged: its parent is rebuilt (${t.rows} rows)`);
  if (t.rows > LONG_COPY_ROWS) out[0]!.risks.push({ kind: 'long_copy', message: `${label} copies ${t.rows} rows` });
  return out;
}

type Add = (kind: TableChange['kind'], detail: string, risks?: MigrationRisk[]) => void;

/** Renamed, retyped and added attributes of one table. */
function columnChanges(t: PlanTable, source: TableInfo, all: readonly PlanTable[], add: Add): void {
  const label = `${t.target.schema}.${t.target.tableName}`;
  for (const c of t.columns) {
    const col = t.target.columns.find((x) => x.name === c.name)!;
    const kindOf = (k: string) => (col.inKey ? `${k}_key_attribute` : `${k}_attribute`) as TableChange['kind'];
    if (c.from.kind === 'column') {
      if (c.from.column !== c.name) add(kindOf('rename'), `rename ${c.from.column} to ${c.name}`);
      const old = source.attributes.find((a) => a.name === (c.from as { column: string }).column)!;
      if (!t.carried.some((x) => x.to === c.name))
        add(
          'retype_attribute',
          `${c.name}: ${old.sql_type} becomes ${col.columnType}`,
          retypeRisks(label, c.name, old.sql_type, col.columnType),
        );
      continue;
    }
    const how =
      c.from.kind === 'parent'
        ? `taken from ${joinLabel(t, c.from.join, all)}.${c.from.column}`
        : c.from.kind === 'literal'
          ? `= ${JSON.stringify(c.from.value)}`
          : c.from.kind === 'default'
            ? 'its default'
            : 'NULL';
    const cascade = col.fromForeignKey !== null && col.inKey && t.role === 'dependent';
    add(
      cascade ? 'cascade_key' : kindOf('add'),
      `add ${c.name} (${col.columnType}) ${col.inKey ? 'to the primary key ' : ''}in ${t.rows} rows: ${how}`,
      c.from.kind === 'literal' && col.inKey && t.role === 'changed'
        ? [
            {
              kind: 'needs_value',
              message: `${label}.${c.name} gets ${JSON.stringify(c.from.value)} in every existing row`,
            },
          ]
        : [],
    );
  }
}

function joinLabel(t: PlanTable, join: number, all: readonly PlanTable[]): string {
  const j = t.joins[join]!;
  return j.planIndex === null
    ? `${j.table.schema}.${j.table.tableName}`
    : `${all[j.planIndex]!.target.schema}.${all[j.planIndex]!.target.tableName}`;
}

/** Attributes moved into a split-off table (not lost when their old table drops them). */
function movedColumns(tables: readonly PlanTable[]): Set<string> {
  const out = new Set<string>();
  for (const t of tables)
    if (t.role === 'split')
      for (const c of t.columns)
        if (c.from.kind === 'column') out.add(`${t.source.schema}.${t.source.tableName}.${c.from.column}`);
  return out;
}

const INT_RANK: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 5 };

/** Widening integer, varchar/char length or decimal precision is safe; anything else may lose values. */
export function retypeRisks(label: string, name: string, before: string, after: string): MigrationRisk[] {
  const a = stripDisplayWidth(before).toLowerCase();
  const b = stripDisplayWidth(after).toLowerCase();
  const int = /^(tinyint|smallint|mediumint|int|bigint)( unsigned)?$/;
  const ia = int.exec(a);
  const ib = int.exec(b);
  if (ia && ib && INT_RANK[ib[1]!]! >= INT_RANK[ia[1]!]! && (ia[2] ?? '') === (ib[2] ?? '')) return [];
  const len = /^(var)?char\((\d+)\)$/;
  const la = len.exec(a);
  const lb = len.exec(b);
  if (la && lb && Number(lb[2]) >= Number(la[2]) && (lb[1] ?? '') >= (la[1] ?? '')) return [];
  const dec = /^decimal\((\d+),(\d+)\)( unsigned)?$/;
  const da = dec.exec(a);
  const db = dec.exec(b);
  if (da && db && da[2] === db[2] && Number(db[1]) >= Number(da[1]) && (da[3] ?? '') === (db[3] ?? '')) return [];
  return [{ kind: 'data_loss', message: `${label}.${name}: ${before} -> ${after} may truncate or reject values` }];
}

function foreignKeyChanges(t: PlanTable, source: TableInfo, all: readonly PlanTable[]) {
  const out: Array<{ kind: TableChange['kind']; detail: string }> = [];
  const finalOf = (parent: string) => {
    const i = all.findIndex((x) => x.replaces && `${x.replaces.schema}.${x.replaces.tableName}` === parent);
    return i < 0 ? parent : `${all[i]!.target.schema}.${all[i]!.target.tableName}`;
  };
  const rename = (c: string) => t.renames[c] ?? c;
  const before = source.foreign_keys.map((f) => ({
    parent: finalOf(f.parent),
    cols: Object.keys(f.attr_map).map(rename),
  }));
  const after = t.target.foreignKeys
    .filter((f) => f.kind === 'parent')
    .map((f) => ({ parent: `${f.refSchema}.${f.refTable}`, cols: f.columns }));
  const covers = (a: string[], b: string[]) => b.every((c) => a.includes(c)) || a.every((c) => b.includes(c));
  for (const f of after) {
    if (before.some((b) => b.parent === f.parent && covers(b.cols, f.cols))) continue;
    const retarget = before.find((b) => b.parent !== f.parent && covers(b.cols, f.cols));
    out.push(
      retarget
        ? {
            kind: 'retarget_foreign_key',
            detail: `(${f.cols.join(', ')}) now references ${f.parent} instead of ${retarget.parent}`,
          }
        : { kind: 'add_foreign_key', detail: `(${f.cols.join(', ')}) references ${f.parent}` },
    );
  }
  for (const b of before)
    if (!after.some((f) => covers(b.cols, f.cols)))
      out.push({ kind: 'drop_foreign_key', detail: `(${b.cols.join(', ')}) no longer references ${b.parent}` });
  return out;
}

function indexChanges(t: PlanTable, source: TableInfo) {
  const out: Array<{ kind: TableChange['kind']; detail: string }> = [];
  const rename = (c: string) => t.renames[c] ?? c;
  const fkCols = t.target.foreignKeys.map((f) => f.columns.join(','));
  const sig = (u: boolean, cols: string[]) => `${u ? 'unique ' : ''}index(${cols.join(', ')})`;
  const before = source.indexes
    .filter((ix) => !source.foreign_keys.some((f) => Object.keys(f.attr_map).join(',') === ix.columns.join(',')))
    .map((ix) => sig(ix.unique, ix.columns.map(rename)));
  const after = t.target.indexes
    .filter((ix) => ix.origin === 'index' && !fkCols.includes(ix.columns.join(',')))
    .map((ix) => sig(ix.unique, ix.columns));
  for (const a of after) if (!before.includes(a)) out.push({ kind: 'add_index', detail: `add ${a}` });
  for (const b of before) if (!after.includes(b)) out.push({ kind: 'drop_index', detail: `drop ${b}` });
  return out;
}
