import type { JobView } from '../../../shared/api/schemas/jobs';
import type { DbSession, Row } from '../db/driver';
import { parseKeyJson } from './job-keys';
import { columns } from './job-sql';
import { leaseTableIn } from './job-tables';
import { hiddenTables } from '../db/catalog/hidden-tables';
import { readerQueue, type QueueRow } from './queue';

/** A lease row as read. */
export type LeaseRow = {
  table_name: string;
  key_hash: string;
  key_json: string;
  state: 'running' | 'cancel' | 'waiting' | 'failed';
  priority: number;
  attempts: number;
  failures: number;
  worker: string;
  lease_until: number;
  not_before: number;
  reserved_host: string;
  reserved_pid: number;
  last_error: string;
};

const LEASE_COLUMNS = [
  'table_name',
  'key_hash',
  'key_json',
  'state',
  'priority',
  'attempts',
  'failures',
  'worker',
  'lease_until',
  'not_before',
  'reserved_host',
  'reserved_pid',
  'last_error',
];

/** Joinery's lease/attempt rows of a schema (none when the table was never made). */
export async function readLeaseRows(db: DbSession, schema: string, table?: string): Promise<LeaseRow[]> {
  const leases = leaseTableIn(await hiddenTables(db, schema));
  if (!leases) return [];
  const where = table ? ` WHERE ${db.dialect.quoteIdent('table_name')} = ?` : '';
  const rows = await db.query<LeaseRow>(
    `SELECT ${columns(db.dialect, LEASE_COLUMNS)} FROM ${db.dialect.qualify(schema, leases)}${where}`,
    table ? [table] : [],
  );
  return rows.map((r) => ({
    ...r,
    priority: Number(r.priority),
    attempts: Number(r.attempts),
    failures: Number(r.failures),
    lease_until: Number(r.lease_until),
    not_before: Number(r.not_before),
    reserved_pid: Number(r.reserved_pid),
  }));
}

/**
 * Every job of a schema Joinery or DataJoint knows about: the `~jobs` rows (DataJoint's and
 * Joinery's reservations, errors, ignores) joined with Joinery's lease rows (running, waiting for
 * a retry, failed, prioritised). Keys come from Joinery's JSON where it has one, else from the
 * `~jobs` key blob.
 */
export async function readJobViews(
  db: DbSession,
  schema: string,
  decodeKey: (b: Buffer) => Row | null,
  table?: string,
): Promise<JobView[]> {
  const hidden = await hiddenTables(db, schema);
  const jobs = (await readerQueue(hidden).read(db, schema, hidden)).filter((r) => !table || r.table_name === table);
  const leases = await readLeaseRows(db, schema, table);
  const byKey = new Map(leases.map((l) => [`${l.table_name}\0${l.key_hash}`, l]));
  const out: JobView[] = jobs.map((j) =>
    view(schema, j, byKey.get(`${j.table_name}\0${j.key_hash}`) ?? null, decodeKey),
  );
  const listed = new Set(jobs.map((j) => `${j.table_name}\0${j.key_hash}`));
  for (const l of leases) if (!listed.has(`${l.table_name}\0${l.key_hash}`)) out.push(view(schema, null, l, decodeKey));
  return out.sort((a, b) => `${a.table_name}\0${a.key_hash}`.localeCompare(`${b.table_name}\0${b.key_hash}`));
}

function view(schema: string, j: QueueRow | null, l: LeaseRow | null, decodeKey: (b: Buffer) => Row | null): JobView {
  const live = l !== null && (l.state === 'running' || l.state === 'cancel');
  const joinery =
    live && j !== null && j.status === 'reserved' && j.host === l.reserved_host && j.pid === l.reserved_pid;
  const name = (j?.table_name ?? l?.table_name)!;
  return {
    schema,
    table_name: name,
    full_name: `${schema}.${name}`,
    key_hash: (j?.key_hash ?? l?.key_hash)!,
    key: l ? parseKeyJson(l.key_json) : (j?.key_plain ?? (j?.key ? decodeKey(j.key) : null)),
    // a 2.x queue's pending and success rows are not jobs anyone holds
    status: j && j.status !== 'pending' && j.status !== 'success' ? j.status : null,
    state: l?.state ?? null,
    error_message: j?.error_message || (l?.state === 'waiting' ? l.last_error : ''),
    user: j?.user ?? '',
    host: j?.host ?? '',
    pid: j?.pid ?? 0,
    connection_id: j?.connection_id ?? 0,
    timestamp: j?.timestamp ?? null,
    joinery,
    priority: l?.priority ?? 0,
    attempts: l?.attempts ?? 0,
    failures: l?.failures ?? 0,
    worker: l?.worker ?? '',
    lease_until: live ? l.lease_until : null,
    not_before: l && l.state === 'waiting' && l.not_before > 0 ? l.not_before : null,
  };
}
