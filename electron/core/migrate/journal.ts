import os from 'node:os';
import type { MigrationRecord, MigrationState } from '../../../shared/api/schemas/migration';
import { appError } from '../../../shared/errors';
import type { MigrationPlan } from '../../../shared/migrate';
import { parseDefinition, resolveDefinition } from '../../../shared/model/definition';
import { createTableDdl } from '../../../shared/sql/ddl';
import { listSchemas } from '../db/catalog/read-catalog';
import type { DbDriver, DbSession } from '../db/driver';

/**
 * The migration journal: one row per migration in `~joinery_migration` of the schema of its
 * first table, holding the whole plan, the state and the copy position. Every step of the
 * executor reads its position from here, so a crashed migration resumes (or rolls back) where
 * it stopped. Hidden (`~`), so DataJoint Python ignores it.
 */
export const MIGRATION_TABLE = '~joinery_migration';

const DEFINITION = `# Joinery: schema migrations (journal)
id : varchar(16)
---
state : varchar(16)
summary : varchar(2000)
tables : text # target tables, comma separated
plan : longtext # the plan as JSON
progress : longtext # copy positions and checks as JSON
user = "" : varchar(255)
created : varchar(32)
updated : varchar(32)
error = null : text
`;

/** Where the copy of each table stands, and what verification found. */
export interface Progress {
  copy: Record<string, { after: unknown[] | null; rows: number; done: boolean }>;
  checks: Record<string, unknown> | null;
  /** Row counts of the new tables right after the swap (rollback refuses if they changed). */
  swappedCounts?: Record<string, number>;
  /** The server's clock just before the swap: new tables last written before it are unchanged since. */
  swapStamp?: string;
  /** The write blockers are gone from the kept-old tables (a finished apply dropped them). */
  unblocked?: boolean;
  /** Rolled back; the new tables (or shadows) wait under their shadow names to be dropped (aside.ts). */
  aside?: boolean;
}

/** A journal row with its plan parsed. */
export interface JournalEntry {
  id: string;
  schema: string;
  state: MigrationState;
  plan: MigrationPlan;
  progress: Progress;
  record: MigrationRecord;
}

async function ensureTable(db: DbSession, schema: string): Promise<void> {
  const t = resolveDefinition(parseDefinition(DEFINITION, { table: MIGRATION_TABLE }), {
    schema,
    tableName: MIGRATION_TABLE,
    lookup: () => undefined,
  });
  for (const s of createTableDdl(db.dialect.name, t)) await db.execute(s.sql, s.params);
}

const COLUMNS = ['id', 'state', 'summary', 'tables', 'plan', 'progress', 'user', 'created', 'updated'];

const now = () => new Date().toISOString();

/** Writes a new journal row for `plan` in state `planned`. */
export async function createEntry(db: DbDriver, plan: MigrationPlan): Promise<void> {
  await ensureTable(db, plan.homeSchema);
  const summary = plan.view.changes
    .map((c) => `${c.table}: ${c.detail}`)
    .join('; ')
    .slice(0, 2000);
  const tables = plan.view.tables.map((t) => t.target).join(',');
  await db.execute(
    `INSERT INTO ${db.dialect.qualify(plan.homeSchema, MIGRATION_TABLE)} (${COLUMNS.map((c) => db.dialect.quoteIdent(c)).join(', ')}) VALUES (?, 'planned', ?, ?, ?, ?, ?, ?, ?)`,
    [plan.id, summary, tables, encodeJson(plan), encodeJson({ copy: {}, checks: null }), userName(), now(), now()],
  );
}

/** Sets the state (and error), keeping the progress as it is unless given. */
export async function setState(
  db: DbSession,
  plan: MigrationPlan,
  state: MigrationState,
  extra: { progress?: Progress; error?: string | null } = {},
): Promise<void> {
  const sets = ['state = ?', 'updated = ?'];
  const params: unknown[] = [state, now()];
  if (extra.progress) {
    sets.push('progress = ?');
    params.push(encodeJson(extra.progress));
  }
  if (extra.error !== undefined) {
    sets.push('error = ?');
    params.push(extra.error);
  }
  await db.execute(
    `UPDATE ${db.dialect.qualify(plan.homeSchema, MIGRATION_TABLE)} SET ${sets.join(', ')} WHERE id = ?`,
    [...params, plan.id],
  );
}

/** Every migration of every schema, newest first. */
export async function listEntries(db: DbDriver): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for (const schema of await journalSchemas(db)) {
    const rows = await db
      .query(`SELECT * FROM ${db.dialect.qualify(schema, MIGRATION_TABLE)}`)
      .catch(async (e: unknown) => {
        // a schema dropped since it was listed has no history left to show; anything else is an error
        if ((await journalSchemas(db)).includes(schema)) throw e;
        return [];
      });
    for (const r of rows) out.push(toEntry(schema, r));
  }
  return out.sort((a, b) => b.record.created.localeCompare(a.record.created) || b.id.localeCompare(a.id));
}

/** One migration by id, or the latest one; NOT_FOUND names what exists. */
export async function findEntry(db: DbDriver, id: string | undefined): Promise<JournalEntry> {
  const all = await listEntries(db);
  const found = id === undefined ? all[0] : all.find((e) => e.id === id);
  if (!found)
    throw appError('NOT_FOUND', id ? `No migration ${id} in this database.` : 'This database has no migrations.', {
      details: { id: id ?? null },
      hint: all.length
        ? `Known: ${all
            .slice(0, 10)
            .map((e) => e.id)
            .join(', ')} (joinery migrate history).`
        : undefined,
    });
  return found;
}

/** Reads one journal row again (its progress may have moved). */
export async function reload(
  db: DbSession,
  plan: MigrationPlan,
): Promise<{ state: MigrationState; progress: Progress }> {
  const rows = await db.query(
    `SELECT state, progress FROM ${db.dialect.qualify(plan.homeSchema, MIGRATION_TABLE)} WHERE id = ?`,
    [plan.id],
  );
  const r = rows[0]!;
  return { state: String(r.state) as MigrationState, progress: decodeJson(String(r.progress)) as Progress };
}

/** Schemas that hold a journal (one catalog query for the hidden tables of every schema). */
async function journalSchemas(db: DbDriver): Promise<string[]> {
  const schemas = await listSchemas(db);
  if (schemas.length === 0) return [];
  const q = db.dialect.catalog.hiddenTables(schemas);
  const names = (await db.query<{ name: string }>(q.sql, q.params)).map((r) => r.name);
  return schemas.filter((s) => names.includes(`${s}.${MIGRATION_TABLE}`));
}

function toEntry(schema: string, r: Record<string, unknown>): JournalEntry {
  const plan = decodeJson(String(r.plan)) as MigrationPlan;
  const progress = decodeJson(String(r.progress)) as Progress;
  const state = String(r.state) as MigrationState;
  return {
    id: String(r.id),
    schema,
    state,
    plan,
    progress,
    record: {
      id: String(r.id),
      schema,
      state,
      tables: String(r.tables).split(',').filter(Boolean),
      summary: String(r.summary),
      user: String(r.user ?? ''),
      created: String(r.created),
      updated: String(r.updated),
      error: r.error === null || r.error === undefined ? null : String(r.error),
      checks: progress.checks,
    },
  };
}

function userName(): string {
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return os.hostname();
  }
}

/** JSON that keeps Buffers (binary key values) and bigints. */
export function encodeJson(v: unknown): string {
  return JSON.stringify(v, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (Buffer.isBuffer(raw)) return { $b64: raw.toString('base64') };
    if (typeof value === 'bigint') return { $big: value.toString() };
    return value;
  });
}

/** Reverses {@link encodeJson}. */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$b64 === 'string' && Object.keys(o).length === 1) return Buffer.from(o.$b64, 'base64');
      if (typeof o.$big === 'string' && Object.keys(o).length === 1) return BigInt(o.$big);
    }
    return v;
  });
}
