import type { ResolvedTable } from '../../../shared/model/definition/heading';
import { parseDefinition, resolveDefinition } from '../../../shared/model/definition';
import type { CompiledSql } from '../../../shared/sql/dialect';
import { createTableDdl } from '../../../shared/sql/ddl';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbDriver, DbSession } from '../db/driver';
import { ensureEnumMember } from '../db/enum-member';
import { jobQueue } from './queue';
import { appError } from '../../../shared/errors';

/**
 * Joinery's own job state, per schema, in hidden tables that DataJoint Python ignores (their
 * names start with `~`). They hold what DataJoint's `~jobs` lacks: tasks, leases, attempts,
 * priority, runs, provenance, the result cache and callbacks. Created lazily and idempotently.
 */
export const TASK_TABLE = '~joinery_task';
/** Leases, attempts and priorities: one row per key Joinery holds or remembers. */
export const LEASE_TABLE = '~joinery_lease';
/**
 * The lease table's name before Joinery 0.2. Found in a schema, it is renamed to
 * {@link LEASE_TABLE} the first time Joinery writes job state there (see {@link ensureJobTables});
 * until then readers read it under its old name.
 */
export const OLD_LEASE_TABLE = '~joinery_job';
export const RUN_TABLE = '~joinery_run';
export const PROVENANCE_TABLE = '~joinery_provenance';
export const CACHE_TABLE = '~joinery_cache';
export const CALLBACK_TABLE = '~joinery_callback';

const DEFINITIONS: Record<string, string> = {
  [TASK_TABLE]: `# Joinery: how each auto-populated table computes a key
table_name : varchar(255) # table (bare name, as in ~jobs)
---
version : int unsigned # increases whenever the spec changes
spec : longtext # the task as JSON
updated = CURRENT_TIMESTAMP : timestamp
`,
  // one row per key that Joinery holds or remembers (leased, waiting for a retry, failed, prioritised);
  // no secondary index on purpose: the hot statements go by primary key, and a secondary index's
  // gap locks would make concurrent workers' claims and commits wait for each other

  [LEASE_TABLE]: `# Joinery: leases, attempts and priority of jobs (what ~jobs lacks)
table_name : varchar(255)
key_hash : char(32)
---
key_json : text # the key as canonical JSON
state : enum('running','cancel','waiting','failed')
priority = 0 : int
attempts = 0 : int unsigned # attempts started
failures = 0 : int unsigned # attempts that failed (counted against the retry budget)
losses = 0 : int unsigned # attempts lost with their worker (lease expired)
worker = "" : varchar(255) # worker holding the lease
lease_until = 0 : bigint # ms since 1970 on the database clock
not_before = 0 : bigint # earliest retry, ms since 1970
reserved_host = "" : varchar(255) # host and pid written into ~jobs, to clean only our own rows
reserved_pid = 0 : int unsigned
started = 0 : bigint
last_error = "" : varchar(2047)
`,
  // every attempt, successes included (before Joinery 0.3 successes lived only in ~joinery_provenance,
  // which keeps one row per computed key: see widenRunStatus)
  [RUN_TABLE]: `# Joinery: attempts of jobs
run_id : bigint unsigned auto_increment
---
table_name : varchar(255)
key_hash : char(32)
attempt : int unsigned
status : enum('error','lost','cancelled','released','success')
runner : varchar(32)
worker : varchar(255)
started : bigint
ended : bigint
exit_code = null : int
peak_memory = null : bigint # bytes
error_message = "" : varchar(2047)
log_tail = null : text
index(table_name, key_hash)
`,
  [PROVENANCE_TABLE]: `# Joinery: how each computed key was made (its successful run)
table_name : varchar(255)
key_hash : char(32)
---
key_json : text
attempt : int unsigned
task_version : int unsigned
code_hash : varchar(255) # image digest, or hash of the command, or inline:<name>
input_fingerprint : char(32) # md5 of the key and the declared inputs
runner : varchar(32)
worker : varchar(255)
started : bigint
ended : bigint
peak_memory = null : bigint
exit_code = null : int
cached = 0 : tinyint # 1 when the result was reused from the cache
log_tail = null : text
`,
  [CACHE_TABLE]: `# Joinery: results of cached tasks, by task version and input fingerprint
table_name : varchar(255)
task_version : int unsigned
input_fingerprint : char(32)
---
result : longtext # result.json as stored
created = CURRENT_TIMESTAMP : timestamp
`,
  [CALLBACK_TABLE]: `# Joinery: callbacks on insert and on job success or failure
callback_id : int unsigned auto_increment
---
table_name : varchar(255)
event : enum('insert','success','failure')
action : enum('webhook','command')
target : varchar(2047) # URL or shell command
seen_rows = null : bigint # insert callbacks: the row count last announced
created = CURRENT_TIMESTAMP : timestamp
`,
};

/** The resolved definition of one of Joinery's job tables. */
export function jobStateTable(schema: string, name: string): ResolvedTable {
  const definition = DEFINITIONS[name];
  if (!definition) throw new Error(`unknown job table ${name}`);
  return resolveDefinition(parseDefinition(definition, { table: name }), {
    schema,
    tableName: name,
    lookup: () => undefined,
  });
}

const ensured = new WeakMap<DbDriver, Map<string, Promise<void>>>();

/**
 * Creates `~jobs` and Joinery's job tables in `schema` when missing (CREATE ... IF NOT EXISTS, so
 * concurrent workers and DataJoint Python creating `~jobs` at the same time are harmless).
 * Remembered per driver, so the cost is paid once per process and schema.
 */
export function ensureJobTables(db: DbDriver, schema: string): Promise<void> {
  let perDb = ensured.get(db);
  if (!perDb) ensured.set(db, (perDb = new Map()));
  let done = perDb.get(schema);
  if (!done) {
    done = createAll(db, schema);
    perDb.set(schema, done);
    done.catch(() => perDb.delete(schema));
  }
  return done;
}

/** Forgets that `schema`'s job tables exist (after they were dropped), so the next use creates them again. */
export function forgetJobTables(db: DbDriver, schema: string): void {
  ensured.get(db)?.delete(schema);
}

async function createAll(db: DbDriver, schema: string): Promise<void> {
  await refuseV2Queues(db, schema);
  await renameOldLeaseTable(db, schema);
  await widenRunStatus(db, schema);
  const tables = [...jobQueue.tables(schema), ...Object.keys(DEFINITIONS).map((n) => jobStateTable(schema, n))];
  await runDdl(
    db,
    tables.flatMap((t) => createTableDdl(db.dialect, t)),
  );
}

/**
 * DataJoint 2.x keeps one `~~<table>` queue per table and never looks at `~jobs`: Joinery's
 * workers, which speak only 0.14's `~jobs` today, would compute keys that 2.x workers also
 * compute (seen: 24 to 45 of 300 keys twice). So Joinery keeps no job state in a 2.x schema.
 */
export async function refuseV2Queues(db: DbDriver, schema: string): Promise<void> {
  const hidden = await hiddenTables(db, schema);
  if (hidden.has('~jobs') || ![...hidden].some((h) => h === '~lineage' || h.startsWith('~~'))) return;
  throw appError(
    'UNSUPPORTED',
    `Schema ${schema} follows DataJoint 2 conventions (~lineage, per-table ~~ job queues); Joinery cannot run or track its jobs yet.`,
    {
      hint: `Populate ${schema} with DataJoint 2.x (populate(reserve_jobs=True)); Joinery reads its tables, values and queues.`,
      details: { schema, conventions: '2' },
    },
  );
}

async function runDdl(db: DbDriver, statements: readonly CompiledSql[]): Promise<void> {
  const run = async (s: DbSession) => {
    for (const st of statements) await s.execute(st.sql, st.params);
  };
  if (db.dialect.capabilities.transactionalDdl) await db.transaction(run);
  else await run(db);
}

/**
 * Renames a lease table of Joinery before 0.2 (`~joinery_job`) to {@link LEASE_TABLE}, keeping its
 * rows: leases, priorities and retry counters carry over. Renaming (rather than keeping the old
 * name forever) makes the hidden table's name say what it holds, and is one atomic statement on
 * both engines. Two processes racing to rename: the loser finds the new table and goes on.
 */
async function renameOldLeaseTable(db: DbDriver, schema: string): Promise<void> {
  const hidden = await hiddenTables(db, schema);
  if (!hidden.has(OLD_LEASE_TABLE) || hidden.has(LEASE_TABLE)) return;
  try {
    await runDdl(db, db.dialect.ddl.renameTable(schema, OLD_LEASE_TABLE, LEASE_TABLE));
  } catch (e) {
    if (!(await hiddenTables(db, schema)).has(LEASE_TABLE)) throw e;
  }
}

/**
 * A run table of Joinery before 0.3 has no 'success' status (successes were only provenance):
 * the status gains it the first time Joinery writes job state there, keeping the rows and their
 * run ids. Until then readers list those successes from provenance, without a run id.
 */
async function widenRunStatus(db: DbDriver, schema: string): Promise<void> {
  if (!(await hiddenTables(db, schema)).has(RUN_TABLE)) return;
  await ensureEnumMember(db, {
    schema,
    table: RUN_TABLE,
    column: 'status',
    value: 'success',
    createAs: (tableName) => createTableDdl(db.dialect, { ...jobStateTable(schema, RUN_TABLE), tableName }),
  });
}

/** The name of a schema's lease table among its hidden tables (the old name where not yet renamed), or null. */
export function leaseTableIn(hidden: ReadonlySet<string>): string | null {
  return hidden.has(LEASE_TABLE) ? LEASE_TABLE : hidden.has(OLD_LEASE_TABLE) ? OLD_LEASE_TABLE : null;
}
