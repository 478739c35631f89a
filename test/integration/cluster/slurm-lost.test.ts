import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSkipped, START_SERVICES_HINT } from '../../support/env';
import { lockSlurm } from '../../support/slurm-lock';
import { runJoinery, runJoineryAsync } from '../../support/cli';
import { type JobsSetup, openJobsSetup } from '../jobs/support';

// Slurm ends jobs on its own clock (a time limit is checked every 30 s): slow, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

const sh = (program: string, args: string[]) => spawnSync(program, args, { encoding: 'utf8' });
const slurmUp = () => /idle|mixed|allocated/.test(sh('sinfo', ['-h', '-o', '%T']).stdout);
const nodeName = () => sh('sinfo', ['-h', '-N', '-o', '%N']).stdout.trim().split('\n')[0]!;
/** Brings the node back when it is still down (ReturnToService=2 usually has already). */
const restoreNode = (node: string) => {
  if (/down|drain/i.test(sh('sinfo', ['-h', '-n', node, '-o', '%T']).stdout))
    sh('scontrol', ['update', `NodeName=${node}`, 'State=RESUME']);
};

interface ClusterRow {
  table_name: string;
  external_id: string;
  state: string;
  submissions: number;
  log_path: string;
}

/**
 * Jobs that Slurm itself ends (a node failure, a time-out) are "lost": `populate --backend slurm`
 * submits the key again while the task's retries last, then leaves DataJoint's error row naming
 * the Slurm state and log. Against the real one-node Slurm of scripts/services.sh: the node is set
 * DOWN under a running job (and restored), and a running job's time limit is cut to Slurm's
 * minimum of one minute, as a cluster's limit would end it.
 */
describe.skipIf(isSkipped('slurm'))('populate --backend slurm: lost jobs', () => {
  let s: JobsSetup;
  let dataDir: string;
  let spool: string;
  let node: string;
  const submitted = new Set<string>();
  const db = () => ['--db', s.url];

  // the other Slurm suite sets the node down and cuts time limits: one file at a time on the cluster
  let releaseSlurm: (() => void) | undefined;
  beforeAll(async () => {
    releaseSlurm = await lockSlurm();
  }, 1_800_000);

  beforeAll(async () => {
    if (!slurmUp()) throw new Error(`Slurm is not running (sinfo shows no idle node). ${START_SERVICES_HINT}`);
    node = nodeName();
    s = await openJobsSetup('sqlite', 'slurm-lost');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-slurm-lost-data-'));
    spool = mkdtempSync(path.join(os.tmpdir(), 'joinery-slurm-lost-spool-'));
    const t = (class_name: string, tier: 'Manual' | 'Computed', definition: string) => ({
      schema: s.schema,
      class_name,
      tier,
      definition,
    });
    await s.call('table.declare', {
      tables: [
        t('Session', 'Manual', 'session_id : int'),
        t('NodeLost', 'Computed', '-> Session\n---\ndone : int'),
        t('TimedOut', 'Computed', '-> Session\n---\ndone : int'),
      ],
    });
    await s.call('data.insert', { schema: s.schema, table: 'session', rows: [{ session_id: 1 }] });
    // jobs that would run for ten minutes, well inside their own time-out: only Slurm ends them
    const spec = {
      command: ['sh', '-c', `sleep 600; printf '{"rows":[{"done":1}]}' > "$JOINERY_OUT/result.json"`],
      timeout_s: 900,
      retries: 1,
      backoff_s: 0,
    };
    for (const table of ['__node_lost', '__timed_out']) await s.call('task.set', { schema: s.schema, table, spec });
    await s.core.dispose();
  }, 120_000);

  afterAll(() => {
    try {
      if (node) restoreNode(node);
      // leave the one-node cluster empty for the next suite
      const roots = [...submitted].map((id) => id.split('_')[0]!);
      if (roots.length > 0) sh('scancel', [...new Set(roots)]);
    } finally {
      releaseSlurm?.();
    }
  });

  /** The next running array task of a table's jobs that this test has not seen yet. */
  async function nextRunning(table: string): Promise<string> {
    let id = '';
    await vi.waitFor(
      () => {
        const ids = sh('squeue', ['-h', '-r', '-t', 'RUNNING', '-n', `joinery-${table}`, '-o', '%i']).stdout.split(
          '\n',
        );
        id = ids.map((x) => x.trim()).find((x) => x && !submitted.has(x)) ?? '';
        expect(id, `a new running Slurm job of ${table}`).not.toBe('');
      },
      { timeout: 240_000, interval: 1000 },
    );
    submitted.add(id);
    return id;
  }

  const populate = (table: string) =>
    runJoineryAsync(
      ['populate', ...db(), '--schema', s.schema, '--table', table, '--backend', 'slurm', '--spool', spool, '--json'],
      { dataDir },
    );

  /** After the retries: one DataJoint error row naming the Slurm state and log, and the cluster row saying the same. */
  function expectGivenUp(table: string, state: string) {
    const listed = runJoinery(['jobs', ...db(), '--schema', s.schema, '--table', table, '--json'], { dataDir });
    expect(listed.status, listed.stderr).toBe(0);
    const { jobs, cluster } = JSON.parse(listed.stdout) as {
      jobs: { status: string; error_message: string }[];
      cluster: ClusterRow[];
    };
    expect(cluster).toHaveLength(1);
    expect(cluster[0]).toMatchObject({ state, submissions: 2 });
    const errors = jobs.filter((j) => j.status === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error_message).toContain(`SlurmJobLost: ${state} after 2 submission(s)`);
    expect(errors[0]!.error_message).toContain(cluster[0]!.log_path);
    return cluster[0]!;
  }

  it('a node failure under a running job submits the key again, then leaves an error row', async () => {
    const run = populate('NodeLost');
    for (let attempt = 1; attempt <= 2; attempt++) {
      const id = await nextRunning('__node_lost');
      expect(sh('scontrol', ['update', `NodeName=${node}`, 'State=DOWN', 'Reason=joinery-test']).status).toBe(0);
      await vi.waitFor(() => expect(sh('scontrol', ['show', 'job', '-o', id]).stdout).toMatch(/JobState=NODE_FAIL/), {
        timeout: 60_000,
        interval: 500,
      });
      restoreNode(node);
      await vi.waitFor(() => expect(slurmUp()).toBe(true), { timeout: 60_000, interval: 1000 });
    }
    const r = await run;
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).tables[0]).toMatchObject({ submitted: 1, resubmitted: 1, lost: 2, completed: 0 });
    expectGivenUp('__node_lost', 'NODE_FAIL');
    expect(await tableRows('__node_lost')).toBe(0);
  });

  it('a job ended by its Slurm time limit is submitted again, then left as an error row with its log', async () => {
    const run = populate('TimedOut');
    for (let attempt = 1; attempt <= 2; attempt++) {
      const id = await nextRunning('__timed_out');
      // Slurm's smallest limit is one minute; it ends the job within its next 30-second check after that
      expect(sh('scontrol', ['update', `JobId=${id}`, 'TimeLimit=1']).status).toBe(0);
    }
    const r = await run;
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).tables[0]).toMatchObject({ submitted: 1, resubmitted: 1, lost: 2, completed: 0 });
    const row = expectGivenUp('__timed_out', 'TIMEOUT');
    expect(readFileSync(row.log_path, 'utf8')).toMatch(/DUE TO TIME LIMIT/);
    expect(await tableRows('__timed_out')).toBe(0);
  });

  async function tableRows(table: string): Promise<number> {
    const inspect = runJoinery(['inspect', ...db(), '--json'], { dataDir });
    const tables = JSON.parse(inspect.stdout).schemas[s.schema].tables as { table_name: string; row_count: number }[];
    return tables.find((t) => t.table_name === table)!.row_count;
  }
});
