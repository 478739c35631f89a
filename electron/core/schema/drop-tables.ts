import type { DropPreview } from '../../../shared/api/schemas/schema';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { DbDriver, DbSession } from '../db/driver';

/** The table and every table that depends on it, dependents first (the order they must be dropped in). */
export function dropOrder(all: readonly TableInfo[], root: TableInfo): TableInfo[] {
  const reached = new Set([root.full_name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of all) {
      if (reached.has(t.full_name)) continue;
      const depends =
        t.foreign_keys.some((fk) => reached.has(fk.parent)) || (t.master !== null && reached.has(t.master));
      if (depends) {
        reached.add(t.full_name);
        grew = true;
      }
    }
  }
  // `all` is parents-first, so its reverse drops children before their parents
  return [...all].reverse().filter((t) => reached.has(t.full_name));
}

/** What {@link dropTables} would remove. */
export function dropPreview(order: readonly TableInfo[]): DropPreview {
  return { tables: order.map((t) => ({ full_name: t.full_name, rows: t.row_count })) };
}

/**
 * Drops the previewed tables, dependents first, only if `confirm` names exactly those tables:
 * a table declared since the preview makes the drop refuse instead of taking it along unseen.
 */
export async function dropTables(db: DbDriver, order: readonly TableInfo[], confirm: readonly string[]): Promise<void> {
  const names = order.map((t) => t.full_name);
  const same = names.length === confirm.length && names.every((n) => confirm.includes(n));
  if (!same) {
    throw appError(
      'CONFLICT',
      `Dropping now affects ${names.join(', ')}, which is not what was confirmed (${confirm.join(', ')}).`,
      {
        details: { tables: names },
        hint: 'Look at the new preview and confirm again; nothing was dropped.',
      },
    );
  }
  const drop = async (s: DbSession) => {
    for (const t of order) {
      await s.execute(`DROP TABLE ${s.dialect.qualify(t.schema, t.table_name)}`);
      // metadata the engine keeps outside the table (SQLite's row in ~joinery_table_meta) goes with it
      const extra = s.dialect.ddl.dropTableExtras(t.schema, t.table_name);
      if (extra) await s.execute(extra.sql, extra.params);
    }
  };
  if (db.dialect.capabilities.transactionalDdl) await db.transaction(drop);
  else await drop(db);
}
