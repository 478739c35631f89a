import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

const SHOTS = 'test-results/screens';
let server: JoineryServer;
let dir: string;
let labDb: string;

/** A SQLite pipeline as DataJoint's naming has it: schema `lab`, a Lookup and a Manual table. */
function createLabDatabase(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE "lab.#rig" (rig_name TEXT NOT NULL PRIMARY KEY, room TEXT NOT NULL);
    CREATE TABLE "lab.subject" (
      subject_id INTEGER NOT NULL PRIMARY KEY,
      species TEXT NOT NULL,
      rig_name TEXT REFERENCES "lab.#rig"(rig_name)
    );
    INSERT INTO "lab.#rig" VALUES ('rig1', 'B.101'), ('rig2', 'B.102');
    INSERT INTO "lab.subject" VALUES (1, 'mouse', 'rig1'), (2, 'rat', 'rig2'), (3, 'mouse', NULL);
  `);
  db.close();
}

/** Console messages that mean the page broke (CSP violations, uncaught errors). */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Uncaught/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

async function openConnectionScreen(page: Page): Promise<void> {
  await page.goto(server.loginUrl);
  await page.getByRole('button', { name: 'Switch' }).click();
  await expect(page.getByRole('heading', { name: 'Switch database' })).toBeVisible();
}

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-'));
  server = await startJoineryServer({ db: `sqlite:${path.join(dir, 'start.db')}` });
  // in web mode a browser opens SQLite files only inside the server's data folder
  labDb = path.join(server.dataDir, 'lab.db');
  createLabDatabase(labDb);
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the printed link logs in and shows the app shell', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto(server.loginUrl);

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Pipeline', 'Data', 'Jobs', 'Workers', 'Migrations', 'Settings']) {
    await expect(nav.getByRole('link', { name })).toBeVisible();
  }
  await expect(nav.getByRole('link', { name: 'Pipeline' })).toHaveAttribute('aria-current', 'page');
  await expect(page).not.toHaveURL(/token=/);
  // `serve --db` opened start.db: the header shows it, and it has no schemas yet
  await expect(page.getByRole('banner')).toContainText('start.db');
  await expect(page.getByRole('banner')).toContainText('SQLite');
  await expect(page.getByRole('heading', { name: 'This database has no schemas yet' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/01-shell-empty-pipeline.png` });

  await nav.getByRole('link', { name: 'Jobs' }).click();
  await expect(nav.getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'No Imported or Computed tables yet' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/02-jobs-empty.png` });
  expect(problems).toEqual([]);
});

test('opens a SQLite file through the connection screen and draws its tables', async ({ page }) => {
  const problems = watchConsole(page);
  await openConnectionScreen(page);
  await page.getByLabel('Database file').fill(labDb);
  await page.screenshot({ path: `${SHOTS}/03-connection-screen.png` });
  await page.getByRole('button', { name: 'Open', exact: true }).click();

  const subject = page.getByRole('button', { name: 'Subject', exact: true });
  const rig = page.getByRole('button', { name: 'Rig', exact: true });
  await expect(subject).toHaveAttribute('data-table', 'lab.subject');
  await expect(subject).toHaveAttribute('data-tier', 'Manual');
  await expect(rig).toHaveAttribute('data-table', 'lab.#rig');
  await expect(rig).toHaveAttribute('data-tier', 'Lookup');
  await expect(page.locator('[data-table="lab.subject"]')).toHaveAccessibleName('Subject');
  await expect(page.getByRole('banner')).toContainText('lab.db');

  await subject.click();
  const details = page.getByRole('complementary', { name: 'Subject' });
  await expect(details.getByRole('cell', { name: 'subject_id' })).toBeVisible();
  await expect(details.getByText('lab.#rig')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/04-pipeline-tables.png`, fullPage: true });
  expect(problems).toEqual([]);
});

test('a wrong path shows the error next to the path field', async ({ page }) => {
  await openConnectionScreen(page);
  const pathField = page.getByLabel('Database file');
  await pathField.fill(path.join(server.dataDir, 'missing.db'));
  await page.getByRole('button', { name: 'Open', exact: true }).click();

  await expect(pathField).toHaveAttribute('aria-invalid', 'true');
  await expect(pathField).toHaveAccessibleDescription(/There is no SQLite file at .*missing\.db/);
  const alert = page.getByRole('alert').filter({ hasText: 'There is no SQLite file' });
  await expect(alert).toContainText('Create');
  const describedBy = await pathField.getAttribute('aria-describedby');
  expect(describedBy?.split(' ')).toContain(await alert.getAttribute('id'));
  await page.screenshot({ path: `${SHOTS}/05-wrong-path.png` });
});

test('a file outside the data folder is refused, naming the folder', async ({ page }) => {
  await openConnectionScreen(page);
  const pathField = page.getByLabel('Database file');
  await pathField.fill(path.join(dir, 'elsewhere.db'));
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'must be inside the data folder' })).toContainText(
    server.dataDir,
  );
  expect(existsSync(path.join(dir, 'elsewhere.db'))).toBe(false);
});

test('without the token the page asks for the printed link', async ({ page }) => {
  await page.goto(`${server.origin}/`);
  await expect(page.getByRole('heading', { name: 'Open the link printed by joinery serve' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/06-login-required.png` });
});

// last: it closes the connection `serve --db` opened
test('a connection closed in another tab is noticed live (events over the WebSocket)', async ({ page, context }) => {
  await page.goto(server.loginUrl);
  await expect(page.getByRole('banner')).toContainText('start.db');
  await expect(page.getByRole('heading', { name: 'This database has no schemas yet' })).toBeVisible();

  const other = await context.newPage();
  await other.goto(`${server.origin}/`); // same browser, so already logged in by the cookie
  await expect(other.getByRole('banner')).toContainText('start.db');
  await other.getByRole('button', { name: 'Close connection' }).click();
  await expect(other.getByRole('heading', { name: 'Open a database' })).toBeVisible();

  await expect(page.getByRole('status').filter({ hasText: 'The connection to start.db was closed.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Open a database' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/07-closed-elsewhere.png` });
});
