import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../support/mysql';
import { JOINERY_BIN } from '../support/cli';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * The Workers screen, notifications and the Settings callbacks, in web mode against `joinery
 * serve` on the real MariaDB. The server logs in as a user of its own that sees only this spec's
 * database, so the worker donated here never claims another test's jobs.
 */
const SHOTS = 'test-results/screens';
const schema = uniqueDbName('jw_e2e');
const user = `jw_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
let server: JoineryServer;

async function sql(statements: string): Promise<void> {
  const c = await rawMysql();
  try {
    await c.query(statements);
  } finally {
    await c.end();
  }
}

/** Calls the server's API as the logged-in page does (same cookie). */
async function rpc<T = Record<string, unknown>>(page: Page, method: string, input: object = {}): Promise<T> {
  const res = await page.request.post(`${server.origin}/rpc/${method}`, { data: input });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value as T;
}

async function connectionId(page: Page): Promise<string> {
  const { open } = await rpc<{ open: { id: string }[] }>(page, 'connection.list');
  return open[0]!.id;
}

/** The screen, light and dark; with `part`, that part scrolled into view (the main area scrolls, not the page). */
async function shoot(page: Page, name: string, part?: Locator): Promise<void> {
  await part?.scrollIntoViewIfNeeded();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openPage(page: Page, name: 'Workers' | 'Settings'): Promise<void> {
  await page.goto(server.loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

// real processes, Docker and a shared 2-core machine: generous limits, no timing assertions
test.describe.configure({ mode: 'serial', timeout: 120_000 });

/** Console messages that mean the page broke (CSP violations, uncaught errors), per test. */
let problems: string[] = [];
test.beforeEach(({ page }) => {
  problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Uncaught/i.test(m.text())) problems.push(m.text());
  });
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

test.beforeAll(async () => {
  const host = new URL(MYSQL_URL).hostname;
  await sql(`
    CREATE DATABASE \`${schema}\`;
    CREATE USER '${user}'@'${host}';
    GRANT ALL ON \`${schema}\`.* TO '${user}'@'${host}';
    GRANT ALL ON \`~joinery\`.* TO '${user}'@'${host}';
  `);
  server = await startJoineryServer({ db: serverDbUrl() });
});

/** The database URL the server uses: this spec's own account, which sees only its database. */
function serverDbUrl(): string {
  const url = new URL(MYSQL_URL);
  url.username = user;
  url.password = '';
  return url.toString().replace(/\/$/, '');
}

test.afterAll(async () => {
  await server?.stop();
  await dropDatabases([schema]);
  await sql(`DROP USER IF EXISTS '${user}'@'${new URL(MYSQL_URL).hostname}'`);
});

test('the Workers page shows this machine, and the donation switch registers and unregisters it', async ({ page }) => {
  await openPage(page, 'Workers');
  const machine = page.getByRole('region', { name: 'This machine' });
  await expect(machine.getByText(os.hostname(), { exact: false }).first()).toBeVisible();
  const hardware = machine.getByRole('definition');
  await expect(hardware.first()).toContainText(/cores, \d+ threads/);
  await expect(page.locator('[data-donation-state="off"]')).toContainText('Not donating this machine.');
  await expect(page.getByRole('progressbar', { name: 'CPU use' })).toBeVisible();
  await shoot(page, 'workers-off');

  const donate = page.getByRole('switch', { name: 'Donate this machine' });
  await donate.click();
  await expect(donate).toBeChecked();
  await expect(page.locator('[data-donation-state]')).not.toHaveAttribute('data-donation-state', 'off');
  const { workerId } = await rpc<{ workerId: string }>(page, 'workers.status');
  const row = page.locator(`[data-worker="${workerId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-worker-state', /idle|online/);
  await expect(page.locator('[data-donation-state]')).not.toHaveAttribute('data-donation-state', 'off');
  await shoot(page, 'workers-on');
  await shoot(page, 'workers-lab-list', page.getByRole('region', { name: 'Workers of the lab' }));

  await donate.click();
  await expect(row).toHaveCount(0); // a stopped worker leaves the lab's registry
  await expect(page.locator('[data-donation-state="off"]')).toBeVisible();
  await expect(donate).not.toBeChecked();
  await donate.click();
  await expect(row).toBeVisible();
  await expect(donate).toBeChecked();
  await donate.click();
  await expect(row).toHaveCount(0);
  await expect(donate).not.toBeChecked();
});

test('a donated machine runs a job in Docker: busy in the lab list, listed under "Jobs running here"', async ({
  page,
}) => {
  await page.goto(server.loginUrl);
  const id = await connectionId(page);
  await rpc(page, 'table.declare', {
    connectionId: id,
    tables: [
      { schema, class_name: 'Sample', tier: 'Manual', definition: 'sample_id : int' },
      { schema, class_name: 'Busy', tier: 'Computed', definition: '-> Sample\n---\ny : int' },
    ],
  });
  await rpc(page, 'task.set', {
    connectionId: id,
    schema,
    table: '__busy',
    spec: {
      image: 'lab/busybox:1',
      command: ['sh', '-c', 'sleep 120; echo \'{"rows":[{"y":1}]}\' > /joinery/out/result.json'],
      resources: { cpus: 1, memory: '32M' },
    },
  });
  await rpc(page, 'data.insert', { connectionId: id, schema, table: 'sample', rows: [{ sample_id: 1 }] });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workers' }).click();
  await page.getByRole('switch', { name: 'Donate this machine' }).click();
  const { workerId } = await rpc<{ workerId: string }>(page, 'workers.status');
  const row = page.locator(`[data-worker="${workerId}"]`);
  await expect(row).toHaveAttribute('data-worker-state', 'busy', { timeout: 30_000 });
  await expect(page.locator('[data-donation-state="donating"]')).toContainText('1 job running');
  const here = page.getByRole('region', { name: 'This machine' }).getByRole('listitem');
  await expect(here.filter({ hasText: `${schema}.__busy` })).toContainText('"sample_id":1');
  await shoot(page, 'workers-busy');
  await shoot(page, 'workers-busy-lab-list', page.getByRole('region', { name: 'Workers of the lab' }));

  await page.getByRole('button', { name: 'Stop now and hand the jobs back' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.locator('[data-donation-state="off"]')).toBeVisible();
});

test('a donated worker that dies shows as offline, and its reserved job becomes claimable again', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(server.loginUrl);
  const id = await connectionId(page);
  await rpc(page, 'task.delete', { connectionId: id, schema, table: '__busy' }); // only this test's job to take
  await rpc(page, 'table.declare', {
    connectionId: id,
    tables: [{ schema, class_name: 'Orphan', tier: 'Computed', definition: '-> Sample\n---\ny : int' }],
  });
  const task = (command: string) =>
    rpc(page, 'task.set', {
      connectionId: id,
      schema,
      table: '__orphan',
      spec: { image: 'lab/busybox:1', command: ['sh', '-c', command], resources: { cpus: 1, memory: '32M' } },
    });
  await task('sleep 600');
  // another machine's worker: its own process and data folder, the server's database account, a short lease
  const workerId = `e2e-dies-${process.pid}`;
  const worker = spawn(
    process.execPath,
    [JOINERY_BIN, 'worker', '--db', serverDbUrl(), '--schema', schema, '--worker-id', workerId, '--lease', '10'],
    { env: { ...process.env, JOINERY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-worker-')) } },
  );
  try {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workers' }).click();
    const row = page.locator(`[data-worker="${workerId}"]`);
    await expect(row).toHaveAttribute('data-worker-state', 'busy', { timeout: 60_000 });
    const held = await rpc<{ jobs: { table_name: string; status: string | null }[] }>(page, 'jobs.list', {
      connectionId: id,
      schemas: [schema],
      table: '__orphan',
    });
    expect(held.jobs.map((j) => [j.table_name, j.status])).toEqual([['__orphan', 'reserved']]);

    worker.kill('SIGKILL'); // no goodbye: no unregistering, no handing back
    // offline once its heartbeat is older than the registry's limit (45 s); the list is read again every 15 s
    await expect(row).toHaveAttribute('data-worker-state', 'offline', { timeout: 120_000 });
    await expect(page.getByRole('region', { name: 'Workers of the lab' })).toContainText(/[1-9]\d* offline/);
    // what it last said (a job running) is no longer true: the row says what happens to its jobs
    await expect(row).toContainText('No heartbeat: its jobs return when their leases end.');
    await expect(row.locator('time')).toHaveText(/\d+ s ago|\d+ min ago/);
    await shoot(page, 'workers-offline', page.getByRole('region', { name: 'Workers of the lab' }));

    // its lease has run out: a populate here claims the key it held and computes it
    await task(`echo '{"rows":[{"y":7}]}' > /joinery/out/result.json`);
    const { populateId } = await rpc<{ populateId: string }>(page, 'jobs.populate', {
      connectionId: id,
      schema,
      table: '__orphan',
      runner: 'docker',
    });
    await expect
      .poll(async () => (await rpc<{ state: string }>(page, 'jobs.populateStatus', { populateId })).state, {
        timeout: 120_000,
      })
      .toBe('finished');
    const rows = await rpc<{ rows: { y: number }[] }>(page, 'data.fetch', {
      connectionId: id,
      schema,
      table: '__orphan',
    });
    expect(rows.rows.map((r) => Number(r.y))).toEqual([7]);
  } finally {
    worker.kill('SIGKILL');
    // the dead worker's container: what its next start would remove (found by label)
    const left = spawnSync('docker', ['ps', '-aq', '--filter', `label=org.joinery.worker=${workerId}`], {
      encoding: 'utf8',
    });
    const ids = left.stdout.split('\n').filter(Boolean);
    if (ids.length) spawnSync('docker', ['rm', '-f', ...ids]);
    // and its registration, which a dead worker leaves behind (the lab's registry is shared by every test)
    await sql(`DELETE FROM \`~joinery\`.\`~joinery_worker\` WHERE worker_id = '${workerId}'`);
  }
});

test('a policy edit is checked, saved and still there after a reload', async ({ page }) => {
  await openPage(page, 'Workers');
  const policy = page.getByRole('region', { name: 'Owner policy' });
  const cpu = policy.getByLabel('CPU share (%)');
  await cpu.fill('150');
  await policy.getByRole('button', { name: 'Save policy' }).click();
  await expect(cpu).toHaveAttribute('aria-invalid', 'true');
  await expect(policy.getByText('A percentage from 0 to 100.')).toBeVisible();
  await shoot(page, 'workers-policy-error', cpu);

  await cpu.fill('50');
  await policy.getByLabel('Only when I am away').check();
  await policy.getByLabel('Away for at least (minutes)').fill('15');
  await policy.getByLabel('Running as root').check();
  await policy.getByRole('button', { name: 'Add hours' }).click();
  await policy.getByLabel('Hours 1 start').fill('20:00');
  await policy.getByRole('button', { name: 'Save policy' }).click();
  await expect(policy.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await page.reload();
  const again = page.getByRole('region', { name: 'Owner policy' });
  await expect(again.getByLabel('CPU share (%)')).toHaveValue('50');
  await expect(again.getByLabel('Only when I am away')).toBeChecked();
  await expect(again.getByLabel('Away for at least (minutes)')).toHaveValue('15');
  await expect(again.getByLabel('Running as root')).toBeChecked();
  await expect(again.getByLabel('Hours 1 start')).toHaveValue('20:00');
  const saved = await rpc<{ policy: { maxCpuShare: number; refuseLabels: string[] } }>(page, 'workers.settings');
  expect(saved.policy).toMatchObject({ maxCpuShare: 0.5, refuseLabels: ['root'] });
  // a change made elsewhere (the tray's "Pause for an hour") shows up while the editor is untouched
  await rpc(page, 'workers.setPolicy', { policy: { ...saved.policy, paused: true } });
  await expect(again.getByLabel('Pause (take no new jobs)')).toBeChecked();
  await rpc(page, 'workers.setPolicy', { policy: { ...saved.policy, paused: false } });
  await expect(again.getByLabel('Pause (take no new jobs)')).not.toBeChecked();
  await shoot(page, 'workers-policy', again.getByLabel('Hours 1 start'));
});

test('failing jobs show one grouped notification; the browser is asked only after a click', async ({ page }) => {
  // record what the page asks of the browser's Notification API (headless Chromium has no prompt to click)
  await page.addInitScript(() => {
    const w = window as unknown as { __asked: number; __shown: string[]; Notification: unknown };
    w.__asked = 0;
    w.__shown = [];
    let permission = 'default';
    class FakeNotification {
      static get permission() {
        return permission;
      }
      static requestPermission() {
        w.__asked++;
        permission = 'granted';
        return Promise.resolve(permission);
      }
      constructor(title: string) {
        w.__shown.push(title);
      }
    }
    w.Notification = FakeNotification;
  });
  await page.goto(server.loginUrl);
  const id = await connectionId(page);
  await rpc(page, 'settings.setPreferences', {
    notifications: {
      inApp: true,
      system: true,
      jobFailures: true,
      tableFinished: true,
      workerOffline: true,
      groupWindowS: 5,
    },
  });
  await rpc(page, 'table.declare', {
    connectionId: id,
    tables: [
      { schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int' },
      { schema, class_name: 'Square', tier: 'Computed', definition: '-> Item\n---\nvalue : int' },
    ],
  });
  await rpc(page, 'data.insert', {
    connectionId: id,
    schema,
    table: 'item',
    rows: [{ item_id: 1 }, { item_id: 2 }, { item_id: 3 }],
  });
  const failing = `console.error('no calibration for this item'); process.exit(2)`;
  await rpc(page, 'task.set', {
    connectionId: id,
    schema,
    table: '__square',
    spec: { command: [process.execPath, '-e', failing], retries: 0 },
  });
  await rpc(page, 'jobs.populate', { connectionId: id, schema, table: '__square', runner: 'process' });

  const toasts = page.getByRole('region', { name: 'Notifications' });
  const toast = toasts.locator('[data-notification="job-failed"]');
  await expect(toast).toContainText(`3 jobs of ${schema}.__square failed`, { timeout: 30_000 }); // one toast, counting up
  await expect(toast).toHaveCount(1);
  await expect(toast).toContainText('no calibration for this item');
  expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);
  await shoot(page, 'notifications-failed');

  await toasts.getByRole('button', { name: 'Allow browser notifications' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
  await expect(toasts.getByRole('button', { name: 'Allow browser notifications' })).toHaveCount(0);

  await rpc(page, 'jobs.retry', { connectionId: id, schema, table: '__square', status: 'error' });
  await rpc(page, 'jobs.populate', { connectionId: id, schema, table: '__square', runner: 'process' });
  // how the three failures split into bursts depends on the machine's speed; the count does not
  const shown = () => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);
  await expect.poll(async () => (await shown()).length, { timeout: 20_000 }).toBeGreaterThan(0);
  for (const title of await shown()) expect(title).toMatch(/^(A job|\d jobs) of .*__square failed$/);
  await expect(toast).toContainText(`6 jobs of ${schema}.__square failed`, { timeout: 30_000 });
  await toast.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(toast).toHaveCount(0);
});

test('Settings lists the callbacks and shows a bad webhook URL next to its field', async ({ page }) => {
  await page.goto(server.loginUrl);
  const id = await connectionId(page);
  await rpc(page, 'jobs.addCallback', {
    connectionId: id,
    schema,
    table: '__square',
    event: 'failure',
    action: 'webhook',
    target: 'http://127.0.0.1:9/joinery-failures',
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const list = page.getByRole('table', { name: `Callbacks of ${schema}` });
  await expect(list.getByRole('row').filter({ hasText: 'http://127.0.0.1:9/joinery-failures' })).toContainText(
    'Square',
  );
  await expect(page.getByLabel('A group of jobs fails')).toBeChecked();
  await shoot(page, 'settings');
  await shoot(page, 'settings-callbacks', list);

  const form = page.getByRole('form', { name: 'Add a callback' });
  await form.getByLabel('Table').selectOption({ label: 'Item' });
  await form.getByLabel('When').selectOption('insert');
  const url = form.getByLabel('Webhook URL');
  await url.fill('ftp://lab.example.org/hook');
  await form.getByRole('button', { name: 'Add callback' }).click();
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  const errorId = (await url.getAttribute('aria-describedby'))!.split(' ')[0]!;
  await expect(page.locator(`[id="${errorId}"]`)).toHaveText(/A webhook target is an http\(s\) URL/);
  await shoot(page, 'settings-callback-error', url);

  await url.fill('https://lab.example.org/hooks/new-items');
  await form.getByRole('button', { name: 'Add callback' }).click();
  const added = list.getByRole('row').filter({ hasText: 'https://lab.example.org/hooks/new-items' });
  await expect(added).toContainText('rows inserted');
  await expect(url).toHaveValue('');
  await added.getByRole('button', { name: /Remove the callback/ }).click();
  await expect(added).toHaveCount(0);
});
