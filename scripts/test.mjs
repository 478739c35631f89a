#!/usr/bin/env node
// `npm test`: make sure the services answer, build the UI, run vitest (unit + integration) and
// Playwright (e2e in Debian's Chromium), then print one line `N passed, N failed` for all suites.
// Extra arguments go to vitest (e.g. `npm test -- test/unit/url.test.ts` runs one file, no e2e).
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const extra = process.argv.slice(2);
const skipped = new Set((process.env.JOINERY_SKIP ?? '').split(',').filter(Boolean));

function ensureServices() {
  if (skipped.has('mysql') && skipped.has('docker')) return;
  const isDebianRoot = process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  const script = path.join(root, 'scripts/services.sh');
  if (isDebianRoot) {
    const r = spawnSync('bash', [script, 'all'], { stdio: 'inherit' });
    if (r.status !== 0) fail('scripts/services.sh could not start MariaDB and Docker (see above).');
    return;
  }
  const r = spawnSync('bash', [script, 'check'], { stdio: 'inherit' });
  if (r.status !== 0) {
    fail(
      'The integration tests need MariaDB on 127.0.0.1:3306 (root, empty password), a Docker engine and /usr/bin/chromium.\n' +
        'On Debian 12 run `sudo bash scripts/services.sh`; elsewhere start those services yourself,\n' +
        'or skip them explicitly with JOINERY_SKIP=mysql,docker npm test.',
    );
  }
}

function fail(message) {
  console.error(`npm test: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** Runs a command, echoing its output, and returns {status, summary} from its last summary line. */
function runSuite(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-4000);
    });
    child.on('close', (status) => {
      const lines = [...tail.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)];
      const last = lines.at(-1);
      resolve({ status, passed: last ? Number(last[1]) : 0, failed: last ? Number(last[2]) : status === 0 ? 0 : 1 });
    });
  });
}

ensureServices();
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed (see above).');

const bin = (name) => path.join(root, 'node_modules/.bin', name);
const suites = [];
suites.push(
  await runSuite(bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=./test/support/vitest-summary-reporter.ts',
    ...extra,
  ]),
);
if (extra.length === 0 && existsSync(path.join(root, 'playwright.config.ts'))) {
  suites.push(await runSuite(bin('playwright'), ['test']));
}
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || suites.some((s) => s.status !== 0) ? 1 : 0);
