import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { decodeJobKey } from '../../../electron/core/data/blob-values';
import { hashCanonicalKey } from '../../../electron/core/jobs/canonical-key-hash';
import { keyBlob, keyJson, parseKeyJson } from '../../../electron/core/jobs/job-keys';
import { findEntry } from '../../../electron/core/migrate/journal';
import { rollbackMigration } from '../../../electron/core/migrate/rollback';
import { ensureJobTables, LEASE_TABLE, PROVENANCE_TABLE, RUN_TABLE } from '../../../electron/core/jobs/job-tables';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { logTable } from '../../../shared/model/definition/hidden-tables';
import { createTableDdl } from '../../../shared/sql/ddl';
import { ENGINES } from '../../support/data-engines';
import { addLab, applyAndWait, openPipeline, type MigrateEngine } from './support';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

type Key = Record<string, unknown>;
const byTable = (a: { table: string }, b: { table: string }) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0);

/**
 * The job records of tables whose primary key changes (`lab` joins subject's key, so the keys of
 * session, scan, roi and the cross-schema behavior change): DataJoint's `~jobs` (both schemas),
 * Joinery's leases, runs and provenance, and DataJoint's `~log`. Each record is written as the
 * job engine writes it, the migration is applied and rolled back through the API, and each
 * record must then carry the new key (and its hash), then the old one again.
 */
describe.each(ENGINES)('job records follow a primary-key change (%s)', (engine) => {
  let s: MigrateEngine;
  const old: Record<string, TableInfo> = {};
  const q = (schema: string, table: string) => s.db.dialect.qualify(schema, table);
  const id = (c: string) => s.db.dialect.quoteIdent(c);
  const info = async (schema: string, table: string) => {
    const all = await s.call('pipeline.inspect', { schemas: [schema] });
    return all.schemas[schema]!.tables.find((t) => t.table_name === table)!;
  };
  // keys of the records (old shape): a job's key is its key source's (roi's jobs are keyed by the
  // scan, as `-> Scan, roi_idx` populates all rois of a scan at once); `lone` is a run whose key
  // is in no other record (its lease was cleared)
  const scanErr = { subject_id: 3, session_idx: 2, scan_idx: 1 };
  const scanFailed = { subject_id: 4, session_idx: 1, scan_idx: 2 };
  const roiMade = { subject_id: 5, session_idx: 3, scan_idx: 2 };
  const roiWhole = { subject_id: 5, session_idx: 3, scan_idx: 2, roi_idx: 1 };
  const roiLone = { subject_id: 6, session_idx: 1, scan_idx: 1 };
  const behaviorErr = { subject_id: 2, session_idx: 1, trial: 1 };
  const withLab = (k: Key) => ({ lab: 'hub', ...k });

  beforeAll(async () => {
    s = await openPipeline(engine, 'migjr');
    for (const schema of [s.lab, s.ephys]) await ensureJobTables(s.db, schema);
    for (const st of createTableDdl(s.db.dialect.name, logTable(s.lab))) await s.db.execute(st.sql, st.params);
    old._scan = await info(s.lab, '_scan');
    old.__roi = await info(s.lab, '__roi');
    old.behavior = await info(s.ephys, 'behavior');
    const [scan, roi, behavior] = [old._scan, old.__roi, old.behavior];
    await djJob(s.lab, '_scan', scanErr, scan);
    await djJob(s.lab, '__roi', roiMade, roi);
    await djJob(s.ephys, 'behavior', behaviorErr, behavior);
    await s.db.execute(
      `INSERT INTO ${q(s.lab, LEASE_TABLE)} (table_name, key_hash, key_json, state) VALUES (?, ?, ?, 'failed')`,
      ['_scan', hashCanonicalKey(scanFailed, scan), keyJson(scanFailed)],
    );
    // a whole primary key (a table keyed by its own rows) maps too
    await s.db.execute(
      `INSERT INTO ${q(s.lab, LEASE_TABLE)} (table_name, key_hash, key_json, state) VALUES (?, ?, ?, 'waiting')`,
      ['__roi', hashCanonicalKey(roiWhole, roi), keyJson(roiWhole)],
    );
    await s.db.execute(
      `INSERT INTO ${q(s.lab, PROVENANCE_TABLE)} (table_name, key_hash, key_json, attempt, task_version, code_hash, input_fingerprint, runner, worker, started, ended) VALUES (?, ?, ?, 1, 1, 'inline:x', ?, 'process', 'w1', 1, 2)`,
      ['__roi', hashCanonicalKey(roiMade, roi), keyJson(roiMade), '0'.repeat(32)],
    );
    for (const [table, key, status, info] of [
      ['_scan', scanFailed, 'error', scan],
      ['__roi', roiMade, 'success', roi],
      ['__roi', roiLone, 'released', roi],
    ] as const)
      await s.db.execute(
        `INSERT INTO ${q(s.lab, RUN_TABLE)} (table_name, key_hash, attempt, status, runner, worker, started, ended) VALUES (?, ?, 1, ?, 'process', 'w1', 1, 2)`,
        [table, hashCanonicalKey(key, info), status],
      );
  }, 120_000);
  afterAll(async () => s?.close());

  async function djJob(schema: string, table: string, key: Key, info: TableInfo) {
    const cols = ['table_name', 'key_hash', 'status', 'key', 'user', 'host'].map(id).join(', ');
    await s.db.execute(`INSERT INTO ${q(schema, '~jobs')} (${cols}) VALUES (?, ?, 'error', ?, 'alice@lab', 'node7')`, [
      table,
      hashCanonicalKey(key, info),
      keyBlob(key, info),
    ]);
  }

  /** Every record as (table, key or hash), sorted: what must match the expected keys. */
  async function records() {
    const jobs = async (schema: string) =>
      (
        await s.db.query<{ table_name: string; key_hash: string; key: Uint8Array }>(
          `SELECT table_name, key_hash, ${id('key')} AS ${id('key')} FROM ${q(schema, '~jobs')} ORDER BY table_name`,
        )
      )
        .map((r) => ({ table: r.table_name, hash: r.key_hash, key: decodeJobKey(Buffer.from(r.key)) }))
        .sort(byTable);
    const keyed = async (table: string) =>
      (
        await s.db.query<{ table_name: string; key_hash: string; key_json: string }>(
          `SELECT table_name, key_hash, key_json FROM ${q(s.lab, table)} ORDER BY table_name`,
        )
      )
        .map((r) => ({ table: r.table_name, hash: r.key_hash, key: parseKeyJson(r.key_json) }))
        .sort(byTable);
    const runs = await s.db.query<{ table_name: string; key_hash: string; status: string }>(
      `SELECT table_name, key_hash, status FROM ${q(s.lab, RUN_TABLE)} ORDER BY run_id`,
    );
    return {
      jobs: await jobs(s.lab),
      ephysJobs: await jobs(s.ephys),
      leases: await keyed(LEASE_TABLE),
      provenance: await keyed(PROVENANCE_TABLE),
      runs: runs.map((r) => ({ table: r.table_name, hash: r.key_hash, status: r.status })),
    };
  }

  /** The records as they must be with the tables described by `infos` and keys shaped by `shape`. */
  function expected(infos: Record<string, TableInfo>, shape: (k: Key) => Key) {
    const rec = (table: string, key: Key) => ({
      table,
      hash: hashCanonicalKey(shape(key), infos[table]!),
      key: shape(key),
    });
    const run = (table: string, key: Key, status: string) => ({ table, hash: rec(table, key).hash, status });
    return {
      jobs: [rec('__roi', roiMade), rec('_scan', scanErr)],
      ephysJobs: [rec('behavior', behaviorErr)],
      leases: [rec('__roi', roiWhole), rec('_scan', scanFailed)],
      provenance: [rec('__roi', roiMade)],
      runs: [run('_scan', scanFailed, 'error'), run('__roi', roiMade, 'success'), run('__roi', roiLone, 'released')],
    };
  }

  const logEvents = async () =>
    (await s.db.query<{ event: string }>(`SELECT event FROM ${q(s.lab, '~log')} ORDER BY id`)).map((r) => r.event);

  it('moves every record to the new key on apply, and back on rollback', async () => {
    expect(await records()).toEqual(expected(old, (k) => k));
    const record = await applyAndWait(s, addLab(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const now = {
      _scan: await info(s.lab, '_scan'),
      __roi: await info(s.lab, '__roi'),
      behavior: await info(s.ephys, 'behavior'),
    };
    expect(now.__roi.primary_key[0]).toBe('lab');
    expect(await records()).toEqual(expected(now, withLab));
    expect((record.checks as { jobs: { rewritten: number; dropped: number } }).jobs).toEqual({
      rewritten: 6,
      dropped: 0,
    });
    expect(await logEvents()).toEqual([expect.stringMatching(new RegExp(`^Joinery migration ${record.id}: `))]);

    const rolled = await s.call('migration.rollback', { id: record.id });
    expect(rolled.state).toBe('rolled_back');
    expect(await records()).toEqual(expected(old, (k) => k));
    expect((await logEvents())[1]).toBe(`Joinery migration ${record.id} rolled back`);
  });

  it('maps the records back exactly once when a rollback stopped after its RENAME is run again', async () => {
    const record = await applyAndWait(s, addLab(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const hook = (at: string) => {
      if (at === 'rollback:renamed') throw new Error('injected crash');
    };
    await expect(rollbackMigration(s.db, await findEntry(s.db, record.id), { hook })).rejects.toThrow(/injected/);
    expect(await rollbackMigration(s.db, await findEntry(s.db, record.id))).toBe('rolled_back');
    expect(await records()).toEqual(expected(old, (k) => k));
    // its new tables wait aside (no service dropped them) until the next migration of these schemas
    expect((await findEntry(s.db, record.id)).progress.aside).toBe(true);
    const next = await applyAndWait(s, addLab(s.lab));
    expect(next.state, next.error ?? '').toBe('done');
    expect((await findEntry(s.db, record.id)).progress.aside).toBe(false);
    const driver = s.core.services.connections.driver(s.connectionId);
    for (const schema of [s.lab, s.ephys])
      expect([...(await hiddenTables(driver, schema))].filter((t) => t.startsWith(`~${record.id}`))).toEqual([]);
    await s.call('migration.rollback', { id: next.id });
    expect(await records()).toEqual(expected(old, (k) => k));
  });
});
