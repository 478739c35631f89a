import type { JobsListInput, JobView } from '../../../shared/api/schemas/jobs';
import type { SqlDialect } from '../../../shared/sql/dialect';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbSession, Row } from '../db/driver';
import { parseKeyJson } from './job-keys';
import { JOB_TABLE } from './job-tables';
import { JOBS_TABLE } from './jobs-table';

/**
 * One page of jobs, filtered and sorted in the database: the `~jobs` rows of each schema joined
 * with Joinery's lease rows, plus the lease rows `~jobs` lacks (waiting for a retry, prioritised),
 * as one UNION. Only the page's keys are decoded, so a screen over 100k jobs stays fluid.
 */

type Filters = Omit<JobsListInput, 'connectionId' | 'schemas'>;

/** Decoders for the blobs of `~jobs` (the key dict, DataJoint's error stack). */
export interface JobBlobDecoders {
  key(bytes: Buffer): Row | null;
  stack(bytes: Buffer): string | null;
}

const SORT_COLUMNS: Record<NonNullable<Filters['sort']>['by'], string> = {
  table: 'table_name',
  status: 'shown',
  timestamp: 'ts',
  priority: 'priority',
  attempts: 'attempts',
  worker: 'worker',
  key_hash: 'key_hash',
};

/** The page and the number of jobs matching the filters, across `schemas`. */
export async function listJobsPage(
  db: DbSession,
  schemas: readonly string[],
  f: Filters,
  decode: JobBlobDecoders,
): Promise<{ jobs: JobView[]; total: number }> {
  const branches: string[] = [];
  const branchParams: unknown[] = [];
  for (const schema of schemas) {
    const have = await hiddenTables(db, schema);
    for (const sql of unionBranches(db.dialect, schema, have.has(JOBS_TABLE), have.has(JOB_TABLE), f.with_stack)) {
      branches.push(sql);
      branchParams.push(schema);
    }
  }
  if (branches.length === 0) return { jobs: [], total: 0 };
  const q = (c: string) => db.dialect.quoteIdent(c);
  const from = `FROM (${branches.join(' UNION ALL ')}) v`;
  const where = whereClause(q, f);
  const params = [...branchParams, ...where.params];
  const [count] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n ${from}${where.sql}`, params);
  const dir = f.sort?.desc ? 'DESC' : 'ASC';
  const ties = ['s', 'table_name', 'key_hash'].map((c) => `v.${q(c)} ${dir}`);
  const order = [...(f.sort ? [`v.${q(SORT_COLUMNS[f.sort.by])} ${dir}`] : []), ...ties].join(', ');
  const rows = await db.query(
    `SELECT * ${from}${where.sql} ORDER BY ${order} LIMIT ${Math.floor(f.limit)} OFFSET ${Math.floor(f.offset)}`,
    params,
  );
  return { jobs: rows.map((r) => toView(r, decode)), total: Number(count?.n ?? 0) };
}

/** The SELECTs of one schema: `~jobs` left-joined with leases, and the leases without a `~jobs` row. */
function unionBranches(d: SqlDialect, schema: string, hasJobs: boolean, hasLeases: boolean, stack: boolean): string[] {
  const q = (c: string) => d.quoteIdent(c);
  const jobs = d.qualify(schema, JOBS_TABLE);
  const leases = d.qualify(schema, JOB_TABLE);
  const j = (c: string) => `j.${q(c)}`;
  const l = (c: string) => `l.${q(c)}`;
  const leaseCols = (has: boolean) =>
    ['key_json', 'state', 'priority', 'attempts', 'failures', 'worker', 'lease_until', 'not_before']
      .concat(['reserved_host', 'reserved_pid', 'last_error', 'started'])
      .map((c) => (has ? `${l(c)} AS ${q(c)}` : `NULL AS ${q(c)}`));
  const shown = (status: string, state: string) =>
    `CASE WHEN ${state} IN ('running', 'cancel') THEN ${state} WHEN ${status} IS NOT NULL THEN ${status} ` +
    `ELSE COALESCE(${state}, 'reserved') END AS ${q('shown')}`;
  const waitingError = (has: boolean) =>
    has ? `CASE WHEN ${l('state')} = 'waiting' THEN ${l('last_error')} ELSE '' END` : "''";
  const out: string[] = [];
  if (hasJobs) {
    const cols = [
      `? AS ${q('s')}`,
      `${j('table_name')} AS ${q('table_name')}`,
      `${j('key_hash')} AS ${q('key_hash')}`,
      `${j('status')} AS ${q('status')}`,
      `${j('key')} AS ${q('jkey')}`,
      `CASE WHEN ${j('error_message')} <> '' THEN ${j('error_message')} ELSE ${waitingError(hasLeases)} END AS ${q('error_message')}`,
      ...['user', 'host', 'pid', 'connection_id'].map((c) => `${j(c)} AS ${q(c)}`),
      `${j('timestamp')} AS ${q('ts')}`,
      stack ? `${j('error_stack')} AS ${q('error_stack')}` : `NULL AS ${q('error_stack')}`,
      ...leaseCols(hasLeases),
      shown(j('status'), hasLeases ? l('state') : 'NULL'),
    ];
    const join = hasLeases
      ? ` LEFT JOIN ${leases} l ON ${l('table_name')} = ${j('table_name')} AND ${l('key_hash')} = ${j('key_hash')}`
      : '';
    out.push(`SELECT ${cols.join(', ')} FROM ${jobs} j${join}`);
  }
  if (hasLeases) {
    const cols = [
      `? AS ${q('s')}`,
      `${l('table_name')} AS ${q('table_name')}`,
      `${l('key_hash')} AS ${q('key_hash')}`,
      `NULL AS ${q('status')}`,
      `NULL AS ${q('jkey')}`,
      `${waitingError(true)} AS ${q('error_message')}`,
      `'' AS ${q('user')}`,
      `'' AS ${q('host')}`,
      `0 AS ${q('pid')}`,
      `0 AS ${q('connection_id')}`,
      `NULL AS ${q('ts')}`,
      `NULL AS ${q('error_stack')}`,
      ...leaseCols(true),
      shown('NULL', l('state')),
    ];
    const orphan = hasJobs
      ? ` WHERE NOT EXISTS (SELECT 1 FROM ${jobs} j WHERE ${j('table_name')} = ${l('table_name')} AND ${j('key_hash')} = ${l('key_hash')})`
      : '';
    out.push(`SELECT ${cols.join(', ')} FROM ${leases} l${orphan}`);
  }
  return out;
}

function whereClause(q: (c: string) => string, f: Filters): { sql: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const v = (c: string) => `v.${q(c)}`;
  if (f.table) {
    conds.push(`${v('table_name')} = ?`);
    params.push(f.table);
  }
  for (const set of [f.status ? [f.status] : null, f.statuses?.length ? f.statuses : null]) {
    if (!set) continue;
    conds.push(`${v('shown')} IN (${set.map(() => '?').join(', ')})`);
    params.push(...set);
  }
  if (f.worker) {
    conds.push(`(${v('worker')} = ? OR ${v('host')} = ?)`);
    params.push(f.worker, f.worker);
  }
  if (f.error_text) {
    conds.push(`${v('error_message')} LIKE ? ESCAPE '!'`);
    params.push(`%${f.error_text.replace(/[!%_]/g, (c) => `!${c}`)}%`);
  }
  if (f.key_hash) {
    conds.push(`${v('key_hash')} = ?`);
    params.push(f.key_hash);
  }
  if (f.from) {
    conds.push(`${v('ts')} >= ?`);
    params.push(dbTime(f.from));
  }
  if (f.to) {
    conds.push(`${v('ts')} <= ?`);
    params.push(dbTime(f.to));
  }
  return { sql: conds.length ? ` WHERE ${conds.join(' AND ')}` : '', params };
}

/** `YYYY-MM-DD HH:MM:SS`, as both engines compare `~jobs` timestamps. */
function dbTime(t: string): string {
  const s = t.replace('T', ' ');
  return s.length === 16 ? `${s}:00` : s;
}

function toView(r: Row, decode: JobBlobDecoders): JobView {
  const n = (x: unknown) => (x === null || x === undefined ? null : Number(x));
  const state = (r.state ?? null) as JobView['state'];
  const status = (r.status ?? null) as JobView['status'];
  const live = state === 'running' || state === 'cancel';
  const bytes = (x: unknown) => (x instanceof Uint8Array ? Buffer.from(x) : null);
  const jkey = bytes(r.jkey);
  const stack = bytes(r.error_stack);
  return {
    schema: String(r.s),
    table_name: String(r.table_name),
    full_name: `${String(r.s)}.${String(r.table_name)}`,
    key_hash: String(r.key_hash),
    key: r.key_json != null ? parseKeyJson(String(r.key_json)) : jkey ? safe(() => decode.key(jkey)) : null,
    status,
    state,
    error_message: String(r.error_message ?? ''),
    user: String(r.user ?? ''),
    host: String(r.host ?? ''),
    pid: Number(r.pid ?? 0),
    connection_id: Number(r.connection_id ?? 0),
    timestamp: r.ts == null ? null : String(r.ts),
    joinery: live && status === 'reserved' && r.host === r.reserved_host && Number(r.pid) === Number(r.reserved_pid),
    priority: n(r.priority) ?? 0,
    attempts: n(r.attempts) ?? 0,
    failures: n(r.failures) ?? 0,
    worker: String(r.worker ?? ''),
    lease_until: live ? n(r.lease_until) : null,
    not_before: state === 'waiting' && Number(r.not_before) > 0 ? n(r.not_before) : null,
    started: Number(r.started) > 0 ? n(r.started) : null,
    error_stack: stack ? safe(() => decode.stack(stack)) : null,
  };
}

/** A blob another client wrote may not decode; the job is still listed. */
function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
