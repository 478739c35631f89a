import type { DeletePreview, Restriction } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { CompiledSql } from '../../../shared/sql/dialect';
import { splitFullName } from '../../../shared/sql/key-source';
import type { DbDriver, DbSession } from '../db/driver';
import { restrictionSql } from './restriction';

/** One table a delete reaches, with the condition selecting its doomed rows. */
interface Step {
  table: TableInfo;
  where: CompiledSql[];
}

/**
 * Follows every foreign key down from the restricted rows: a child row goes when its parent row
 * goes (DataJoint's cascade). Conditions are nested key subqueries, so the plan is SQL only and
 * the database does the matching; children are deleted before parents, all in one transaction.
 */
export function planDelete(
  db: DbSession,
  tables: readonly TableInfo[],
  table: TableInfo,
  restriction: Restriction | undefined,
): Step[] {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const steps = new Map<string, Step>([
    [table.full_name, { table, where: [restrictionSql(db.dialect, table, restriction)] }],
  ]);
  const order = descendantsInOrder(tables, table);
  for (const parent of order) {
    const p = steps.get(parent.full_name);
    if (!p) continue;
    const parentWhere = orAll(p.where);
    for (const child of tables) {
      for (const fk of child.foreign_keys.filter((f) => f.parent === parent.full_name)) {
        const childCols = Object.keys(fk.attr_map);
        const parentCols = childCols.map((c) => fk.attr_map[c]!);
        const [ps, pt] = splitFullName(parent.full_name);
        const lhs = childCols.length === 1 ? q(childCols[0]!) : `(${childCols.map(q).join(', ')})`;
        const cond = {
          sql: `${lhs} IN (SELECT ${parentCols.map(q).join(', ')} FROM ${db.dialect.qualify(ps, pt)} WHERE ${parentWhere.sql})`,
          params: parentWhere.params,
        };
        const s = steps.get(child.full_name) ?? { table: child, where: [] };
        s.where.push(cond);
        steps.set(child.full_name, s);
      }
    }
  }
  return order.filter((t) => steps.has(t.full_name)).map((t) => steps.get(t.full_name)!);
}

/** Row counts per table of a planned delete. */
export async function previewDelete(db: DbSession, steps: readonly Step[]): Promise<DeletePreview> {
  const tables = [];
  for (const s of steps) {
    const w = orAll(s.where);
    const [row] = await db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${db.dialect.qualify(s.table.schema, s.table.table_name)} WHERE ${w.sql}`,
      w.params,
    );
    tables.push({ full_name: s.table.full_name, class_name: s.table.class_name, rows: Number(row?.n ?? 0) });
  }
  return { tables, total: tables.reduce((n, t) => n + t.rows, 0) };
}

/**
 * Deletes what the plan selects, children first, in one transaction, after checking that the
 * counts still equal the preview the user confirmed and that no part loses rows without its master.
 */
export async function executeDelete(
  db: DbDriver,
  plan: (tx: DbSession) => Step[],
  expectedTotal: number,
  forceParts: boolean,
): Promise<DeletePreview> {
  return db.transaction(async (tx) => {
    const steps = plan(tx);
    const preview = await previewDelete(tx, steps);
    if (preview.total !== expectedTotal) {
      throw appError(
        'CONFLICT',
        `The delete now affects ${preview.total} rows, not the ${expectedTotal} you confirmed; the data changed meanwhile.`,
        {
          details: { preview },
          hint: 'Review the new preview and confirm again; nothing was deleted.',
        },
      );
    }
    if (!forceParts) checkParts(steps, preview);
    for (const s of [...steps].reverse()) {
      const w = orAll(s.where);
      await tx.execute(
        `DELETE FROM ${tx.dialect.qualify(s.table.schema, s.table.table_name)} WHERE ${w.sql}`,
        w.params,
      );
    }
    return preview;
  });
}

/** DataJoint refuses to delete part rows unless their master's rows go too. */
function checkParts(steps: readonly Step[], preview: DeletePreview): void {
  const affected = new Set(preview.tables.filter((t) => t.rows > 0).map((t) => t.full_name));
  for (const s of steps) {
    if (!s.table.master || !affected.has(s.table.full_name)) continue;
    const master = s.table.master;
    if (!affected.has(master)) {
      throw appError(
        'VALIDATION',
        `Deleting would remove rows of the part table ${s.table.full_name} but not of its master ${master}.`,
        {
          details: { table: s.table.full_name, master },
          hint: 'Delete from the master table instead, or allow deleting parts alone (force parts).',
        },
      );
    }
  }
}

/** The table and all its descendants, parents before children. */
function descendantsInOrder(tables: readonly TableInfo[], root: TableInfo): TableInfo[] {
  const children = (t: TableInfo) => tables.filter((c) => c.foreign_keys.some((fk) => fk.parent === t.full_name));
  const reached = new Set<string>([root.full_name]);
  const stack = [root];
  while (stack.length)
    for (const c of children(stack.pop()!))
      if (!reached.has(c.full_name)) {
        reached.add(c.full_name);
        stack.push(c);
      }
  const out: TableInfo[] = [];
  const done = new Set<string>();
  const visit = (t: TableInfo) => {
    if (done.has(t.full_name)) return;
    done.add(t.full_name);
    for (const fk of t.foreign_keys) {
      const parent = tables.find((p) => p.full_name === fk.parent);
      if (parent && reached.has(parent.full_name)) visit(parent);
    }
    out.push(t);
  };
  for (const t of tables) if (reached.has(t.full_name)) visit(t);
  return out;
}

function orAll(parts: readonly CompiledSql[]): CompiledSql {
  if (parts.length === 1) return parts[0]!;
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}
