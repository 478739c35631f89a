import type { JobsListInput, JobView } from '../../../shared/api/schemas/jobs';
import { toAttributeV2 } from '../../../shared/model/attribute-v2';
import { v2QueueCatalog } from '../db/catalog/v2-queue-catalog';
import { toDbValue } from '../data/values';
import type { DbSession, Row } from '../db/driver';
import { readJobViews } from './job-state';
import { V2_QUEUE_COLUMNS, v2QueueName } from './queue/datajoint2-read';

/**
 * The jobs of DataJoint 2.x schemas for jobs.list. A 2.x queue row has no key hash to join
 * Joinery's leases on in SQL (the hash is computed from the key's values), so these jobs are
 * joined, filtered and sorted here, and merged with the page of the 0.14 schemas.
 */

type Filters = Omit<JobsListInput, 'connectionId' | 'schemas'>;

/** The status a job is listed and filtered by: a live lease's state, else the queue's status, else the lease's. */
export function shownStatus(v: JobView): string {
  if (v.state === 'running' || v.state === 'cancel') return v.state;
  return v.status ?? v.state ?? 'reserved';
}

/** `YYYY-MM-DD HH:MM:SS`, as the filters give times. */
const dbTime = (t: string) => {
  const s = t.replace('T', ' ');
  return s.length === 16 ? `${s}:00` : s;
};

function matches(v: JobView, f: Filters): boolean {
  const shown = shownStatus(v);
  if (f.table && v.table_name !== f.table) return false;
  if (f.status && shown !== f.status) return false;
  if (f.statuses?.length && !(f.statuses as string[]).includes(shown)) return false;
  if (f.worker && v.worker !== f.worker && v.host !== f.worker) return false;
  if (f.error_text && !v.error_message.toLowerCase().includes(f.error_text.toLowerCase())) return false;
  if (f.key_hash && v.key_hash !== f.key_hash) return false;
  if (f.from && (v.timestamp === null || v.timestamp < dbTime(f.from))) return false;
  if (f.to && (v.timestamp === null || v.timestamp > dbTime(f.to))) return false;
  return true;
}

/** Every job of the 2.x `schemas` that a queue row or a lease row records, filtered as asked. */
export async function listV2Jobs(
  db: DbSession,
  schemas: readonly string[],
  f: Filters,
  decodeKey: (bytes: Buffer) => Row | null,
): Promise<JobView[]> {
  const out: JobView[] = [];
  for (const schema of schemas) {
    for (const v of await readJobViews(db, schema, decodeKey)) {
      // a pending or success row that no lease remembers is a key waiting, not a job (counted as pending)
      if (v.status === null && v.state === null) continue;
      if (matches(v, f)) out.push(v);
    }
  }
  return out;
}

const SORT_VALUE: Record<NonNullable<Filters['sort']>['by'], (v: JobView) => string | number | null> = {
  table: (v) => v.table_name,
  status: shownStatus,
  timestamp: (v) => v.timestamp,
  priority: (v) => v.priority,
  attempts: (v) => v.attempts,
  worker: (v) => v.worker,
  key_hash: (v) => v.key_hash,
};

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1; // as the databases sort NULL first
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** jobs.list's order: the sort column, then schema, table and key hash, all in one direction. */
export function jobOrder(f: Filters): (a: JobView, b: JobView) => number {
  const by = f.sort ? SORT_VALUE[f.sort.by] : null;
  const dir = f.sort?.desc ? -1 : 1;
  return (a, b) =>
    dir *
    ((by ? compare(by(a), by(b)) : 0) ||
      compare(a.schema, b.schema) ||
      compare(a.table_name, b.table_name) ||
      compare(a.key_hash, b.key_hash));
}

/**
 * Adds the error stacks of a page's 2.x error jobs (`with_stack`): the `<blob>` in each one's
 * queue row, read by key for the page only (a queue may hold many error rows).
 */
export async function addV2Stacks(
  db: DbSession,
  jobs: JobView[],
  decodeStack: (bytes: Buffer) => string | null,
): Promise<void> {
  const q = (c: string) => db.dialect.quoteIdent(c);
  for (const job of jobs) {
    if (job.status !== 'error' || !job.key) continue;
    const queue = v2QueueName(job.table_name);
    const found = await v2QueueCatalog(db, job.schema, queue, V2_QUEUE_COLUMNS);
    const attrs = (found?.keyColumns ?? []).map(toAttributeV2);
    if (attrs.length === 0 || attrs.some((a) => job.key![a.name] === undefined)) continue;
    const [row] = await db.query<{ s: unknown }>(
      `SELECT ${q('error_stack')} AS ${q('s')} FROM ${db.dialect.qualify(job.schema, queue)} WHERE ` +
        attrs.map((a) => `${q(a.name)} = ?`).join(' AND '),
      attrs.map((a) => toDbValue(a, job.key![a.name], db.dialect)),
    );
    if (!(row?.s instanceof Uint8Array)) continue;
    try {
      job.error_stack = decodeStack(Buffer.from(row.s));
    } catch {
      // a stack another client wrote that does not decode: the job is still listed
    }
  }
}
