import { parseDefinition, resolveDefinition } from '../../../shared/model/definition';
import { createTableDdl } from '../../../shared/sql/ddl';
import type { DbDriver, DbSession } from '../db/driver';

/** Joinery's record of keys handed to a cluster (one row per key; hidden from DataJoint by its `~`). */
export const CLUSTER_JOB_TABLE = '~joinery_cluster_job';

const DEFINITION = `# Joinery: keys submitted to a cluster scheduler (Slurm, Kubernetes)
table_name : varchar(255)
key_hash : char(32)
---
key_json : text # the key as JSON
backend : varchar(16) # slurm | k8s
external_id : varchar(64) # Slurm job id (array: <job>_<index>), or the Kubernetes Job/index
state : varchar(32) # the scheduler's last known state (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, ...)
submissions = 1 : int unsigned # times this key was submitted (a time-out or node failure submits it again)
log_path = "" : varchar(1024) # the scheduler's output file of the last submission
submitted = 0 : bigint # ms since 1970
updated = 0 : bigint
`;

/** One key handed to a scheduler. */
export interface ClusterJobRow {
  table_name: string;
  key_hash: string;
  key_json: string;
  backend: string;
  external_id: string;
  state: string;
  submissions: number;
  log_path: string;
  submitted: number;
  updated: number;
}

const COLUMNS = [
  'table_name',
  'key_hash',
  'key_json',
  'backend',
  'external_id',
  'state',
  'submissions',
  'log_path',
  'submitted',
  'updated',
] as const;

/** States after which a scheduler will not run the job any more. */
export const FINAL_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'OUT_OF_MEMORY',
  'DEADLINE',
  'GONE',
]);
/** Final states that say nothing about the task: the key is submitted again while its retries last. */
export const LOST_STATES = new Set(['TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

const ensured = new WeakMap<DbDriver, Set<string>>();

/** Creates the table in `schema` when missing (once per driver and schema). */
export async function ensureClusterTable(db: DbDriver, schema: string): Promise<void> {
  const done = ensured.get(db) ?? new Set<string>();
  ensured.set(db, done);
  if (done.has(schema)) return;
  const table = resolveDefinition(parseDefinition(DEFINITION, { table: CLUSTER_JOB_TABLE }), {
    schema,
    tableName: CLUSTER_JOB_TABLE,
    lookup: () => undefined,
  });
  for (const st of createTableDdl(db.dialect.name, table)) await db.execute(st.sql, st.params);
  done.add(schema);
}

/** Rows of one schema, optionally of one table. */
export async function readClusterJobs(db: DbSession, schema: string, table?: string): Promise<ClusterJobRow[]> {
  const q = (s: string) => db.dialect.quoteIdent(s);
  const rows = await db.query(
    `SELECT ${COLUMNS.map(q).join(', ')} FROM ${db.dialect.qualify(schema, CLUSTER_JOB_TABLE)}${table ? ` WHERE ${q('table_name')} = ?` : ''}`,
    table ? [table] : [],
  );
  return rows.map((r) => ({
    table_name: String(r.table_name),
    key_hash: String(r.key_hash),
    key_json: String(r.key_json),
    backend: String(r.backend),
    external_id: String(r.external_id),
    state: String(r.state),
    submissions: Number(r.submissions),
    log_path: String(r.log_path),
    submitted: Number(r.submitted),
    updated: Number(r.updated),
  }));
}

/** Records submissions (replacing an earlier row of the same key), all in one transaction. */
export async function writeClusterJobs(db: DbDriver, schema: string, rows: readonly ClusterJobRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = (s: string) => db.dialect.quoteIdent(s);
  const t = db.dialect.qualify(schema, CLUSTER_JOB_TABLE);
  await db.transaction(async (tx) => {
    for (const r of rows) {
      await tx.execute(`DELETE FROM ${t} WHERE ${q('table_name')} = ? AND ${q('key_hash')} = ?`, [
        r.table_name,
        r.key_hash,
      ]);
      await tx.execute(
        `INSERT INTO ${t} (${COLUMNS.map(q).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
        COLUMNS.map((c) => r[c]),
      );
    }
  });
}

/** Sets the scheduler state of keys, by external id. */
export async function updateClusterStates(
  db: DbDriver,
  schema: string,
  states: ReadonlyMap<string, string>,
  now: number,
): Promise<void> {
  if (states.size === 0) return;
  const q = (s: string) => db.dialect.quoteIdent(s);
  const t = db.dialect.qualify(schema, CLUSTER_JOB_TABLE);
  await db.transaction(async (tx) => {
    for (const [id, state] of states)
      await tx.execute(`UPDATE ${t} SET ${q('state')} = ?, ${q('updated')} = ? WHERE ${q('external_id')} = ?`, [
        state,
        now,
        id,
      ]);
  });
}
