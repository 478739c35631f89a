import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { encodeBlob } from '../electron/core/data/blob';
import { ensureJobTables } from '../electron/core/jobs/job-tables';
import { createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../test/support/mysql';
import { startJoineryServer } from '../test/e2e/support/joinery-server';
import { report } from './harness';

/**
 * The Jobs view in Chromium against `joinery serve` on MariaDB: ms from opening the Jobs tab to its
 * first rows painted, and ms from a filter change to the filtered rows painted, with 100k jobs in
 * `~jobs` and Joinery's lease table; baseline: the same view with 1k jobs, in the same run. Each
 * database is served to a MariaDB user that sees only it, so other databases on the server do not count.
 */
const BIG = 100_000;
const SMALL = 1_000;
const SHOTS = 'test-results/screens';
const MESSAGES = [
  'JobError: the container exited with status 3: cannot read /data/raw/item_{n}.tif',
  'ValueError: threshold {n} too low for noisy recording',
  'OutOfMemoryError: the container ran out of memory (limit 512 MB) and was killed',
  "KeyError: 'session_{n}'",
];

/** A database with `jobs` rows in `~jobs` (60% error, 30% reserved, 10% ignore) and a user that sees only it. */
export async function fillJobs(jobs: number): Promise<{ db: string; user: string }> {
  const db = uniqueDbName('jt_bench_jobsview');
  const { core } = createTestCore();
  const open = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
  if (!open.ok) throw new Error(open.error.message);
  const connectionId = (open.value as { id: string }).id;
  const call = async (method: string, input: object) => {
    const r = await core.dispatch(method, { ...input, connectionId }, { transport: 'in-process', host: 'cli' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  };
  await call('schema.create', { name: db });
  await call('table.declare', {
    tables: [
      { schema: db, class_name: 'Item', tier: 'Manual', definition: 'item_id : int\n---\nx : int' },
      { schema: db, class_name: 'Square', tier: 'Computed', definition: '-> Item\n---\nvalue : bigint' },
    ],
  });
  await ensureJobTables(core.services.connections.driver(connectionId), db);
  await core.dispose();

  const c = await rawMysql();
  try {
    const BATCH = 5000;
    for (let start = 0; start < jobs; start += BATCH) {
      const rows: unknown[][] = [];
      for (let i = start; i < Math.min(jobs, start + BATCH); i++) {
        const status = i % 10 < 6 ? 'error' : i % 10 < 9 ? 'reserved' : 'ignore';
        const message = status === 'error' ? MESSAGES[i % MESSAGES.length]!.replace('{n}', String(i)) : '';
        const ts = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
        rows.push([
          '__square',
          createHash('md5').update(String(i)).digest('hex'),
          status,
          Buffer.from(encodeBlob({ item_id: i })),
          message,
          'dj@localhost',
          `host-${i % 7}`,
          1000 + (i % 50),
          i,
          ts,
        ]);
      }
      await c.query(
        `INSERT INTO \`${db}\`.\`~jobs\` (table_name, key_hash, status, \`key\`, error_message, user, host, pid, connection_id, \`timestamp\`) VALUES ?`,
        [rows],
      );
    }
    const user = `jv_${db.slice(-6)}`;
    await c.query(`CREATE USER '${user}'@'127.0.0.1'`);
    await c.query(`GRANT ALL ON \`${db}\`.* TO '${user}'@'127.0.0.1'`);
    return { db, user };
  } finally {
    await c.end();
  }
}

/** ms from clicking the Jobs tab to its first row painted (measured in the page). */
async function firstPaint(page: Page, loginUrl: string): Promise<number> {
  await page.goto(loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('tab', { name: 'Progress' }).waitFor();
  await page.locator('[data-progress]').first().waitFor();
  // the Progress tab's own reads (pipeline counts, work waiting for input) finish first: the figure is
  // the Jobs view's. Not 'networkidle': the page's live polling may never leave the network idle.
  await page.waitForFunction("!document.querySelector('.loading-line, .spinner')", undefined, {
    timeout: 120_000,
  });
  // a string, not a function: tsx would add helpers to a function that the page does not have
  return page.evaluate<number>(`(async () => {
    const t0 = performance.now();
    document.querySelector('#jobs-tab-jobs').click();
    while (!document.querySelector('[data-job]')) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`);
}

/** ms from pressing a status chip to the rows of that status painted. */
async function filterChange(page: Page, chip: string, status: string): Promise<number> {
  const ms = await page.evaluate<number>(`(async () => {
    const button = [...document.querySelectorAll('.status-chips button')].find((b) => b.textContent === ${JSON.stringify(chip)});
    const before = document.querySelector('.jobs-table').dataset.total;
    const t0 = performance.now();
    button.click();
    for (;;) {
      const table = document.querySelector('.jobs-table');
      const first = document.querySelector('[data-job]');
      const ready = table.dataset.fresh === 'true' && table.dataset.total !== before;
      if (ready && first && first.dataset.status === ${JSON.stringify(status)}) break;
      await new Promise((r) => requestAnimationFrame(r));
    }
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`);
  await page.getByRole('button', { name: chip, exact: true }).click(); // back to every status
  await page.locator('.jobs-table[data-fresh="true"]').waitFor();
  await page.locator('[data-job]').first().waitFor();
  return ms;
}

async function measure(jobs: number, shots: boolean): Promise<{ paint: number; filter: number }> {
  const { db, user } = await fillJobs(jobs);
  const server = await startJoineryServer({ db: `mysql://${user}@127.0.0.1:3306` });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    let paint = Infinity;
    for (let i = 0; i < 3; i++) paint = Math.min(paint, await firstPaint(page, server.loginUrl));
    let filter = Infinity;
    for (const [chip, status] of [
      ['error', 'error'],
      ['reserved', 'reserved'],
      ['ignored', 'ignore'],
    ] as const)
      filter = Math.min(filter, await filterChange(page, chip, status));
    if (shots) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/jobs-100k.png` });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${SHOTS}/jobs-100k-dark.png` });
    }
    return { paint, filter };
  } finally {
    await browser.close();
    await server.stop();
    const c = await rawMysql();
    await c.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`).finally(() => c.end());
    await dropDatabases([db]);
  }
}

if (process.env.JOBS_VIEW_FILL_ONLY) {
  console.log(JSON.stringify(await fillJobs(Number(process.env.JOBS_VIEW_FILL_ONLY))));
  process.exit(0);
}
const small = await measure(SMALL, false);
const big = await measure(BIG, true);
report({
  bench: 'jobs-view',
  metric: 'first_paint_ms_100k_jobs',
  value: big.paint,
  unit: 'ms',
  baseline: 'first paint of the same view with 1k jobs',
  baseline_value: small.paint,
});
report({
  bench: 'jobs-view',
  metric: 'filter_change_ms_100k_jobs',
  value: big.filter,
  unit: 'ms',
  baseline: 'the same filter change with 1k jobs',
  baseline_value: small.filter,
});
