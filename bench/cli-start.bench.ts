import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOINERY_BIN } from '../test/support/cli';
import { dropDatabases, MYSQL_URL, runMysqlScript, uniqueDbName } from '../test/support/mysql';
import { report } from './harness';

/**
 * Start-up cost of the `joinery` command as a user meets it: wall time of `joinery --help` and of
 * `joinery query --count` against MariaDB, each a fresh process, median of RUNS runs, against
 * `node -e 0` (the cost of starting Node at all) in the same run. The CLI bundle is built first,
 * as `npm install` does. Goals: --help <= 0.25 s, a query <= 0.5 s.
 */
const RUNS = 7;
const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-bench-cli-'));
const env = { ...process.env, JOINERY_DATA_DIR: dataDir };

/** Median wall seconds of RUNS runs of `node args...`, after one warm-up run (file cache). */
function medianSeconds(args: string[]): number {
  const once = () => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
    return s;
  };
  once();
  const times = Array.from({ length: RUNS }, once).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--cli-only'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('building the CLI bundle failed');

const db = uniqueDbName('bench_cli');
await runMysqlScript(
  `CREATE DATABASE \`${db}\`; CREATE TABLE \`${db}\`.subject (subject_id int NOT NULL, PRIMARY KEY (subject_id)) COMMENT 'subjects';` +
    `INSERT INTO \`${db}\`.subject VALUES (1), (2), (3);`,
);
try {
  const node = medianSeconds(['-e', '0']);
  const help = medianSeconds([JOINERY_BIN, '--help']);
  const query = medianSeconds([JOINERY_BIN, 'query', '--db', MYSQL_URL, '--schema', db, '--count', 'Subject']);
  const baseline = 'node -e 0 (median wall time)';
  report({ bench: 'cli-start', metric: 'help_wall_s', value: help, unit: 's', baseline, baseline_value: node });
  report({ bench: 'cli-start', metric: 'query_count_wall_s', value: query, unit: 's', baseline, baseline_value: node });
} finally {
  await dropDatabases([db]);
  rmSync(dataDir, { recursive: true, force: true });
}
