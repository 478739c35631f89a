import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSkipped, START_SERVICES_HINT } from '../../support/env';
import { lockSlurm } from '../../support/slurm-lock';
import { runJoinery } from '../../support/cli';
import { type JobsSetup, openJobsSetup } from '../jobs/support';

// these tests start joinery processes (and containers, Slurm jobs): slow on a loaded machine, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

const SESSIONS = 14;
const FAILING_SESSION = 7;

function slurmUp(): boolean {
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
  return r.status === 0 && /idle|mixed|allocated/.test(r.stdout);
}

const writeResult = (attr: string) => `printf '{"rows":[{"${attr}":1}]}' > "$JOINERY_OUT/result.json"`;

/**
 * `populate --backend slurm` against the real one-node Slurm that scripts/services.sh starts:
 * 3 tables x 14 sessions through job arrays of `joinery run-job`, every key once, in dependency
 * order, a failing key retried then left as an error, and `joinery jobs cancel` reaching scancel.
 */
describe.skipIf(isSkipped('slurm'))('populate --backend slurm', () => {
  let s: JobsSetup;
  let dataDir: string;
  let spool: string;
  const db = () => ['--db', s.url];

  // the other Slurm suite sets the node down and cuts time limits: one file at a time on the cluster
  let releaseSlurm: (() => void) | undefined;
  beforeAll(async () => {
    releaseSlurm = await lockSlurm();
  }, 1_800_000);

  beforeAll(async () => {
    if (!slurmUp()) throw new Error(`Slurm is not running (sinfo shows no idle node). ${START_SERVICES_HINT}`);
    s = await openJobsSetup('sqlite', 'slurm');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-slurm-data-'));
    spool = mkdtempSync(path.join(os.tmpdir(), 'joinery-slurm-spool-'));
    const t = (class_name: string, tier: 'Manual' | 'Imported' | 'Computed', definition: string) => ({
      schema: s.schema,
      class_name,
      tier,
      definition,
    });
    await s.call('table.declare', {
      tables: [
        t('Session', 'Manual', 'session_id : int'),
        t('Scan', 'Imported', '-> Session\n---\nframes : int'),
        t('Spikes', 'Computed', '-> Scan\n---\nn : int'),
        t('Summary', 'Computed', '-> Spikes\n---\nok : int'),
        t('Slow', 'Computed', '-> Session\n---\ndone : int'),
      ],
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: 'session',
      rows: Array.from({ length: SESSIONS }, (_, i) => ({ session_id: i + 1 })),
    });
    const task = (table: string, script: string, extra: object = {}) =>
      s.call('task.set', { schema: s.schema, table, spec: { command: ['sh', '-c', script], ...extra } });
    await task('_scan', writeResult('frames'));
    await task(
      '__spikes',
      `grep -Eq '"session_id": *${FAILING_SESSION}([^0-9]|$)' "$JOINERY_IN/key.json" && { echo "spike sorter crashed on session ${FAILING_SESSION}" >&2; exit 4; }; ${writeResult('n')}`,
      { retries: 1, backoff_s: 0 },
    );
    await task('__summary', writeResult('ok'));
    await s.core.dispose(); // Slow gets its task in the cancel test: a table without a task is left alone
  }, 120_000);
  afterAll(() => {
    try {
      // leave the one-node cluster empty for the next suite: whatever this file submitted goes
      if (!s) return;
      const listed = runJoinery(['jobs', ...db(), '--schema', s.schema, '--json'], { dataDir });
      const ids = ((JSON.parse(listed.stdout || '{}').cluster ?? []) as { external_id: string }[]).map(
        (c) => c.external_id.split('_')[0]!,
      );
      if (ids.length > 0) spawnSync('scancel', [...new Set(ids)]);
    } finally {
      releaseSlurm?.();
    }
  });

  it('computes every key once, parents before children, and leaves the failing key as an error', async () => {
    const r = runJoinery(
      [
        'populate',
        ...db(),
        '--schema',
        s.schema,
        '--backend',
        'slurm',
        '--partition',
        'debug',
        '--spool',
        spool,
        '--json',
      ],
      { dataDir, timeoutMs: 900_000 },
    );
    expect(r.status, r.stderr).toBe(1); // one key failed
    const byTable = Object.fromEntries(
      (JSON.parse(r.stdout).tables as { full_name: string }[]).map((t) => [t.full_name.slice(s.schema.length + 1), t]),
    );
    expect(byTable._scan).toMatchObject({ submitted: SESSIONS, completed: SESSIONS, failed: 0 });
    expect(byTable.__spikes).toMatchObject({ submitted: SESSIONS, completed: SESSIONS - 1, failed: 1 });
    expect(byTable.__summary).toMatchObject({ submitted: SESSIONS - 1, completed: SESSIONS - 1, failed: 0 });

    const inspect = JSON.parse(runJoinery(['inspect', ...db(), '--json'], { dataDir }).stdout);
    const rows = Object.fromEntries(
      (inspect.schemas[s.schema].tables as { table_name: string; row_count: number }[]).map((t) => [
        t.table_name,
        t.row_count,
      ]),
    );
    expect(rows).toMatchObject({ _scan: SESSIONS, __spikes: SESSIONS - 1, __summary: SESSIONS - 1 });

    // every key once, and each child started after its parent's job ended (sessions by key hash from the cluster list)
    const listed = JSON.parse(runJoinery(['jobs', ...db(), '--schema', s.schema, '--json'], { dataDir }).stdout);
    const sessionOf = new Map<string, number>(
      (listed.cluster as { key_hash: string; key: { session_id: number } }[]).map((c) => [
        c.key_hash,
        c.key.session_id,
      ]),
    );
    const ok = (table: string) => {
      const out = runJoinery(
        ['jobs', 'runs', ...db(), '--schema', s.schema, '--table', table, '--json', '--limit', '1000'],
        { dataDir },
      );
      expect(out.status, out.stderr).toBe(0);
      const runs = JSON.parse(out.stdout).runs as {
        key_hash: string;
        status: string;
        started: number;
        ended: number;
      }[];
      return runs.filter((x) => x.status === 'success').map((x) => ({ ...x, session: sessionOf.get(x.key_hash)! }));
    };
    const scans = ok('_scan');
    const spikes = ok('__spikes');
    const summaries = ok('__summary');
    expect(scans).toHaveLength(SESSIONS);
    expect(new Set(scans.map((x) => x.session)).size).toBe(SESSIONS);
    expect(spikes).toHaveLength(SESSIONS - 1);
    expect(summaries).toHaveLength(SESSIONS - 1);
    const at = (runs: typeof scans, id: number) => runs.find((x) => x.session === id)!;
    for (const sp of spikes) expect(sp.started).toBeGreaterThanOrEqual(at(scans, sp.session).ended);
    for (const su of summaries) expect(su.started).toBeGreaterThanOrEqual(at(spikes, su.session).ended);

    // the failing key: tried twice (retries: 1), then DataJoint's error row; Slurm says FAILED and keeps its log
    const jobs = JSON.parse(runJoinery(['jobs', ...db(), '--schema', s.schema, '--json'], { dataDir }).stdout);
    const errors = jobs.jobs.filter((j: { status: string }) => j.status === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ table_name: '__spikes', key: { session_id: FAILING_SESSION } });
    const failed = jobs.cluster.find(
      (c: { table_name: string; key: { session_id: number } }) =>
        c.table_name === '__spikes' && c.key.session_id === FAILING_SESSION,
    );
    expect(failed.state).toBe('FAILED');
    expect(readFileSync(failed.log_path, 'utf8')).toMatch(/failed/i);
    expect(jobs.cluster.filter((c: { state: string }) => c.state === 'COMPLETED')).toHaveLength(3 * SESSIONS - 2);
  }, 960_000);

  it('joinery jobs cancel reaches scancel for keys the scheduler still has', async () => {
    const taskFile = path.join(dataDir, 'slow.json');
    writeFileSync(
      taskFile,
      JSON.stringify({ command: ['sh', '-c', `sleep 600; ${writeResult('done')}`], timeout_s: 900 }),
    );
    const set = runJoinery(['task', 'set', ...db(), '--schema', s.schema, '--table', 'Slow', '--file', taskFile], {
      dataDir,
    });
    expect(set.status, set.stderr).toBe(0);
    const sub = runJoinery(
      [
        'populate',
        ...db(),
        '--schema',
        s.schema,
        '--table',
        'Slow',
        '--backend',
        'slurm',
        '--spool',
        spool,
        '--detach',
        '--json',
      ],
      { dataDir, timeoutMs: 120_000 },
    );
    expect(sub.status, sub.stderr).toBe(0);
    expect(JSON.parse(sub.stdout).tables[0]).toMatchObject({ submitted: SESSIONS });
    const cluster = () =>
      JSON.parse(runJoinery(['jobs', ...db(), '--schema', s.schema, '--table', 'Slow', '--json'], { dataDir }).stdout)
        .cluster as {
        key: { session_id: number };
        state: string;
        external_id: string;
      }[];
    const cancelOne = runJoinery(
      ['jobs', 'cancel', ...db(), '--schema', s.schema, '--table', 'Slow', '--key', '{"session_id": 1}'],
      { dataDir },
    );
    expect(cancelOne.status, cancelOne.stderr).toBe(0);
    expect(cancelOne.stdout).toMatch(/cancelled [1-9]\d* job/);
    const one = cluster().find((c) => c.key.session_id === 1)!;
    expect(one.state).toBe('CANCELLED');
    // Slurm may list the job as completing for a moment; it must leave the pending and running states
    const live = () =>
      spawnSync('squeue', ['-h', '-r', '-t', 'PENDING,RUNNING', '-o', '%i', '-j', one.external_id.split('_')[0]!], {
        encoding: 'utf8',
      }).stdout.split('\n');
    await vi.waitFor(() => expect(live()).not.toContain(one.external_id), { timeout: 60_000, interval: 500 });
    const cancelAll = runJoinery(
      ['jobs', 'cancel', ...db(), '--schema', s.schema, '--table', 'Slow', '--status', 'running'],
      { dataDir },
    );
    expect(cancelAll.status, cancelAll.stderr).toBe(0);
    expect(cluster().every((c) => c.state === 'CANCELLED')).toBe(true);
  }, 300_000);
});
