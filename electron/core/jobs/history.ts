import type { z } from 'zod';
import type { ProvenanceInfo, RunInfo, StaleRow } from '../../../shared/api/schemas/jobs';
import { decodeRow, type BlobCodec } from '../data/values';
import type { DbSession } from '../db/driver';
import { hashCanonicalKey } from './canonical-key-hash';
import type { TableJob } from './job-context';
import { parseKeyJson } from './job-keys';
import { columns, marks } from './job-sql';
import { PROVENANCE_TABLE, RUN_TABLE } from './job-tables';
import { hiddenTables } from '../db/catalog/hidden-tables';
import { fetchInputs, inputFingerprint } from './inputs';
import type { StoreLookup } from '../data/external-read';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Attempts of jobs, newest first, each with its run id. Successes recorded before the run table
 * held them (Joinery before 0.3) come from provenance, without a run id.
 */
export async function readRuns(
  db: DbSession,
  schema: string,
  filter: { table?: string; keyHash?: string; limit: number },
): Promise<RunInfo[]> {
  const have = await hiddenTables(db, schema);
  const q = (s: string) => db.dialect.quoteIdent(s);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.table) {
    where.push(`${q('table_name')} = ?`);
    params.push(filter.table);
  }
  if (filter.keyHash) {
    where.push(`${q('key_hash')} = ?`);
    params.push(filter.keyHash);
  }
  const cond = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const limit = Math.floor(filter.limit);
  const out: RunInfo[] = [];
  if (have.has(RUN_TABLE)) {
    const cols = [
      'run_id',
      'table_name',
      'key_hash',
      'attempt',
      'status',
      'runner',
      'worker',
      'started',
      'ended',
      'exit_code',
      'peak_memory',
      'error_message',
      'log_tail',
    ];
    const rows = await db.query(
      `SELECT ${columns(db.dialect, cols)} FROM ${db.dialect.qualify(schema, RUN_TABLE)}${cond} ORDER BY ${q('ended')} DESC LIMIT ${limit}`,
      params,
    );
    out.push(...rows.map((r) => toRun(r, Number(r.run_id), r.status as RunInfo['status'], String(r.error_message))));
  }
  if (have.has(PROVENANCE_TABLE)) {
    const cols = [
      'table_name',
      'key_hash',
      'attempt',
      'runner',
      'worker',
      'started',
      'ended',
      'exit_code',
      'peak_memory',
      'log_tail',
    ];
    const rows = await db.query(
      `SELECT ${columns(db.dialect, cols)} FROM ${db.dialect.qualify(schema, PROVENANCE_TABLE)}${cond} ORDER BY ${q('ended')} DESC LIMIT ${limit}`,
      params,
    );
    const recorded = new Set(
      out.filter((r) => r.status === 'success').map((r) => `${r.table_name}\0${r.key_hash}\0${r.attempt}`),
    );
    for (const r of rows)
      if (!recorded.has(`${String(r.table_name)}\0${String(r.key_hash)}\0${Number(r.attempt)}`))
        out.push(toRun(r, null, 'success', ''));
  }
  return out.sort((a, b) => b.ended - a.ended).slice(0, limit);
}

function toRun(
  r: Record<string, unknown>,
  runId: number | null,
  status: RunInfo['status'],
  errorMessage: string,
): RunInfo {
  return {
    run_id: runId,
    table_name: String(r.table_name),
    key_hash: String(r.key_hash),
    attempt: Number(r.attempt),
    status,
    runner: String(r.runner),
    worker: String(r.worker),
    started: Number(r.started),
    ended: Number(r.ended),
    exit_code: num(r.exit_code),
    peak_memory: num(r.peak_memory),
    error_message: errorMessage,
    log_tail: r.log_tail === null || r.log_tail === undefined ? null : String(r.log_tail),
  };
}

type ProvenanceRow = {
  table_name: string;
  key_hash: string;
  key_json: string;
  task_version: number;
  code_hash: string;
  input_fingerprint: string;
  runner: string;
  worker: string;
  started: number;
  ended: number;
  peak_memory: number | null;
  cached: number;
};

/** Provenance of a table's computed keys (optionally only the given key hashes). */
export async function readProvenance(
  db: DbSession,
  schema: string,
  table: string,
  keyHashes: readonly string[] | undefined,
  limit: number,
): Promise<ProvenanceInfo[]> {
  if (!(await hiddenTables(db, schema)).has(PROVENANCE_TABLE)) return [];
  const q = (s: string) => db.dialect.quoteIdent(s);
  const byHash = keyHashes?.length ? ` AND ${q('key_hash')} IN (${marks(keyHashes.length)})` : '';
  const cols = [
    'table_name',
    'key_hash',
    'key_json',
    'task_version',
    'code_hash',
    'input_fingerprint',
    'runner',
    'worker',
    'started',
    'ended',
    'peak_memory',
    'cached',
  ];
  const rows = await db.query<ProvenanceRow>(
    `SELECT ${columns(db.dialect, cols)} FROM ${db.dialect.qualify(schema, PROVENANCE_TABLE)} WHERE ${q('table_name')} = ?${byHash} ORDER BY ${q('ended')} LIMIT ${Math.floor(limit)}`,
    [table, ...(keyHashes ?? [])],
  );
  return rows.map((r) => ({
    table_name: r.table_name,
    key_hash: r.key_hash,
    key: parseKeyJson(r.key_json),
    task_version: Number(r.task_version),
    code_hash: r.code_hash,
    input_fingerprint: r.input_fingerprint,
    runner: r.runner,
    worker: r.worker,
    started: Number(r.started),
    ended: Number(r.ended),
    peak_memory: num(r.peak_memory),
    cached: Number(r.cached) === 1,
  }));
}

/**
 * Rows whose inputs changed since they were computed: for every computed key still in the table,
 * the declared inputs are fetched again and fingerprinted; a different fingerprint means changed
 * inputs, an older task version a changed task. Keys computed outside Joinery have no provenance
 * and are not listed.
 */
export async function findStale(
  db: DbSession,
  tj: TableJob,
  blobs: BlobCodec,
  stores?: StoreLookup,
): Promise<z.infer<typeof StaleRow>[]> {
  const prov = await readProvenance(db, tj.table.schema, tj.table.table_name, undefined, 1_000_000);
  if (prov.length === 0) return [];
  const present = new Set(
    (
      await db.query(
        `SELECT DISTINCT ${columns(db.dialect, tj.ks.attributes)} FROM ${db.dialect.qualify(tj.table.schema, tj.table.table_name)}`,
      )
    ).map((r) => hashCanonicalKey(decodeRow(tj.ksAttrs, r), tj.table)),
  );
  const out: z.infer<typeof StaleRow>[] = [];
  for (const p of prov) {
    if (!present.has(p.key_hash)) continue;
    const current = inputFingerprint(p.key, await fetchInputs(db, tj.inputs, p.key, blobs, stores));
    const reason = p.task_version !== tj.task.version ? 'task' : current !== p.input_fingerprint ? 'inputs' : null;
    if (!reason) continue;
    out.push({
      full_name: tj.table.full_name,
      key: p.key,
      key_hash: p.key_hash,
      reason,
      computed_fingerprint: p.input_fingerprint,
      current_fingerprint: current,
      task_version: p.task_version,
      current_task_version: tj.task.version,
      ended: p.ended,
    });
  }
  return out;
}
