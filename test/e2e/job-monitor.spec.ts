import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { MethodName, Out, RawIn } from '../../shared/api/contract';
import type { Core } from '../../electron/core/container';
import { encodeBlob } from '../../electron/core/data/blob';
import { createTestCore } from '../support/core';
import { isSkipped } from '../support/env';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../support/mysql';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * The job monitor in a browser against `joinery serve` on MariaDB, with real busybox containers:
 * 50 jobs, every tenth-plus-three failing on purpose; progress moves without reloading, errors are
 * grouped, a failing job's log is read, the task is fixed and the group retried, a sleeping job is
 * cancelled, and a `~jobs` error row written by DataJoint Python (raw SQL) shows up by itself.
 */
const SHOTS = 'test-results/screens';
const ITEMS = 50;
const FAILING = [3, 13, 23, 33, 43];
const IMAGE = 'lab/busybox:1';
// busybox sh: the key is {"item_id": N}; items ending in 3 fail with a path in the message
const FAILING_SCRIPT =
  'id=$(tr -cd 0-9 < /joinery/in/key.json); echo "computing item $id" >&2; ' +
  'if [ $((id % 10)) -eq 3 ]; then echo "cannot read /data/raw/item_$id.tif" >&2; exit 3; fi; ' +
  'echo "{\\"rows\\": [{\\"value\\": $((id * id))}]}" > /joinery/out/result.json';
const FIXED_SCRIPT =
  'id=$(tr -cd 0-9 < /joinery/in/key.json); echo "computing item $id (fixed)" >&2; ' +
  'echo "{\\"rows\\": [{\\"value\\": $((id * id))}]}" > /joinery/out/result.json';
const SLEEP_SCRIPT = 'echo "sleeping"; sleep 600';

let server: JoineryServer;
let core: Core;
let connectionId: string;
const db = uniqueDbName('jt_e2e_jobs');
const square = `${db}.__square`;
const user = `jm_${db.slice(-6)}`;
const hashOf = (itemId: number) => createHash('md5').update(String(itemId)).digest('hex'); // DataJoint's key_hash of {'item_id': n}

async function call<M extends MethodName>(method: M, input: Omit<RawIn<M>, 'connectionId'>): Promise<Out<M>> {
  const res = await core.dispatch(method, { ...input, connectionId }, { transport: 'in-process', host: 'cli' });
  if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
  return res.value as Out<M>;
}

async function setTask(script: string): Promise<void> {
  await call('task.set', {
    schema: db,
    table: '__square',
    spec: {
      image: IMAGE,
      command: ['sh', '-c', script],
      timeout_s: 900,
      resources: { cpus: 0.5, memory: 64 * 1024 ** 2 },
    },
  });
}

async function populateSquare(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Progress' }).click();
  await page.getByRole('button', { name: 'Populate Square', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Populate Square/ });
  await expect(dialog.getByRole('combobox')).toHaveValue('docker');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
}

test.skip(isSkipped('mysql') || isSkipped('docker'), 'needs MariaDB and Docker');

test.beforeAll(async () => {
  core = createTestCore().core;
  const open = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
  if (!open.ok) throw new Error(open.error.message);
  connectionId = (open.value as { id: string }).id;
  // the shared server holds other runs' schemas of both generations: choose, do not inherit
  await call('schema.create', { name: db, conventions: '0.14' });
  await call('table.declare', {
    tables: [
      { schema: db, class_name: 'Item', tier: 'Manual', definition: 'item_id : int\n---\nx : int' },
      { schema: db, class_name: 'Square', tier: 'Computed', definition: '-> Item\n---\nvalue : bigint' },
    ],
  });
  await call('data.insert', {
    schema: db,
    table: 'item',
    rows: Array.from({ length: ITEMS }, (_, i) => ({ item_id: i, x: i })),
  });
  await setTask(FAILING_SCRIPT);
  // the server logs in as a user that sees only this test's database: other tests' databases, made and
  // dropped on the same MariaDB meanwhile, stay out of this one's screens
  const raw = await rawMysql();
  try {
    await raw.query(`CREATE USER '${user}'@'127.0.0.1'`);
    await raw.query(`GRANT ALL ON \`${db}\`.* TO '${user}'@'127.0.0.1'`);
  } finally {
    await raw.end();
  }
  server = await startJoineryServer({ db: `mysql://${user}@127.0.0.1:3306` });
});

test.afterAll(async () => {
  await server?.stop();
  await core?.dispose();
  const raw = await rawMysql();
  await raw.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`).finally(() => raw.end());
  await dropDatabases([db]);
});

test('watch 50 container jobs, read a failure, fix it, retry the group, cancel one, see another client', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(server.loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();

  const progress = page.locator(`[data-progress="${square}"]`);
  await expect(progress).toHaveAttribute('data-pending', String(ITEMS));
  await expect(progress).toHaveAttribute('data-done', '0');
  await page.screenshot({ path: `${SHOTS}/jobs-progress-before.png` });

  await test.step('populate: progress moves without a reload, failures land as errors', async () => {
    await populateSquare(page);
    await expect
      .poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 240_000 })
      .toBeGreaterThan(0);
    await expect(progress).toHaveAttribute('data-done', String(ITEMS - FAILING.length), { timeout: 240_000 });
    await expect(progress).toHaveAttribute('data-error', String(FAILING.length), { timeout: 60_000 });
    await expect(progress).toHaveAttribute('data-pending', '0');
    await page.screenshot({ path: `${SHOTS}/jobs-progress-after.png` });
  });

  await test.step('errors appear grouped by cause, and a failing job shows its log', async () => {
    await page.getByRole('tab', { name: 'Jobs' }).click();
    // the server lists every database of the MariaDB server: look at this test's own only
    const group = page.locator(`[data-error-group][data-tables~="${square}"]`);
    await expect(group).toHaveCount(1);
    await expect(group).toHaveAttribute('data-count', String(FAILING.length));
    for (const i of FAILING)
      await expect(page.locator(`[data-job="${square}:${hashOf(i)}"]`)).toHaveAttribute('data-status', 'error');
    await page.locator(`[data-job="${square}:${hashOf(13)}"]`).click();
    const detail = page.getByRole('complementary', { name: 'Job details' });
    await expect(detail.getByLabel('Job log')).toContainText('cannot read /data/raw/item_13.tif');
    await expect(detail.getByLabel('Job log')).toContainText('computing item 13');
    await expect(detail).toContainText('exit code 3');
    await page.screenshot({ path: `${SHOTS}/jobs-list-errors.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/jobs-list-errors-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('fix the task, retry the whole group, and the keys compute', async () => {
    await setTask(FIXED_SCRIPT);
    await page
      .locator(`[data-error-group][data-tables~="${square}"]`)
      .getByRole('button', { name: /^Retry all 5 jobs/ })
      .click();
    await expect(page.getByRole('status').filter({ hasText: '5 jobs sent back to the queue' })).toBeVisible();
    await expect(page.locator(`[data-error-group][data-tables~="${square}"]`)).toHaveCount(0);
    await populateSquare(page);
    await expect(progress).toHaveAttribute('data-done', String(ITEMS), { timeout: 240_000 });
    await expect(progress).toHaveAttribute('data-error', '0');
  });

  await test.step('cancel a running job', async () => {
    await setTask(SLEEP_SCRIPT);
    await call('data.insert', { schema: db, table: 'item', rows: [{ item_id: ITEMS, x: 0 }] });
    await populateSquare(page);
    await page.getByRole('tab', { name: 'Jobs' }).click();
    const row = page.locator(`[data-job="${square}:${hashOf(ITEMS)}"]`);
    await expect(row).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    await row.click();
    const detail = page.getByRole('complementary', { name: 'Job details' });
    await expect(detail.getByLabel('Job log')).toContainText('sleeping', { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/jobs-running-live-log.png` });
    await detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(detail.getByRole('status')).toHaveText('1 job cancelled.');
    await expect(row).not.toHaveAttribute('data-status', /running|cancel/, { timeout: 120_000 });
    await expect(detail.getByRole('region', { name: 'Attempts' })).toContainText('cancelled', { timeout: 30_000 });
  });

  await test.step('a ~jobs error row written by DataJoint Python appears by itself', async () => {
    const raw = await rawMysql();
    try {
      await raw.query(
        `INSERT INTO \`${db}\`.\`~jobs\` (table_name, key_hash, status, \`key\`, error_message, error_stack, user, host, pid, connection_id) VALUES (?, ?, 'error', ?, ?, ?, 'dj@localhost', 'dj-laptop', 4242, 7)`,
        [
          '__square',
          hashOf(999),
          Buffer.from(encodeBlob({ item_id: 999 })),
          'DataJointError: Attempt to insert 999 failed',
          Buffer.from(encodeBlob('Traceback (most recent call last):\nDataJointError: Attempt to insert 999 failed')),
        ],
      );
    } finally {
      await raw.end();
    }
    const row = page.locator(`[data-job="${square}:${hashOf(999)}"]`);
    await expect(row).toHaveAttribute('data-status', 'error', { timeout: 20_000 });
    await row.click();
    await expect(page.getByRole('complementary', { name: 'Job details' })).toContainText(
      'Traceback (most recent call last)',
    );
    await expect(
      page.locator(`[data-error-group][data-tables~="${square}"]`).filter({ hasText: 'DataJointError' }),
    ).toBeVisible();
  });

  await test.step('the timeline shows the attempts per worker', async () => {
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.locator('rect[data-status="success"]').first()).toBeAttached();
    await expect(page.locator('rect[data-status="error"]').first()).toBeAttached();
    // it opens on the smallest span that holds the attempts (these took minutes): zoom out, and back in
    const span = page.locator('.zoom-span');
    const fitted = await span.textContent();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await expect(span).not.toHaveText(fitted!);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect(span).toHaveText(fitted!);
    await page.screenshot({ path: `${SHOTS}/jobs-timeline.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/jobs-timeline-dark.png` });
    await page.getByRole('tab', { name: 'Progress' }).click();
    await page.screenshot({ path: `${SHOTS}/jobs-progress-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });
  expect(problems).toEqual([]);
});

test('loading and error states say what is happening and what to do', async ({ page }) => {
  await page.goto(server.loginUrl);
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/rpc/jobs.pending', async (route) => {
    await held;
    await route.continue();
  });
  // the server answering the job list with an error (as when the database went away) is shown with a way
  // out; routed before the first read, so no earlier answer is in the cache to show instead
  await page.route('**/rpc/jobs.list', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        ok: false,
        error: {
          code: 'DB_UNREACHABLE',
          message: 'The database server does not answer.',
          hint: 'Check that MariaDB runs, then open the Jobs tab again.',
        },
      }),
    }),
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByText('Counting the keys of every table…')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/jobs-loading.png` });
  release();
  await expect(page.locator(`[data-progress="${square}"]`)).toBeVisible();

  await page.getByRole('tab', { name: 'Jobs' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The database server does not answer.' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/jobs-error.png` });
});

test('the jobs that staged rows would start are drawn on the diagram', async ({ page }) => {
  await call('data.insert', { schema: db, table: 'item', rows: [{ item_id: 1000, x: 1000 }] });
  try {
    await page.goto(server.loginUrl);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    const waiting = page.getByRole('region', { name: 'Waiting for you' });
    await waiting.getByRole('combobox', { name: 'Staged rows of' }).selectOption(`${db}.item`);
    await waiting.getByRole('textbox', { name: 'Rows matching (optional JSON)' }).fill('{"item_id": 1000}');
    await waiting.getByRole('button', { name: 'Show plan' }).click();
    await expect(waiting.locator(`[data-plan="${square}"]`)).toHaveAttribute('data-jobs', '1');
    await waiting.getByRole('button', { name: 'Show on the diagram' }).click();

    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipeline' }),
    ).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('status').filter({ hasText: 'would start 1 job in 1 table' })).toBeVisible();
    const node = page.locator(`[data-table="${square}"]`);
    await expect(node).toHaveAttribute('data-affected', 'true');
    await expect(node.locator('[data-note]')).toHaveText('+1 job');
    await expect(page.locator(`[data-table="${db}.item"] [data-note]`)).toHaveText('1 staged');
    await page.screenshot({ path: `${SHOTS}/jobs-plan-on-diagram.png` });
    await page.getByRole('button', { name: 'Clear highlight' }).click();
    await expect(node).not.toHaveAttribute('data-affected', 'true');
  } finally {
    const raw = await rawMysql();
    await raw.query(`DELETE FROM \`${db}\`.item WHERE item_id = 1000`).finally(() => raw.end());
  }
});
