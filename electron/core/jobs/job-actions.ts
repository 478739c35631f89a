import type { JobSelector } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { checkValue } from '../../../shared/model/value-rules';
import type { DbDriver, DbSession, Row } from '../db/driver';
import { hashCanonicalKey } from './canonical-key-hash';
import { keyJson, parseKeyJson, type WorkerIdentity } from './job-keys';
import { ensureJobTables, LEASE_TABLE } from './job-tables';
import { hiddenTables } from '../db/catalog/hidden-tables';
import { readerQueue, resolveQueue, type QueueRow } from './queue';
import { readLeaseRows, type LeaseRow } from './job-state';

/** One selected job: its table, key hash, key (when known) and current rows. */
interface Target {
  table: TableInfo;
  keyHash: string;
  key: Row | null;
  job: QueueRow | null;
  lease: LeaseRow | null;
}

type KeyDecoder = (bytes: Buffer) => Row | null;

/**
 * Resolves a selector to jobs: given keys (hashed as DataJoint hashes them), given key hashes, or
 * every job with a status (a `~jobs` status or a Joinery state); status also filters keys and hashes.
 */
export async function selectJobs(
  db: DbSession,
  tables: readonly TableInfo[],
  sel: JobSelector,
  decodeKey: KeyDecoder,
): Promise<Target[]> {
  if (!sel.keys && !sel.key_hashes && !sel.status)
    throw appError('VALIDATION', 'Say which jobs: give keys, key hashes or a status.', {
      details: { field: 'status' },
    });
  const inSchema = tables.filter((t) => t.schema === sel.schema && (!sel.table || t.table_name === sel.table));
  if (sel.table && inSchema.length === 0)
    throw appError('NOT_FOUND', `There is no table ${sel.schema}.${sel.table}.`, { details: { table: sel.table } });
  const byName = new Map(inSchema.map((t) => [t.table_name, t]));
  const hidden = await hiddenTables(db, sel.schema);
  const jobs = (await readerQueue(hidden).read(db, sel.schema, hidden)).filter((j) => byName.has(j.table_name));
  const leases = (await readLeaseRows(db, sel.schema)).filter((l) => byName.has(l.table_name));
  const index = new Map<string, Target>();
  const at = (table: TableInfo, keyHash: string) => {
    const id = `${table.table_name}\0${keyHash}`;
    let t = index.get(id);
    if (!t) index.set(id, (t = { table, keyHash, key: null, job: null, lease: null }));
    return t;
  };
  for (const j of jobs)
    Object.assign(at(byName.get(j.table_name)!, j.key_hash), {
      job: j,
      key: j.key_plain ?? (j.key ? decodeKey(j.key) : null),
    });
  for (const l of leases)
    Object.assign(at(byName.get(l.table_name)!, l.key_hash), { lease: l, key: parseKeyJson(l.key_json) });
  let chosen: Target[];
  if (sel.keys) {
    if (!sel.table)
      throw appError('VALIDATION', 'Selecting jobs by key needs the table.', { details: { field: 'table' } });
    const table = byName.get(sel.table)!;
    chosen = sel.keys.map((k) => {
      const key = canonicalKey(table, k);
      return Object.assign(at(table, hashCanonicalKey(key, table)), { key });
    });
  } else if (sel.key_hashes) {
    const wanted = new Set(sel.key_hashes);
    chosen = [...index.values()].filter((t) => wanted.has(t.keyHash));
  } else {
    chosen = [...index.values()];
  }
  return sel.status ? chosen.filter((t) => t.job?.status === sel.status || t.lease?.state === sel.status) : chosen;
}

function canonicalKey(table: TableInfo, key: Row): Row {
  const out: Row = {};
  for (const [name, value] of Object.entries(key)) {
    const attr = table.attributes.find((a) => a.name === name && a.in_key);
    if (!attr)
      throw appError('VALIDATION', `"${name}" is not a primary-key attribute of ${table.full_name}.`, {
        details: { attribute: name },
      });
    const checked = checkValue(attr, value);
    if (!checked.ok)
      throw appError('VALIDATION', `key attribute "${name}" ${checked.reason}.`, { details: { attribute: name } });
    out[name] = checked.value;
  }
  return out;
}

const q = (db: DbSession, s: string) => db.dialect.quoteIdent(s);

function isJoineryLease(t: Target): boolean {
  return t.lease !== null && (t.lease.state === 'running' || t.lease.state === 'cancel');
}

/**
 * Makes jobs runnable again: error and ignore rows are deleted (DataJoint's way of clearing an
 * error) with the retry budget restored; keys waiting for a backoff may run at once. A reserved
 * row is cleared only when chosen explicitly and no live Joinery lease holds it (a dead
 * DataJoint worker's reservation, which DataJoint itself never cleans).
 */
export async function retryJobs(db: DbDriver, targets: readonly Target[], explicitReserved: boolean): Promise<number> {
  let n = 0;
  for (const t of targets) {
    if (t.lease) await ensureJobTables(db, t.table.schema); // renames a lease table of before 0.2
    const statuses: QueueRow['status'][] =
      explicitReserved && !isJoineryLease(t) ? ['error', 'ignore', 'reserved'] : ['error', 'ignore'];
    const queue = await resolveQueue(db, t.table.schema);
    n += await db.transaction(async (tx) => {
      const gone = await queue.clear(tx, t.table, { key: t.key ?? {}, keyHash: t.keyHash }, statuses);
      const lease =
        t.lease && !isJoineryLease(t)
          ? await tx.execute(
              `UPDATE ${tx.dialect.qualify(t.table.schema, LEASE_TABLE)} SET ${q(tx, 'state')} = 'waiting', ${q(tx, 'failures')} = 0, ${q(tx, 'not_before')} = 0 WHERE ${q(tx, 'table_name')} = ? AND ${q(tx, 'key_hash')} = ?`,
              [t.table.table_name, t.keyHash],
            )
          : { affectedRows: 0 };
      return gone > 0 || lease.affectedRows > 0 ? 1 : 0;
    });
  }
  return n;
}

/** DataJoint's `ignore`: an `ignore` row, so neither Joinery nor DataJoint computes the key. Running jobs are left alone. */
export async function ignoreJobs(db: DbDriver, targets: readonly Target[], who: WorkerIdentity): Promise<number> {
  let n = 0;
  for (const t of targets) {
    if (t.job?.status === 'reserved' || isJoineryLease(t) || t.job?.status === 'ignore') continue;
    const key = t.key;
    if (!key) continue;
    await ensureJobTables(db, t.table.schema);
    const queue = await resolveQueue(db, t.table.schema);
    await queue.prepare(db, t.table);
    await db.transaction(async (tx) => {
      const d = tx.dialect;
      await queue.ignore(tx, t.table, { key, keyHash: t.keyHash }, who);
      await tx.execute(
        `DELETE FROM ${d.qualify(t.table.schema, LEASE_TABLE)} WHERE ${q(tx, 'table_name')} = ? AND ${q(tx, 'key_hash')} = ?`,
        [t.table.table_name, t.keyHash],
      );
    });
    n++;
  }
  return n;
}

/**
 * Cancels jobs: a running Joinery job is asked to stop (its worker sees the request at its next
 * heartbeat and records a CancelledError); a job waiting for a retry ends in error at once.
 * Reservations by DataJoint Python cannot be cancelled from here.
 */
export async function cancelJobs(db: DbDriver, targets: readonly Target[], who: WorkerIdentity): Promise<number> {
  let n = 0;
  for (const t of targets) {
    if (t.lease) await ensureJobTables(db, t.table.schema); // renames a lease table of before 0.2
    if (t.lease?.state === 'running') {
      const res = await db.execute(
        `UPDATE ${db.dialect.qualify(t.table.schema, LEASE_TABLE)} SET ${q(db, 'state')} = 'cancel' WHERE ${q(db, 'table_name')} = ? AND ${q(db, 'key_hash')} = ? AND ${q(db, 'state')} = 'running'`,
        [t.table.table_name, t.keyHash],
      );
      n += res.affectedRows;
    } else if (t.lease?.state === 'waiting' && !t.job && t.key) {
      const queue = await resolveQueue(db, t.table.schema);
      await queue.prepare(db, t.table);
      await db.transaction(async (tx) => {
        await tx.execute(
          `UPDATE ${tx.dialect.qualify(t.table.schema, LEASE_TABLE)} SET ${q(tx, 'state')} = 'failed' WHERE ${q(tx, 'table_name')} = ? AND ${q(tx, 'key_hash')} = ?`,
          [t.table.table_name, t.keyHash],
        );
        const message = 'CancelledError: cancelled by a user';
        await queue.error(tx, t.table, { key: t.key!, keyHash: t.keyHash }, { message, stack: message }, who);
      });
      n++;
    }
  }
  return n;
}

/** Sets the priority of jobs (higher first); keys Joinery has no row for yet get one, so the priority holds when they are claimed. */
export async function prioritizeJobs(db: DbDriver, targets: readonly Target[], priority: number): Promise<number> {
  let n = 0;
  for (const t of targets) {
    if (t.lease) await ensureJobTables(db, t.table.schema); // renames a lease table of before 0.2
    if (t.lease) {
      await db.execute(
        `UPDATE ${db.dialect.qualify(t.table.schema, LEASE_TABLE)} SET ${q(db, 'priority')} = ? WHERE ${q(db, 'table_name')} = ? AND ${q(db, 'key_hash')} = ?`,
        [priority, t.table.table_name, t.keyHash],
      );
      n++;
    } else if (t.key) {
      await ensureJobTables(db, t.table.schema);
      const cols = ['table_name', 'key_hash', 'key_json', 'state', 'priority'];
      await db.execute(
        db.dialect.insert({
          into: db.dialect.qualify(t.table.schema, LEASE_TABLE),
          columns: cols,
          values: `(?, ?, ?, 'waiting', ?)`,
          key: ['table_name', 'key_hash'],
          onConflict: 'ignore',
        }),
        [t.table.table_name, t.keyHash, keyJson(t.key), priority],
      );
      n++;
    }
  }
  return n;
}
