import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runJoinery, runJoineryAsync, type CliResult } from '../../support/cli';
import { isSkipped } from '../../support/env';
import { type JobsSetup, openJobsSetup } from '../jobs/support';

// these tests start joinery processes (and containers, Slurm jobs): slow on a loaded machine, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

const RESULT = (rate: string) => `echo '{"rows":[{"rate":${rate}}]}' > "$JOINERY_OUT/result.json"`;

/**
 * `joinery run-job`: one key, reserved through the job protocol with a lease, run by the task's
 * runner and committed in one transaction, as a cluster node or pod runs it.
 */
describe('joinery run-job', () => {
  let s: JobsSetup;
  let dataDir: string;
  let gate: string;
  const base = () => ['--db', s.url, '--schema', s.schema];

  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'runjob');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-runjob-data-'));
    gate = path.join(dataDir, 'release-key-2');
    await s.call('table.declare', {
      tables: [
        { schema: s.schema, class_name: 'Session', tier: 'Manual', definition: 'session_id : int' },
        { schema: s.schema, class_name: 'Rate', tier: 'Computed', definition: '-> Session\n---\nrate : double' },
        { schema: s.schema, class_name: 'Boxed', tier: 'Computed', definition: '-> Session\n---\nrate : double' },
      ],
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: 'session',
      rows: [1, 2, 3].map((session_id) => ({ session_id })),
    });
    await s.call('task.set', {
      schema: s.schema,
      table: '__rate',
      spec: {
        // key 2 waits for the test's gate (at most 10 min) so a second run-job finds it held; key 3 fails
        command: [
          'sh',
          '-c',
          `k=$(cat "$JOINERY_IN/key.json"); case "$k" in *3*) echo broken >&2; exit 3;; *2*) n=0; while [ ! -e '${gate}' ] && [ $n -lt 3000 ]; do sleep 0.2; n=$((n + 1)); done;; esac; ${RESULT('1.5')}`,
        ],
      },
    });
    await s.call('task.set', {
      schema: s.schema,
      table: '__boxed',
      spec: {
        image: 'lab/busybox:1',
        command: ['sh', '-c', `echo '{"rows":[{"rate":2.5}]}' > /joinery/out/result.json`],
      },
    });
    await s.core.dispose();
  });

  it.skipIf(isSkipped('docker'))('runs an image task in a container, as a node with Docker does', () => {
    const r = runJoinery(['run-job', ...base(), '--table', 'Boxed', '--key', '{"session_id": 2}', '--json'], {
      dataDir,
      timeoutMs: 120_000,
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('done');
    const rows = runJoinery(['query', '--db', s.url, '--schema', s.schema, 'Boxed', '--json'], { dataDir });
    expect(JSON.parse(rows.stdout).rows).toEqual([{ session_id: 2, rate: 2.5 }]);
  });

  it('computes one key and commits it; a second call says it is already computed', () => {
    const r = runJoinery(['run-job', ...base(), '--table', 'Rate', '--key', '{"session_id": 1}', '--json'], {
      dataDir,
      timeoutMs: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('done');
    const again = runJoinery(['run-job', ...base(), '--table', '__rate', '--key', '{"session_id": 1}'], {
      dataDir,
      timeoutMs: 120_000,
    });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('already computed');
  });

  it('started twice on one key: one runs, the other exits 1 naming who holds it', async () => {
    const args = ['run-job', ...base(), '--table', 'Rate', '--key', '{"session_id": 2}', '--json'];
    let firstDone: CliResult | null = null;
    const first = runJoineryAsync(args, { dataDir }).then((r) => (firstDone = r));
    // the second starts once the first holds the key (the first waits at its gate until then)
    let held = false;
    while (!held && !firstDone) {
      const jobs = runJoinery(['jobs', '--db', s.url, '--schema', s.schema, '--json'], { dataDir });
      held = jobs.status === 0 && (JSON.parse(jobs.stdout).jobs as { key_hash: string }[]).length > 0;
      if (!held) await new Promise((r) => setTimeout(r, 300));
    }
    expect(firstDone, `the first run-job ended before holding the key: ${JSON.stringify(firstDone)}`).toBeNull();
    const second = await runJoineryAsync(args, { dataDir });
    writeFileSync(gate, '');
    const one = await first;
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).status).toBe('done');
    expect(second.status, second.stdout + second.stderr).toBe(1);
    const out = JSON.parse(second.stdout);
    expect(out.status).toBe('held');
    expect(out.holder.host).toBe(os.hostname());
    expect(out.message).toMatch(/held by .* \(pid \d+\)/);
  });

  it('a failing task exits 1 with its error, and leaves the key as a DataJoint error row', () => {
    const r = runJoinery(['run-job', ...base(), '--table', 'Rate', '--key', '{"session_id": 3}'], {
      dataDir,
      timeoutMs: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/failed: .*(exit|status) .*3|broken/i);
    const jobs = runJoinery(['jobs', '--db', s.url, '--schema', s.schema, '--status', 'error', '--json'], { dataDir });
    expect(JSON.parse(jobs.stdout).jobs).toHaveLength(1);
  });

  it('bad keys are usage errors naming the key attributes; nothing runs', () => {
    const wrong = runJoinery(['run-job', ...base(), '--table', 'Rate', '--key', '{"subject": 1}'], { dataDir });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('session_id');
    const notJson = runJoinery(['run-job', ...base(), '--table', 'Rate', '--key', '{session_id: 1}'], { dataDir });
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('--key is not valid JSON');
    const manual = runJoinery(['run-job', ...base(), '--table', 'Session', '--key', '{"session_id": 1}'], { dataDir });
    expect(manual.status).toBe(2);
    expect(manual.stderr).toContain('not an Imported or Computed table');
  });
});
