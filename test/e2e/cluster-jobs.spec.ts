import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { isSkipped } from '../support/env';
import { runJoinery } from '../support/cli';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * The job monitor shows the keys handed to Slurm (`populate --backend slurm --detach`) with Slurm's
 * own states and logs, and its Cancel reaches scancel. Real one-node Slurm from scripts/services.sh.
 */
const SHOTS = 'test-results/screens';
const KEYS = 4;
let server: JoineryServer;
let dir: string;
let dbUrl: string;

test.skip(isSkipped('slurm'), 'JOINERY_SKIP includes slurm');
test.setTimeout(300_000);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-slurm-'));
  dbUrl = `sqlite:${path.join(dir, 'lab.db')}`;
  const cli = (args: string[]) => {
    const r = runJoinery(args, { dataDir: path.join(dir, 'data'), timeoutMs: 180_000 });
    if (r.status !== 0) throw new Error(`joinery ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  writeFileSync(
    path.join(dir, 'defs.json'),
    JSON.stringify([
      { schema: 'lab', class_name: 'Session', tier: 'Manual', definition: 'session_id : int' },
      { schema: 'lab', class_name: 'Sorting', tier: 'Computed', definition: '-> Session\n---\nunits : int' },
    ]),
  );
  cli(['declare', '--db', dbUrl, '--file', path.join(dir, 'defs.json')]);
  writeFileSync(
    path.join(dir, 'rows.json'),
    JSON.stringify(Array.from({ length: KEYS }, (_, i) => ({ session_id: i + 1 }))),
  );
  cli(['insert', '--db', dbUrl, '--table', 'lab.Session', '--file', path.join(dir, 'rows.json')]);
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify({ command: 'sleep 600' }));
  cli(['task', 'set', '--db', dbUrl, '--schema', 'lab', '--table', 'Sorting', '--file', path.join(dir, 'task.json')]);
  cli([
    'populate',
    '--db',
    dbUrl,
    '--schema',
    'lab',
    '--backend',
    'slurm',
    '--detach',
    '--spool',
    path.join(dir, 'spool'),
  ]);
  server = await startJoineryServer({ db: dbUrl });
});

test.afterAll(async () => {
  runJoinery(['jobs', 'cancel', '--db', dbUrl, '--schema', 'lab', '--table', 'Sorting', '--status', 'running'], {
    dataDir: path.join(dir, 'data'),
  });
  spawnSync('scancel', ['--name=joinery-__sorting']);
  await server?.stop();
});

test('the Progress tab lists the keys at Slurm with their state, and Cancel reaches scancel', async ({ page }) => {
  await page.goto(server.loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  const panel = page.getByRole('region', { name: 'At the cluster scheduler' });
  await expect(panel).toBeVisible({ timeout: 60_000 });
  const rows = panel.locator('[data-cluster-job]');
  await expect(rows).toHaveCount(KEYS, { timeout: 60_000 });
  for (const state of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))
    expect(['PENDING', 'RUNNING']).toContain(state);
  await page.screenshot({ path: `${SHOTS}/jobs-cluster.png`, fullPage: true });
  const first = rows.first();
  const slurmId = (await first.getAttribute('data-cluster-job'))!;
  await first.getByRole('button', { name: `Cancel slurm job ${slurmId}` }).click();
  await expect(panel.locator(`[data-cluster-job="${slurmId}"]`)).toHaveCount(0, { timeout: 60_000 });
  await expect(panel.getByText('1 cancelled')).toBeVisible();
  // Slurm may show the job as completing for a moment; it must no longer be pending or running
  const live = () =>
    spawnSync('squeue', ['-h', '-r', '-t', 'PENDING,RUNNING', '-o', '%i'], { encoding: 'utf8' }).stdout.split('\n');
  await expect.poll(live, { timeout: 60_000 }).not.toContain(slurmId);
});
