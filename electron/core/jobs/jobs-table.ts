import type { JobInfo } from '../../../shared/api/schemas/pipeline';
import type { DbSession } from '../db/driver';

/** DataJoint's per-schema job reservation table (datajoint.md §3). */
export const JOBS_TABLE = '~jobs';

/** One `~jobs` row as stored; `key` is the dj0 blob of the key dict. */
export type JobRow = {
  table_name: string;
  key_hash: string;
  status: 'reserved' | 'error' | 'ignore';
  key: Buffer | null;
  error_message: string;
  user: string;
  host: string;
  pid: number;
  connection_id: number;
  timestamp: string | null;
};

/** All rows of a schema's `~jobs`, or none when the table does not exist yet (it is made lazily). */
export async function readJobRows(db: DbSession, schema: string, hiddenTables: readonly string[]): Promise<JobRow[]> {
  if (!hiddenTables.includes(JOBS_TABLE)) return [];
  const cols = [
    'table_name',
    'key_hash',
    'status',
    'key',
    'error_message',
    'user',
    'host',
    'pid',
    'connection_id',
    'timestamp',
  ];
  const rows = await db.query<JobRow>(
    `SELECT ${cols.map((c) => db.dialect.quoteIdent(c)).join(', ')} FROM ${db.dialect.qualify(schema, JOBS_TABLE)} ORDER BY table_name, key_hash`,
  );
  return rows.map((r) => ({ ...r, pid: Number(r.pid), connection_id: Number(r.connection_id) }));
}

/** A job row for the API, with its key decoded by `decodeKey`. */
export function toJobInfo(row: JobRow, decodeKey: (bytes: Buffer) => Record<string, unknown> | null): JobInfo {
  return {
    table_name: row.table_name,
    key_hash: row.key_hash,
    status: row.status,
    key_plain: row.key ? decodeKey(row.key) : null,
    error_message: row.error_message,
  };
}
