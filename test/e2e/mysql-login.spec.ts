import mysql from 'mysql2/promise';
import { expect, test } from '@playwright/test';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * `joinery serve --auth mysql`: the browser shows a user/password form, MariaDB refuses a wrong
 * password, a real account with rights on one schema logs in and sees that schema, and logging
 * out returns to the form. The account and schema are made here and dropped afterwards.
 */
const ROOT = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const tag = `${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const schema = `jt_e2e_login_${tag}`;
const user = `jt_e2e_${tag}`;
const password = `pw-${tag}`;
let server: JoineryServer;

async function asRoot(sql: string[]): Promise<void> {
  const c = await mysql.createConnection(ROOT);
  try {
    for (const s of sql) await c.query(s);
  } finally {
    await c.end();
  }
}

test.beforeAll(async () => {
  await asRoot([
    `CREATE DATABASE \`${schema}\``,
    `CREATE TABLE \`${schema}\`.subject (subject_id int NOT NULL PRIMARY KEY) COMMENT 'experimental animal'`,
    ...['%', 'localhost'].flatMap((h) => [
      `CREATE USER '${user}'@'${h}' IDENTIFIED BY '${password}'`,
      `GRANT SELECT ON \`${schema}\`.* TO '${user}'@'${h}'`,
    ]),
  ]);
  server = await startJoineryServer({ db: 'mysql://127.0.0.1:3306', args: ['--auth', 'mysql'] });
});

test.afterAll(async () => {
  await server?.stop();
  await asRoot([
    ...['%', 'localhost'].map((h) => `DROP USER IF EXISTS '${user}'@'${h}'`),
    `DROP DATABASE IF EXISTS \`${schema}\``,
  ]);
});

test('logs in with a database account, sees what it may, and logs out', async ({ page }) => {
  await page.goto(server.loginUrl);
  await expect(page.getByRole('heading', { name: 'Log in with your database account' })).toBeVisible();
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('refused the login');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  // the one schema this account may read is drawn: its table is a node of the diagram
  await expect(page.locator(`[data-table="${schema}.subject"]`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(`${user}@127.0.0.1`).first()).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in with your database account' })).toBeVisible();
  const after = await page.request.post(`${server.origin}/rpc/app.info`, { data: {} });
  expect(after.status()).toBe(401);
});
