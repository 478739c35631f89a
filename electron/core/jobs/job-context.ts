import type { Restriction } from '../../../shared/api/schemas/data';
import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { CompiledSql, SqlDialect } from '../../../shared/sql/dialect';
import { keySource, pendingKeys, type KeySource } from '../../../shared/sql/key-source';
import { restrictionSql } from '../data/restriction';
import type { StoredTask } from './task-store';
import { ancestorsOf } from './task-check';

/** A declared input, resolved: rows of `table` matching the job key on the `shared` attributes. */
export interface InputPlan {
  table: TableInfo;
  attrs: AttributeInfo[];
  /** Key attributes the input table has too (by name); none: the whole table (a lookup). */
  shared: AttributeInfo[];
}

/**
 * Everything a worker needs about one auto-populated table, computed once per populate so that
 * no job re-reads headings: key source, pending-keys SQL with the restriction, parts, task, inputs.
 */
export interface TableJob {
  /** Position in dependency order. */
  order: number;
  table: TableInfo;
  ks: KeySource;
  /** Key-source attributes, in key order. */
  ksAttrs: AttributeInfo[];
  /** True when one key makes exactly one row (the primary key is the key source's). */
  oneRowPerKey: boolean;
  parts: TableInfo[];
  task: StoredTask;
  inputs: InputPlan[];
  /** Full names of every upstream table: a commit into one of them may create new keys here. */
  upstream: ReadonlySet<string>;
  /** Pending keys (`key_source - table`), restricted. */
  pendingSql: CompiledSql;
}

/** Which tables a populate covers and how their key sources are restricted. */
export interface Selection {
  schema?: string;
  table?: string;
  /** Only these tables (`schema.table`), e.g. a table and everything downstream of it. */
  tables?: readonly string[];
  restriction?: Restriction;
}

/**
 * The auto-populated tables selected, in dependency order, each with its task; tables without a
 * task are returned by name so the caller can report them. A named table without a task is an error.
 */
export function buildTableJobs(
  dialect: SqlDialect,
  tables: readonly TableInfo[],
  tasks: ReadonlyMap<string, StoredTask>,
  sel: Selection,
): { jobs: TableJob[]; withoutTask: string[] } {
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  const auto = tables.filter(
    (t) =>
      (t.tier === 'Imported' || t.tier === 'Computed') &&
      (!sel.schema || t.schema === sel.schema) &&
      (!sel.table || t.table_name === sel.table) &&
      (!sel.tables || sel.tables.includes(t.full_name)),
  );
  if (sel.table && auto.length === 0) {
    throw appError(
      'NOT_FOUND',
      `There is no Imported or Computed table ${sel.schema ? `${sel.schema}.` : ''}${sel.table}.`,
      { details: { table: sel.table } },
    );
  }
  const jobs: TableJob[] = [];
  const withoutTask: string[] = [];
  for (const table of auto) {
    const task = tasks.get(table.full_name);
    if (!task) {
      withoutTask.push(table.full_name);
      continue;
    }
    const ks = keySource(dialect, table, (n) => byName.get(n));
    if (!ks) continue; // no primary parent: nothing to populate from
    jobs.push(tableJob(dialect, table, ks, task, tables, byName, sel.restriction, jobs.length));
  }
  if (sel.table && jobs.length === 0) {
    throw appError('NOT_FOUND', `${withoutTask[0] ?? sel.table} has no task.`, {
      hint: 'Set one with "joinery task set" (or task.set), naming an image, a command or an inline function.',
      details: { table: withoutTask[0] ?? sel.table },
    });
  }
  return { jobs, withoutTask };
}

function tableJob(
  dialect: SqlDialect,
  table: TableInfo,
  ks: KeySource,
  task: StoredTask,
  tables: readonly TableInfo[],
  byName: ReadonlyMap<string, TableInfo>,
  restriction: Restriction | undefined,
  order: number,
): TableJob {
  const ksAttrs = ks.attributes.map((n) => table.attributes.find((a) => a.name === n)!);
  const pending = pendingKeys(dialect, table, ks);
  const restricted = restrictionSql(dialect, table, keySourceRestriction(restriction, ks.attributes), 'p');
  const inputs = task.spec.inputs.flatMap((input) => {
    const source = byName.get(input.table);
    if (!source) return [];
    const attrs = input.attributes
      ? source.attributes.filter((a) => input.attributes!.includes(a.name))
      : source.attributes;
    return [{ table: source, attrs, shared: source.attributes.filter((a) => ks.attributes.includes(a.name)) }];
  });
  return {
    order,
    table,
    ks,
    ksAttrs,
    oneRowPerKey:
      table.primary_key.length === ks.attributes.length && table.primary_key.every((k) => ks.attributes.includes(k)),
    parts: tables.filter((t) => t.master === table.full_name),
    task,
    inputs,
    upstream: ancestorsOf(table, byName),
    pendingSql: {
      sql: `SELECT p.* FROM (${pending.sql}) AS p WHERE ${restricted.sql}`,
      params: [...pending.params, ...restricted.params],
    },
  };
}

/**
 * DataJoint's dict restriction of a key source: attributes the key source lacks are ignored, and a
 * dict left empty matches everything (so does a list holding such a dict).
 */
export function keySourceRestriction(
  restriction: Restriction | undefined,
  attributes: readonly string[],
): Restriction | undefined {
  if (restriction === undefined) return undefined;
  const only = (d: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(d).filter(([k]) => attributes.includes(k)));
  if (!Array.isArray(restriction)) {
    const d = only(restriction);
    return Object.keys(d).length ? d : undefined;
  }
  const dicts = restriction.map(only);
  return dicts.some((d) => Object.keys(d).length === 0) && restriction.length > 0 ? undefined : dicts;
}
