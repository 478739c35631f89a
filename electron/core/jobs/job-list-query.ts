import type { JobsListInput, JobView } from '../../../shared/api/schemas/jobs';
import type { SqlDialect } from '../../../shared/sql/dialect';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbSession, Row } from '../db/driver';
import { parseKeyJson } from './job-keys';
import { leaseTableIn } from './job-tables';
import { datajointJobs, readerQueue } from './queue';
import { addV2Stacks, jobOrder, listV2Jobs } from './job-list-v2';

/**
 * One page of jobs, filtered and sorted in the database: the `~jobs` rows of each schema joined
 * with Joinery's lease rows, plus the lease rows `~jobs` lacks (waiting for a retry, prioritised),
 * as one UNION. Only the page's keys are decoded, so a screen over 100k jobs stays fluid. The
 * count is its own statement, run beside the page: `~jobs` is DataJoint's table (no index may be
 * added), so each is at most one scan, and the default order (its primary key) is no scan at all.
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

/**
 * The page and the number of jobs matching the filters, across `schemas`. 0.14 schemas are paged
 * in the database; the jobs of 2.x schemas (see job-list-v2) are merged into that page in order.
 */
export async function listJobsPage(
  db: DbSession,
  schemas: readonly string[],
  f: Filters,
  decode: JobBlobDecoders,
): Promise<{ jobs: JobView[]; total: number }> {
  const v014: string[] = [];
  const v2: string[] = [];
  for (const schema of schemas)
    (readerQueue(await hiddenTables(db, schema)).conventions === '2' ? v2 : v014).push(schema);
  if (v2.length === 0) return listSqlPage(db, v014, f, decode);
  const extra = await listV2Jobs(db, v2, f, decode.key);
  const head = v014.length
    ? await listSqlPage(db, v014, { ...f, offset: 0, limit: f.offset + f.limit }, decode)
    : { jobs: [], total: 0 };
  const jobs = [...head.jobs, ...extra].sort(jobOrder(f)).slice(f.offset, f.offset + f.limit);
  if (f.with_stack) {
    const fromV2 = new Set(v2);
    await addV2Stacks(
      db,
      jobs.filter((j) => fromV2.has(j.schema)),
      decode.stack,
    );
  }
  return { jobs, total: head.total + extra.length };
}

async function listSqlPage(
  db: DbSession,
  schemas: readonly string[],
  f: Filters,
  decode: JobBlobDecoders,
): Promise<{ jobs: JobView[]; total: number }> {
  const d = db.dialect;
  const found: { schema: string; branches: Branch[] }[] = [];
  for (const schema of schemas) {
    const have = await hiddenTables(db, schema);
    // an empty lease table (DataJoint-only work) needs no join: the cheap probe saves one per job
    const leaseTable = leaseTableIn(have);
    const leases =
      leaseTable !== null && (await db.query(`SELECT 1 FROM ${d.qualify(schema, leaseTable)} LIMIT 1`)).length > 0;
    const branches = sourceBranches(d, schema, datajointJobs.exists(have), leases ? leaseTable : null);
    if (branches.length) found.push({ schema, branches });
  }
  if (found.length === 0) return { jobs: [], total: 0 };
  const { page, total } = await pageKeys(db, found, f);
  const rows = await readWideRows(db, found, page, f.with_stack);
  const byId = new Map(rows.map((r) => [`${String(r.s)}.${String(r.table_name)}:${String(r.key_hash)}`, r]));
  const jobs: JobView[] = [];
  for (const k of page) {
    const r = byId.get(`${k.s}.${k.table_name}:${k.key_hash}`);
    if (r) jobs.push(toView(r, decode));
  }
  return { jobs, total };
}

/**
 * The page's keys and the number of matching jobs. Narrow rows first (key and sort column,
 * filters applied in each branch); the caller reads wide rows for the page only.
 */
async function pageKeys(
  db: DbSession,
  found: readonly { schema: string; branches: Branch[] }[],
  f: Filters,
): Promise<{ page: { s: string; table_name: string; key_hash: string }[]; total: number }> {
  const d = db.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const counts: string[] = [];
  const keys: string[] = [];
  const countParams: unknown[] = [];
  const keyParams: unknown[] = [];
  const sortCol = f.sort ? SORT_COLUMNS[f.sort.by] : null;
  const desc = Boolean(f.sort?.desc);
  const limit = Math.floor(f.limit);
  const offset = Math.floor(f.offset);
  const single = found.length === 1 && found[0]!.branches.length === 1;
  for (const { schema, branches } of found) {
    for (const b of branches) {
      const where = whereClause(d, b, f);
      counts.push(`SELECT COUNT(*) AS ${q('n')} ${b.from}${where.sql}`);
      countParams.push(...where.params);
      const sortExpr = sortCol ? `, ${b.col[sortCol]} AS ${q('o')}` : '';
      // each branch in the page's order, cut at the page's end: with the default order its primary
      // key hands the rows over in order, so a page costs a few rows read, not a sort of every job
      // a column this source lacks is the constant NULL: nothing to sort by (PostgreSQL refuses it)
      const order = [...(sortCol ? [b.col[sortCol]!] : []), b.col.table_name, b.col.key_hash]
        .filter((c) => c !== 'NULL')
        .map((c) => d.orderItem(c, desc));
      const rows = `SELECT ? AS ${q('s')}, ${b.col.table_name} AS ${q('table_name')}, ${b.col.key_hash} AS ${q('key_hash')}${sortExpr} ${b.from}${where.sql}`;
      const select = `${rows} ORDER BY ${order.join(', ')}`;
      // a source without the sort column (a NULL there) is left whole: cut apart, PostgreSQL would type
      // its NULL as text and refuse the union with the other sources' timestamps; such sources are small
      const untyped = sortCol !== null && b.col[sortCol] === 'NULL';
      keys.push(
        single ? select : untyped ? rows : `SELECT * FROM (${select} LIMIT ${offset + limit}) ${q(`b${keys.length}`)}`,
      );
      keyParams.push(schema, ...where.params);
    }
  }
  const order = [
    ...(sortCol ? [d.orderItem(`k.${q('o')}`, desc)] : []),
    ...['s', 'table_name', 'key_hash'].map((c) => d.orderItem(`k.${q(c)}`, desc)),
  ];
  const pageSql = single
    ? `${keys[0]} LIMIT ${limit} OFFSET ${offset}`
    : `SELECT k.${q('s')}, k.${q('table_name')}, k.${q('key_hash')} FROM (${keys.join(' UNION ALL ')}) k ORDER BY ${order.join(', ')} LIMIT ${limit} OFFSET ${offset}`;
  // the count apart from the page (a window count over the page's query made the database
  // materialise and sort every matching job), both at once where the driver has several connections
  const [page, total] = await Promise.all([
    db.query<{ s: string; table_name: string; key_hash: string }>(pageSql, keyParams),
    db
      .query<{ n: number | string | null }>(
        `SELECT SUM(${q('n')}) AS ${q('n')} FROM (${counts.join(' UNION ALL ')}) c`,
        countParams,
      )
      .then((r) => Number(r[0]?.n ?? 0)),
  ]);
  return { page, total };
}

/** Every column of the page's jobs, by primary key. */
async function readWideRows(
  db: DbSession,
  found: readonly { schema: string; branches: Branch[] }[],
  page: readonly { s: string; table_name: string; key_hash: string }[],
  stack: boolean,
): Promise<Row[]> {
  const out: Row[] = [];
  for (const { schema, branches } of found) {
    const mine = page.filter((k) => k.s === schema);
    if (mine.length === 0) continue;
    for (const b of branches) {
      const pairs = mine.map(() => '(?, ?)').join(', ');
      const where = `${b.where ? `${b.where} AND ` : ''}(${b.col.table_name}, ${b.col.key_hash}) IN (${pairs})`;
      out.push(
        ...(await db.query(
          `SELECT ? AS ${db.dialect.quoteIdent('s')}, ${wideColumns(db.dialect, b, stack)} ${b.from} WHERE ${where}`,
          [schema, ...mine.flatMap((k) => [k.table_name, k.key_hash])],
        )),
      );
    }
  }
  return out;
}

/** One source of jobs: `~jobs` (joined with the leases), or the leases `~jobs` lacks; SQL expressions by column. */
interface Branch {
  /** `FROM ...` with joins. */
  from: string;
  /** A condition every row of the branch meets (the leases without a `~jobs` row), or ''. */
  where: string;
  col: Record<string, string>;
  hasJobs: boolean;
  hasLeases: boolean;
}

function sourceBranches(d: SqlDialect, schema: string, hasJobs: boolean, leaseTable: string | null): Branch[] {
  const q = (c: string) => d.quoteIdent(c);
  // the columns read are DataJoint 0.14's `~jobs` (2.x schemas are listed by job-list-v2)
  const jobs = d.qualify(schema, datajointJobs.tables(schema)[0]!.tableName);
  const hasLeases = leaseTable !== null;
  const leases = leaseTable ? d.qualify(schema, leaseTable) : '';
  const j = (c: string) => `j.${q(c)}`;
  const l = (c: string) => `l.${q(c)}`;
  // two enums of different types (`~jobs` status, lease state) meet in one CASE: compared as text
  const shown = (statusEnum: string, stateEnum: string) => {
    const [status, state] = [statusEnum, stateEnum].map((e) => (e === 'NULL' ? e : d.asText(e)));
    return (
      `CASE WHEN ${state} IN ('running', 'cancel') THEN ${state} WHEN ${status} IS NOT NULL THEN ${status} ` +
      `ELSE COALESCE(${state}, 'reserved') END`
    );
  };
  const waitingError = `CASE WHEN ${d.asText(l('state'))} = 'waiting' THEN ${l('last_error')} ELSE '' END`;
  const leaseCol = (c: string, has: boolean) => (has ? l(c) : 'NULL');
  const out: Branch[] = [];
  if (hasJobs) {
    out.push({
      from: `FROM ${jobs} j${hasLeases ? ` LEFT JOIN ${leases} l ON ${l('table_name')} = ${j('table_name')} AND ${l('key_hash')} = ${j('key_hash')}` : ''}`,
      where: '',
      hasJobs: true,
      hasLeases,
      col: {
        table_name: j('table_name'),
        key_hash: j('key_hash'),
        shown: shown(j('status'), leaseCol('state', hasLeases)),
        error_message: hasLeases
          ? `CASE WHEN ${j('error_message')} <> '' THEN ${j('error_message')} ELSE ${waitingError} END`
          : j('error_message'),
        worker: leaseCol('worker', hasLeases),
        host: j('host'),
        ts: j('timestamp'),
        priority: leaseCol('priority', hasLeases),
        attempts: leaseCol('attempts', hasLeases),
      },
    });
  }
  if (hasLeases) {
    out.push({
      from: `FROM ${leases} l`,
      where: hasJobs
        ? `NOT EXISTS (SELECT 1 FROM ${jobs} j WHERE ${j('table_name')} = ${l('table_name')} AND ${j('key_hash')} = ${l('key_hash')})`
        : '',
      hasJobs: false,
      hasLeases: true,
      col: {
        table_name: l('table_name'),
        key_hash: l('key_hash'),
        shown: shown('NULL', l('state')),
        error_message: waitingError,
        worker: l('worker'),
        host: "''",
        ts: 'NULL',
        priority: l('priority'),
        attempts: l('attempts'),
      },
    });
  }
  return out;
}

/** The columns toView reads, from one branch. */
function wideColumns(d: SqlDialect, b: Branch, stack: boolean): string {
  const q = (c: string) => d.quoteIdent(c);
  const j = (c: string) => (b.hasJobs ? `j.${q(c)}` : 'NULL');
  const l = (c: string) => (b.hasLeases ? `l.${q(c)}` : 'NULL');
  const cols: [string, string][] = [
    ['table_name', b.col.table_name!],
    ['key_hash', b.col.key_hash!],
    ['status', j('status')],
    ['jkey', j('key')],
    ['error_message', b.col.error_message!],
    ['user', b.hasJobs ? j('user') : "''"],
    ['host', b.col.host!],
    ['pid', b.hasJobs ? j('pid') : '0'],
    ['connection_id', b.hasJobs ? j('connection_id') : '0'],
    ['ts', b.col.ts!],
    ['error_stack', stack ? j('error_stack') : 'NULL'],
    ...['key_json', 'state', 'priority', 'attempts', 'failures', 'worker', 'lease_until', 'not_before']
      .concat(['reserved_host', 'reserved_pid', 'last_error', 'started'])
      .map((c): [string, string] => [c, l(c)]),
  ];
  return cols.map(([name, expr]) => `${expr} AS ${q(name)}`).join(', ');
}

function whereClause(d: SqlDialect, b: Branch, f: Filters): { sql: string; params: unknown[] } {
  const conds: string[] = b.where ? [b.where] : [];
  const params: unknown[] = [];
  const c = b.col;
  if (f.table) {
    conds.push(`${c.table_name} = ?`);
    params.push(f.table);
  }
  for (const set of [f.status ? [f.status] : null, f.statuses?.length ? f.statuses : null]) {
    if (!set) continue;
    conds.push(`${c.shown} IN (${set.map(() => '?').join(', ')})`);
    params.push(...set);
  }
  if (f.worker) {
    conds.push(`(${c.worker} = ? OR ${c.host} = ?)`);
    params.push(f.worker, f.worker);
  }
  if (f.error_text) {
    conds.push(`${c.error_message} ${d.likeNoCase} ? ESCAPE '!'`);
    params.push(`%${f.error_text.replace(/[!%_]/g, (ch) => `!${ch}`)}%`);
  }
  if (f.key_hash) {
    conds.push(`${c.key_hash} = ?`);
    params.push(f.key_hash);
  }
  if (f.from) {
    conds.push(`${c.ts} >= ?`);
    params.push(dbTime(f.from));
  }
  if (f.to) {
    conds.push(`${c.ts} <= ?`);
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
