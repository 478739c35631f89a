import type { Restriction } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { DbDriver, Row } from '../db/driver';
import { buildTableJobs } from '../jobs/job-context';
import { ensureJobTables } from '../jobs/job-tables';
import { readTasks, type StoredTask } from '../jobs/task-store';
import { scanTodo } from '../jobs/todo';

/** Keys of one table that nobody holds and that are not waiting for a retry: what a scheduler may be given. */
export interface PendingTableKeys {
  table: TableInfo;
  task: StoredTask;
  keys: { key: Row; keyHash: string }[];
}

/**
 * The claimable keys of the selected auto-populated tables, in dependency order, with their tasks:
 * the same scan workers use before they claim (pending = key source minus table, minus keys held
 * in `~jobs` by anyone, minus keys waiting for their retry backoff).
 */
export async function claimableKeys(
  db: DbDriver,
  tables: readonly TableInfo[],
  sel: { schema?: string; table?: string; restriction?: Restriction },
  now: number,
): Promise<{ tables: PendingTableKeys[]; withoutTask: string[] }> {
  const tasks = new Map<string, StoredTask>();
  for (const schema of new Set(tables.filter((t) => !sel.schema || t.schema === sel.schema).map((t) => t.schema))) {
    await ensureJobTables(db, schema);
    for (const task of (await readTasks(db, schema)).values()) tasks.set(`${schema}.${task.table}`, task);
  }
  const { jobs, withoutTask } = buildTableJobs(db.dialect, tables, tasks, sel);
  const out: PendingTableKeys[] = [];
  for (const tj of jobs) {
    const scan = await scanTodo(db, tj, now);
    out.push({
      table: tj.table,
      task: tj.task,
      keys: scan.candidates.map((c) => ({ key: c.key, keyHash: c.keyHash })),
    });
  }
  return { tables: out, withoutTask };
}
