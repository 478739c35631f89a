import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { report } from './harness';

/**
 * The Slurm backend (`populate --backend slurm`) on the one-node Slurm of scripts/services.sh:
 *  - seconds per job through Slurm (job arrays of `joinery run-job`) vs the same jobs through
 *    `joinery populate --runner process` in the same run: the overhead ratio of going through Slurm;
 *  - seconds from `populate --backend slurm --detach` to every job submitted, for 1,000 keys, vs one
 *    plain `sbatch --array` of 1,000 tasks in the same run (the jobs are cancelled, not run).
 */
const JOBS = Number(process.env.JOINERY_BENCH_SLURM_JOBS ?? 20);
const SUBMIT_KEYS = 1000;
const bin = path.resolve(import.meta.dirname, '../bin/joinery.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-bench-slurm-'));
const env = { ...process.env, JOINERY_DATA_DIR: path.join(dir, 'data') };

function joinery(args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`joinery ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const seconds = (work: () => unknown) => {
  const t0 = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

/** A SQLite pipeline with `n` sessions and two computed tables with the same trivial command task. */
function pipeline(file: string, n: number): string {
  const db = `sqlite:${file}`;
  const defs = path.join(dir, 'defs.json');
  writeFileSync(
    defs,
    JSON.stringify([
      { schema: 'lab', class_name: 'Session', tier: 'Manual', definition: 'session_id : int' },
      { schema: 'lab', class_name: 'ViaSlurm', tier: 'Computed', definition: '-> Session\n---\nv : int' },
      { schema: 'lab', class_name: 'ViaProcess', tier: 'Computed', definition: '-> Session\n---\nv : int' },
    ]),
  );
  joinery(['declare', '--db', db, '--file', defs]);
  const rows = path.join(dir, `rows-${n}.json`);
  writeFileSync(rows, JSON.stringify(Array.from({ length: n }, (_, i) => ({ session_id: i + 1 }))));
  joinery(['insert', '--db', db, '--table', 'lab.Session', '--file', rows]);
  const task = path.join(dir, 'task.json');
  writeFileSync(task, JSON.stringify({ command: `echo '{"rows":[{"v":1}]}' > "$JOINERY_OUT/result.json"` }));
  for (const t of ['ViaSlurm', 'ViaProcess'])
    joinery(['task', 'set', '--db', db, '--schema', 'lab', '--table', t, '--file', task]);
  return db;
}

try {
  const db = pipeline(path.join(dir, 'run.db'), JOBS);
  const viaProcess = seconds(() =>
    joinery(['populate', '--db', db, '--schema', 'lab', '--table', 'ViaProcess', '--runner', 'process']),
  );
  const viaSlurm = seconds(() =>
    joinery([
      'populate',
      '--db',
      db,
      '--schema',
      'lab',
      '--table',
      'ViaSlurm',
      '--backend',
      'slurm',
      '--spool',
      path.join(dir, 'spool'),
    ]),
  );
  report({
    bench: 'slurm',
    metric: 'seconds_per_job',
    value: viaSlurm / JOBS,
    unit: 's',
    baseline: `populate --runner process of the same ${JOBS} jobs`,
    baseline_value: viaProcess / JOBS,
  });

  const big = pipeline(path.join(dir, 'submit.db'), SUBMIT_KEYS);
  const script = path.join(dir, 'noop.sh');
  writeFileSync(script, '#!/bin/sh\ntrue\n', { mode: 0o755 });
  let plainId = '';
  const plain = seconds(() => {
    plainId = spawnSync(
      'sbatch',
      ['--parsable', '--hold', `--array=0-${SUBMIT_KEYS - 1}`, '--output=/dev/null', script],
      {
        encoding: 'utf8',
      },
    ).stdout.trim();
  });
  spawnSync('scancel', [plainId]);
  let out = '';
  const submit = seconds(() => {
    out = joinery([
      'populate',
      '--db',
      big,
      '--schema',
      'lab',
      '--table',
      'ViaSlurm',
      '--backend',
      'slurm',
      '--detach',
      '--json',
      '--spool',
      path.join(dir, 'spool2'),
    ]);
  });
  const submitted = JSON.parse(out).tables?.[0]?.submitted ?? 0;
  // the jobs themselves are not part of this figure: cancel them
  const jobs = JSON.parse(joinery(['jobs', '--db', big, '--schema', 'lab', '--json'])).cluster as {
    external_id: string;
  }[];
  spawnSync('scancel', [...new Set(jobs.map((j) => j.external_id.split('_')[0]!))]);
  if (submitted !== SUBMIT_KEYS) throw new Error(`submitted ${submitted} of ${SUBMIT_KEYS} keys`);
  report({
    bench: 'slurm',
    metric: 'seconds_to_submit_1000_keys',
    value: submit,
    unit: 's',
    baseline: 'one plain sbatch --array of 1000 tasks',
    baseline_value: plain,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
