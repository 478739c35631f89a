import type { Dialect } from '../api/schemas/connection';
import type { EngineSql, PlanStep } from '../api/schemas/migration';
import { createTableDdl } from '../sql/ddl';
import {
  copySql,
  dialectOf,
  dropTablesSql,
  renameTablesSql,
  type CopySpec,
  type TableMove,
} from '../sql/ddl/migration';
import type { PlanTable } from './types';

/**
 * The ordered steps of a plan with their SQL for both engines: create every shadow, copy parent
 * first, verify, swap, check after. The executor runs exactly these statements (plus chunk
 * predicates), so what the user approves is what runs.
 */

const ENGINES: Dialect[] = ['mysql', 'sqlite'];

const both = (f: (d: Dialect) => string[]): EngineSql => ({ mysql: f('mysql'), sqlite: f('sqlite') });

/** The copy statement of one plan table (without chunk predicate). */
export function copySpec(tables: readonly PlanTable[], i: number): CopySpec {
  const t = tables[i]!;
  return {
    into: { schema: t.shadow.schema, table: t.shadow.tableName },
    from: { schema: t.source.schema, table: t.source.tableName },
    columns: t.columns
      .filter((c) => c.from.kind !== 'default')
      .map((c) => ({ name: c.name, expr: c.from as CopySpec['columns'][number]['expr'] })),
    joins: t.joins.map((j) => {
      const p = j.planIndex === null ? null : tables[j.planIndex]!;
      return {
        schema: p ? p.shadow.schema : j.table.schema,
        table: p ? p.shadow.tableName : j.table.tableName,
        on: j.on,
      };
    }),
  };
}

/** Renames of the swap: every replaced table to its kept-old name, then every shadow to its final name. */
export function swapMoves(tables: readonly PlanTable[]): TableMove[] {
  return [
    ...tables.flatMap((t) =>
      t.replaces
        ? [{ schema: t.replaces.schema, from: t.replaces.tableName, toSchema: t.replaces.schema, to: t.oldName! }]
        : [],
    ),
    ...tables.map((t) => ({
      schema: t.shadow.schema,
      from: t.shadow.tableName,
      toSchema: t.target.schema,
      to: t.target.tableName,
    })),
  ];
}

/** The reverse of {@link swapMoves}: new tables back to their shadow names, old tables back home. */
export function rollbackMoves(tables: readonly PlanTable[]): TableMove[] {
  return [
    ...tables.map((t) => ({
      schema: t.target.schema,
      from: t.target.tableName,
      toSchema: t.shadow.schema,
      to: t.shadow.tableName,
    })),
    ...tables.flatMap((t) =>
      t.replaces
        ? [{ schema: t.replaces.schema, from: t.oldName!, toSchema: t.replaces.schema, to: t.replaces.tableName }]
        : [],
    ),
  ];
}

/** Shadow tables, children first (the order to drop them). */
export function shadowsChildrenFirst(tables: readonly PlanTable[]) {
  return [...tables].reverse().map((t) => ({ schema: t.shadow.schema, table: t.shadow.tableName }));
}

/** Kept-old tables, children first. */
export function oldTablesChildrenFirst(tables: readonly PlanTable[]) {
  return [...tables].reverse().flatMap((t) => (t.replaces ? [{ schema: t.replaces.schema, table: t.oldName! }] : []));
}

/** The plan's steps. */
export function planSteps(tables: readonly PlanTable[]): PlanStep[] {
  const total = tables.reduce((n, t) => n + t.rows, 0);
  const label = (t: PlanTable) => `${t.target.schema}.${t.target.tableName}`;
  const steps: PlanStep[] = [
    {
      kind: 'preflight',
      table: null,
      description:
        'Check that no job of these tables is reserved or running, then refuse writes to them until the swap',
      rows: 0,
      risks: [],
      sql: { mysql: [], sqlite: [] },
    },
    {
      kind: 'create_shadows',
      table: null,
      description: `Create ${tables.length} shadow tables whose foreign keys point at each other`,
      rows: 0,
      risks: [],
      sql: both((e) => tables.flatMap((t) => createTableDdl(e, t.shadow, { ifNotExists: false }).map((s) => s.sql))),
    },
  ];
  tables.forEach((t, i) => {
    const spec = copySpec(tables, i);
    steps.push({
      kind: 'copy',
      table: label(t),
      description: `Copy ${t.rows} rows of ${t.source.schema}.${t.source.tableName} into the shadow of ${label(t)}, in chunks by key`,
      rows: t.rows,
      risks: t.rows > 100_000 ? [{ kind: 'long_copy', message: `${t.rows} rows` }] : [],
      sql: both((e) => [copySql(dialectOf(e), spec).sql]),
    });
  });
  steps.push(
    {
      kind: 'verify',
      table: null,
      description: 'Compare row counts and checksums of carried columns, and count orphans of every foreign key',
      rows: total,
      risks: [],
      sql: { mysql: [], sqlite: [] },
    },
    {
      kind: 'swap',
      table: null,
      description: 'Swap every table at once; the old tables are kept under hidden names for rollback',
      rows: 0,
      risks: [],
      sql: both((e) => renameTablesSql(e, swapMoves(tables)).map((s) => s.sql)),
    },
    {
      kind: 'post_check',
      table: null,
      description:
        'Prove the foreign keys enforce (an orphan is rejected) and move job records (DataJoint 2: ~lineage rows and ~~ queues too) to the new keys',
      rows: 0,
      risks: [],
      sql: { mysql: [], sqlite: [] },
    },
  );
  return steps;
}

/** SQL that undoes a swapped migration, for display (the executor drops the new tables later: core/migrate/aside.ts). */
export function rollbackSql(e: Dialect, tables: readonly PlanTable[]) {
  return [...renameTablesSql(e, rollbackMoves(tables)), ...dropTablesSql(e, shadowsChildrenFirst(tables))];
}

export { ENGINES };
