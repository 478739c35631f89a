import { WorkerInfo } from '../../../shared/api/schemas/worker';
import type { DbDriver, DbSession } from '../db/driver';

/**
 * The lab-wide worker registry: one row per worker, shared by every schema it serves. On MySQL it
 * lives in the database `~joinery` (hidden like DataJoint's `~` tables); on SQLite in the table
 * `~joinery_worker` of the file. Times come from the database server, so workers whose clocks
 * disagree still judge each other's heartbeats right.
 */
export const WORKER_TABLE = '~joinery_worker';

/** Seconds without a heartbeat after which a worker shows as offline. */
export const OFFLINE_AFTER_S = 45;

/** A worker as others see it. */
export const WorkerRecord = WorkerInfo;
export type WorkerRecord = WorkerInfo;

/** What a worker writes about itself. */
export type WorkerAdvert = Omit<WorkerRecord, 'started_at' | 'heartbeat_at' | 'heartbeat_age_s' | 'online'>;

/** Creates the registry table (and on MySQL its database) if missing; idempotent. */
export async function ensureRegistry(db: DbDriver): Promise<void> {
  const d = db.dialect;
  const { timestamp: time, text } = d.types;
  if (d.createGlobalHome) await db.execute(d.createGlobalHome);
  await db.execute(`CREATE TABLE IF NOT EXISTS ${d.qualifyGlobal(WORKER_TABLE)} (
    worker_id VARCHAR(64) NOT NULL PRIMARY KEY,
    hostname VARCHAR(255) NOT NULL, owner VARCHAR(255) NOT NULL, version VARCHAR(32) NOT NULL,
    hardware ${text} NOT NULL, labels ${text} NOT NULL, policy ${text} NOT NULL,
    state VARCHAR(32) NOT NULL, reason VARCHAR(1000) NOT NULL, running_jobs INT NOT NULL DEFAULT 0,
    started_at ${time} NOT NULL, heartbeat_at ${time} NOT NULL)`);
}

const json = (v: unknown) => JSON.stringify(v);

/** Registers (or re-registers after a restart) a worker; its heartbeat starts now. */
export async function registerWorker(db: DbSession, w: WorkerAdvert): Promise<void> {
  const d = db.dialect;
  const cols = [
    'worker_id',
    'hostname',
    'owner',
    'version',
    'hardware',
    'labels',
    'policy',
    'state',
    'reason',
    'running_jobs',
  ];
  const values = [
    w.worker_id,
    w.hostname,
    w.owner,
    w.version,
    json(w.hardware),
    json(w.labels),
    json(w.policy),
    w.state,
    w.reason.slice(0, 1000),
    w.running_jobs,
  ];
  await db.execute(`DELETE FROM ${d.qualifyGlobal(WORKER_TABLE)} WHERE worker_id = ?`, [w.worker_id]);
  await db.execute(
    `INSERT INTO ${d.qualifyGlobal(WORKER_TABLE)} (${cols.join(', ')}, started_at, heartbeat_at) VALUES (${cols.map(() => '?').join(', ')}, ${d.now}, ${d.now})`,
    values,
  );
}

/** Renews the heartbeat with the current state; false when the row is gone (unregistered elsewhere). */
export async function heartbeat(
  db: DbSession,
  w: Pick<WorkerAdvert, 'worker_id' | 'state' | 'reason' | 'running_jobs' | 'policy'>,
): Promise<boolean> {
  const d = db.dialect;
  const r = await db.execute(
    `UPDATE ${d.qualifyGlobal(WORKER_TABLE)} SET state = ?, reason = ?, running_jobs = ?, policy = ?, heartbeat_at = ${d.now} WHERE worker_id = ?`,
    [w.state, w.reason.slice(0, 1000), w.running_jobs, json(w.policy), w.worker_id],
  );
  return r.affectedRows > 0;
}

/** Removes a worker on clean exit. */
export async function unregisterWorker(db: DbSession, workerId: string): Promise<void> {
  await db.execute(`DELETE FROM ${db.dialect.qualifyGlobal(WORKER_TABLE)} WHERE worker_id = ?`, [workerId]);
}

/** Every registered worker, with `online` judged by the database clock. */
export async function listWorkers(db: DbSession): Promise<WorkerRecord[]> {
  const d = db.dialect;
  const age = d.secondsSince('heartbeat_at');
  let rows: Record<string, unknown>[];
  try {
    rows = await db.query(
      `SELECT *, ${age} AS age_s FROM ${d.qualifyGlobal(WORKER_TABLE)} ORDER BY hostname, worker_id`,
    );
  } catch (e) {
    if ((e as { code?: string }).code === 'NOT_FOUND' || (e as { code?: string }).code === 'DB_NOT_FOUND') return [];
    throw e;
  }
  return rows.map((r) =>
    WorkerRecord.parse({
      ...r,
      hardware: JSON.parse(String(r.hardware)),
      labels: JSON.parse(String(r.labels)),
      policy: JSON.parse(String(r.policy)),
      running_jobs: Number(r.running_jobs),
      started_at: String(r.started_at),
      heartbeat_at: String(r.heartbeat_at),
      heartbeat_age_s: Math.max(0, Number(r.age_s)),
      online: Number(r.age_s) < OFFLINE_AFTER_S,
    }),
  );
}
