import { createHash } from 'node:crypto';
import { TaskSpec, type TaskInfo } from '../../../shared/api/schemas/task';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { DbDriver, DbSession } from '../db/driver';
import { ensureJobTables, TASK_TABLE } from './job-tables';
import { hiddenTables } from '../db/catalog/hidden-tables';

/** A task as the worker uses it. */
export interface StoredTask {
  schema: string;
  table: string;
  version: number;
  spec: TaskSpec;
  codeHash: string;
  updated: string | null;
}

/** JSON with object keys sorted, so equal specs compare equal whatever order they were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]),
      );
    }
    return v;
  });
}

/**
 * What the task runs, as one string for provenance: the image digest when the image is pinned
 * by digest (`name@sha256:...`), `inline:<name>` for in-process functions, otherwise a sha256 of
 * image, command and mode (the Docker runner records the digest it actually ran).
 */
export function codeHashOf(spec: TaskSpec): string {
  if (spec.image) {
    const at = spec.image.indexOf('@sha256:');
    if (at >= 0 && !spec.command) return spec.image.slice(at + 1);
  }
  if (spec.inline && !spec.image && !spec.command) return `inline:${spec.inline}`;
  const digest = createHash('sha256')
    .update(
      stableJson({
        image: spec.image ?? null,
        command: spec.command ?? null,
        inline: spec.inline ?? null,
        mode: spec.mode,
      }),
    )
    .digest('hex');
  return `sha256:${digest}`;
}

type TaskRow = { table_name: string; version: number | string; spec: string; updated: string | null };

function toStored(schema: string, r: TaskRow): StoredTask | null {
  const parsed = TaskSpec.safeParse(JSON.parse(r.spec) as unknown);
  if (!parsed.success) return null; // written by a newer Joinery, or by hand: ignored rather than run wrongly
  return {
    schema,
    table: r.table_name,
    version: Number(r.version),
    spec: parsed.data,
    codeHash: codeHashOf(parsed.data),
    updated: r.updated,
  };
}

/** The stored tasks of a schema by table name (none when Joinery never wrote any there). */
export async function readTasks(db: DbSession, schema: string): Promise<Map<string, StoredTask>> {
  const out = new Map<string, StoredTask>();
  if (!(await hiddenTables(db, schema)).has(TASK_TABLE)) return out;
  const q = (s: string) => db.dialect.quoteIdent(s);
  const rows = await db.query<TaskRow>(
    `SELECT ${q('table_name')}, ${q('version')}, ${q('spec')}, ${q('updated')} FROM ${db.dialect.qualify(schema, TASK_TABLE)}`,
  );
  for (const r of rows) {
    const t = toStored(schema, r);
    if (t) out.set(t.table, t);
  }
  return out;
}

/** Stores a task; the version goes up by one when the spec differs from the stored one. */
export async function writeTask(db: DbDriver, table: TableInfo, spec: TaskSpec): Promise<StoredTask> {
  await ensureJobTables(db, table.schema);
  const target = db.dialect.qualify(table.schema, TASK_TABLE);
  const q = (s: string) => db.dialect.quoteIdent(s);
  const text = stableJson(spec);
  await db.transaction(async (tx) => {
    const [row] = await tx.query<TaskRow>(
      `SELECT ${q('version')}, ${q('spec')} FROM ${target} WHERE ${q('table_name')} = ?`,
      [table.table_name],
    );
    if (!row) {
      await tx.execute(`INSERT INTO ${target} (${q('table_name')}, ${q('version')}, ${q('spec')}) VALUES (?, 1, ?)`, [
        table.table_name,
        text,
      ]);
    } else if (stableJson(JSON.parse(row.spec) as unknown) !== text) {
      await tx.execute(
        `UPDATE ${target} SET ${q('version')} = ${q('version')} + 1, ${q('spec')} = ?, ${q('updated')} = CURRENT_TIMESTAMP WHERE ${q('table_name')} = ?`,
        [text, table.table_name],
      );
    }
  });
  const stored = (await readTasks(db, table.schema)).get(table.table_name);
  if (!stored) throw new Error(`task of ${table.full_name} vanished after writing it`);
  return stored;
}

/** Removes a table's task; true when there was one. */
export async function deleteTask(db: DbDriver, table: TableInfo): Promise<boolean> {
  if (!(await hiddenTables(db, table.schema)).has(TASK_TABLE)) return false;
  const res = await db.execute(
    `DELETE FROM ${db.dialect.qualify(table.schema, TASK_TABLE)} WHERE ${db.dialect.quoteIdent('table_name')} = ?`,
    [table.table_name],
  );
  return res.affectedRows > 0;
}

/** The API form of a stored task. */
export function toTaskInfo(t: StoredTask, table: TableInfo): TaskInfo {
  return {
    schema: t.schema,
    table: t.table,
    full_name: table.full_name,
    class_name: table.class_name,
    version: t.version,
    code_hash: t.codeHash,
    spec: t.spec,
    updated: t.updated,
  };
}

/** The tasks of every schema that holds one of `tables` (only `schema` when given), by `schema.table`. */
export async function readTasksOf(
  db: DbSession,
  tables: readonly TableInfo[],
  schema?: string,
): Promise<Map<string, StoredTask>> {
  const out = new Map<string, StoredTask>();
  for (const s of new Set(tables.filter((t) => !schema || t.schema === schema).map((t) => t.schema))) {
    for (const task of (await readTasks(db, s)).values()) out.set(`${s}.${task.table}`, task);
  }
  return out;
}
