import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

const SHOTS = 'test-results/screens';
// a shared 2-core machine: generous limits, no timing assertions
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const SUBJECT_BEFORE = 'subject_id : int\n---\nname : varchar(32)\n';
const SUBJECT_AFTER = 'lab : varchar(16)\nsubject_id : int\n---\nname : varchar(32)\n';

let server: JoineryServer;
let dir: string;
let file: string;
/** While this file exists, an apply waits before copying its second table (JOINERY_MIGRATE_HOLD_*). */
let holdFile: string;

/** Console messages that mean the page broke (CSP violations, uncaught errors). */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Uncaught/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

/** The screen, light and dark; with `part`, that part scrolled to the top of the view first. */
async function shoot(page: Page, name: string, part?: Locator): Promise<void> {
  await part?.evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    // only the main area should scroll; the window itself must stay put
    window.scrollTo(0, 0);
  });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/migrations-${name}-${scheme}.png`, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Calls the server's API as the logged-in page does (same cookie). */
async function rpc<T>(page: Page, method: string, input: object = {}): Promise<T> {
  const res = await page.request.post(`${server.origin}/rpc/${method}`, { data: input });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value as T;
}

async function subjectRows(page: Page): Promise<Record<string, unknown>[]> {
  const { open } = await rpc<{ open: { id: string }[] }>(page, 'connection.list');
  const out = await rpc<{ rows: Record<string, unknown>[] }>(page, 'data.fetch', {
    connectionId: open[0]!.id,
    schema: 'lab',
    table: 'subject',
    orderBy: [{ attribute: 'subject_id' }],
  });
  return out.rows;
}

/** Runs `work` on the SQLite file directly (another client, as DataJoint Python would be). */
function withDb<T>(work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Columns of a table straight from the SQLite file. */
function columns(table: string): string[] {
  return withDb((db) =>
    (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name),
  );
}

/** How many kept-old tables of migration `id` the file holds. */
function keptOld(id: string): number {
  return withDb(
    (db) =>
      (
        db
          .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name LIKE ?`)
          .get(`lab.~${id}o_%`) as { n: number }
      ).n,
  );
}

/** DataJoint's `~jobs` table of the schema, as a DataJoint worker would have made it. */
const JOBS_TABLE = `CREATE TABLE IF NOT EXISTS "lab.~jobs" (
  table_name varchar(255) NOT NULL, key_hash char(32) NOT NULL, status varchar(8) NOT NULL, key blob,
  error_message varchar(2047) NOT NULL DEFAULT '', error_stack blob, user varchar(255) NOT NULL DEFAULT '',
  host varchar(255) NOT NULL DEFAULT '', pid int NOT NULL DEFAULT 0, connection_id bigint NOT NULL DEFAULT 0,
  timestamp timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (table_name, key_hash))`;

async function openMigrations(page: Page): Promise<void> {
  await page.goto(server.loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Migrations' }).click();
  await expect(page.getByRole('heading', { name: 'Migrations', level: 1 })).toBeVisible();
}

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-migrations-'));
  file = path.join(dir, 'lab.db');
  const tables = path.join(dir, 'tables.json');
  writeFileSync(
    tables,
    JSON.stringify([
      { schema: 'lab', class_name: 'Subject', tier: 'Manual', definition: SUBJECT_BEFORE },
      {
        schema: 'lab',
        class_name: 'Session',
        tier: 'Manual',
        definition: '-> Subject\nsession_idx : int\n---\nsession_date : date\n',
      },
    ]),
  );
  const r = spawnSync(
    process.execPath,
    ['bin/joinery.js', 'declare', '--db', `sqlite:${file}`, '--file', tables, '--conventions', '0.14'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`joinery declare failed: ${r.stderr}`);
  const db = new Database(file);
  try {
    const subject = db.prepare('INSERT INTO "lab.subject" VALUES (?, ?)');
    const session = db.prepare('INSERT INTO "lab.session" VALUES (?, ?, ?)');
    for (const id of [1, 2, 3]) {
      subject.run(id, `mouse ${id}`);
      for (const k of [1, 2]) session.run(id, k, `2024-01-0${k}`);
    }
  } finally {
    db.close();
  }
  holdFile = path.join(dir, 'hold');
  // the server holds an apply at its second table's copy while holdFile exists: a run that lasts
  // as long as the test needs, without depending on the machine's speed
  process.env.JOINERY_MIGRATE_HOLD_AT = 'copy:1';
  process.env.JOINERY_MIGRATE_HOLD_FILE = holdFile;
  server = await startJoineryServer({ db: `sqlite:${file}` });
});
test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('empty state, a bad definition at line:column, and nothing written', async ({ page }) => {
  const problems = watchConsole(page);
  await openMigrations(page);
  const intro = page.getByRole('region', { name: 'No migrations yet' });
  await expect(intro).toContainText('copies the rows into new tables');
  await expect(page.getByRole('region', { name: 'History' })).toContainText('No migration has been applied');
  await shoot(page, 'empty');

  const wizard = page.getByRole('region', { name: 'New migration' });
  await wizard.getByLabel('Table to change').selectOption({ label: 'Subject · lab (Manual, 3 rows)' });
  await wizard.getByRole('button', { name: 'Add to the migration' }).click();
  const text = wizard.getByLabel('New definition of Subject');
  await expect(text).toHaveValue(/subject_id\s*: int/);

  await text.fill('lab : varchr(16)\nsubject_id : int\n---\nname : varchar(32)\n');
  const errors = wizard.locator('[data-definition-errors]');
  await expect(errors.locator('li[data-line="1"][data-column="7"]')).toContainText('Line 1, column 7');
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(wizard.getByRole('status').filter({ hasText: 'problem to fix before planning' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Migration plan' })).toHaveCount(0);
  await shoot(page, 'bad-definition');

  // an unknown parent parses, so the planner answers: its error is shown and nothing is written
  await text.fill('-> Nowhere\nsubject_id : int\n---\nname : varchar(32)\n');
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(wizard.getByRole('alert').filter({ hasText: 'The plan could not be made' })).toContainText('Nowhere');
  await shoot(page, 'plan-error');
  expect(columns('lab.subject')).toEqual(['subject_id', 'name']);
  await wizard.getByRole('button', { name: 'Remove Subject from the migration' }).click();
  expect(problems).toEqual([]);
});

test('add lab to the primary key: plan, dry run, apply, verify, roll back, history', async ({ page }) => {
  const problems = watchConsole(page);
  await openMigrations(page);
  const wizard = page.getByRole('region', { name: 'New migration' });
  await wizard.getByLabel('Table to change').selectOption({ label: 'Subject · lab (Manual, 3 rows)' });
  await wizard.getByRole('button', { name: 'Add to the migration' }).click();
  const text = wizard.getByLabel('New definition of Subject');
  await text.fill(SUBJECT_AFTER);
  // a new key attribute needs its value for the existing rows
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(wizard.getByRole('alert').filter({ hasText: 'lab is new in the primary key' })).toBeVisible();
  await wizard.getByLabel('Value of lab in the existing rows').fill('hub');
  await shoot(page, 'definitions');

  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  const plan = page.getByRole('region', { name: 'Migration plan' });
  await expect(plan.locator('[data-plan-summary]')).toContainText('2 tables rebuilt');
  await expect(plan.locator('[data-affected-table="lab.subject"]')).toContainText('new primary key');
  await expect(plan.locator('[data-affected-table="lab.session"]')).toContainText('follows the new key');
  await expect(plan.locator('[data-risk="needs_value"]').first()).toContainText('"hub"');
  // the diagram beside the plan draws the affected tables highlighted
  const diagram = plan.getByRole('group', { name: 'Affected tables on the diagram' });
  await expect(diagram.locator('[data-table="lab.subject"][data-affected="true"]')).toBeVisible();
  await expect(diagram.locator('[data-table="lab.session"][data-affected="true"]')).toBeVisible();
  const copySql = plan.locator('[data-step="copy"]').first().locator('details');
  await copySql.locator('summary').click();
  await expect(copySql.locator('pre')).toContainText('INSERT INTO');
  await expect(diagram.getByRole('progressbar', { name: 'Layout in progress' })).toHaveCount(0);
  await shoot(page, 'plan', plan.locator('[data-plan-summary]'));

  await wizard.getByRole('button', { name: 'Dry run on copies' }).click();
  const dry = page.getByRole('region', { name: 'Dry run result' });
  await expect(dry).toContainText('Dry run passed: 2 tables copied and checked');
  await expect(dry.locator('[data-dry-table="lab.session"]')).toContainText('6');
  expect(columns('lab.subject')).toEqual(['subject_id', 'name']);
  await shoot(page, 'dry-run', dry);

  // a reserved job of an affected table refuses the migration, naming the job and what to do
  withDb((db) => {
    db.exec(JOBS_TABLE);
    db.prepare(`INSERT INTO "lab.~jobs" (table_name, key_hash, status, user, host) VALUES (?, ?, ?, ?, ?)`).run(
      'session',
      'a'.repeat(32),
      'reserved',
      'alice@rig-2',
      'rig-2',
    );
  });
  await wizard.getByRole('button', { name: 'Apply the migration' }).click();
  const refusal = wizard.getByRole('alert').filter({ hasText: 'is being populated' });
  await expect(refusal).toContainText(
    `lab.session is being populated: job ${'a'.repeat(32)} is reserved by alice@rig-2`,
  );
  await expect(refusal.getByRole('button', { name: 'Open the Jobs page' })).toBeVisible();
  await shoot(page, 'job-refusal', refusal);
  expect(columns('lab.subject')).toEqual(['subject_id', 'name']);
  withDb((db) => db.exec(`DELETE FROM "lab.~jobs"`));

  // the state read is held back a moment, so the screen shows what the progress events alone say
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/rpc/migration.status', async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await wizard.getByRole('button', { name: 'Apply the migration' }).click();
  const run = page.getByRole('region', { name: 'Migration run' });
  await expect(run.locator('[data-migration-progress="lab.session"]')).toHaveAttribute('data-rows', '6');
  await shoot(page, 'applying', run);
  release();
  await expect(run).toHaveAttribute('data-migration-state', 'done', { timeout: 60_000 });
  const verify = run.getByRole('region', { name: 'Verification' });
  await expect(verify.locator('[data-verify-table="lab.session"]')).toContainText('equal');
  await expect(run.locator('[data-migration-progress="lab.subject"]')).toHaveAttribute('data-rows', '3');
  await page.unroute('**/rpc/migration.status');
  await shoot(page, 'done', run);

  // the data, read through the API: every subject got lab = 'hub', keys kept
  expect(await subjectRows(page)).toEqual([
    { lab: 'hub', subject_id: 1, name: 'mouse 1' },
    { lab: 'hub', subject_id: 2, name: 'mouse 2' },
    { lab: 'hub', subject_id: 3, name: 'mouse 3' },
  ]);
  expect(columns('lab.session')).toEqual(['lab', 'subject_id', 'session_idx', 'session_date']);

  await run.getByRole('button', { name: 'Roll back…' }).click();
  const confirm = run.getByRole('group', { name: 'Roll back…' });
  await expect(confirm).toContainText('Put the old');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shoot(page, 'rollback-confirm', confirm);
  await confirm.getByRole('button', { name: 'Roll back' }).click();
  await expect(run).toHaveAttribute('data-migration-state', 'rolled_back');
  expect(await subjectRows(page)).toEqual([
    { subject_id: 1, name: 'mouse 1' },
    { subject_id: 2, name: 'mouse 2' },
    { subject_id: 3, name: 'mouse 3' },
  ]);

  const history = page.getByRole('table', { name: 'Migration history' });
  await expect(history.locator('tr[data-state="rolled_back"]')).toHaveCount(1);
  await expect(history).toContainText('lab.subject');
  await shoot(page, 'history', history);
  expect(problems).toEqual([]);
});

test("the designer's edit arrives in the wizard", async ({ page }) => {
  await page.goto(server.loginUrl);
  await page.locator('[data-table="lab.subject"]').first().click();
  await page.getByRole('button', { name: 'Edit lab.subject' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Subject' });
  await expect(dialog.getByRole('button', { name: 'Apply with a migration…' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Definition' }).fill(`${SUBJECT_BEFORE}weight = null : float\n`);
  await dialog.getByRole('button', { name: 'Apply with a migration…' }).click();
  await expect(page.getByRole('heading', { name: 'Migrations', level: 1 })).toBeVisible();
  const wizard = page.getByRole('region', { name: 'New migration' });
  await expect(wizard.getByLabel('New definition of Subject')).toHaveValue(/weight = null : float/);
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  const plan = page.getByRole('region', { name: 'Migration plan' });
  await expect(plan.locator('[data-change="add_attribute"]')).toContainText('weight');
  await expect(plan.locator('[data-plan-summary]')).toContainText('No values are lost');
  await expect(plan.getByRole('progressbar', { name: 'Layout in progress' })).toHaveCount(0);
  await shoot(page, 'from-designer', plan.locator('[data-plan-summary]'));

  // the Pipeline page draws the same tables highlighted, and says why, until cleared
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipeline' }).click();
  const note = page.getByRole('status').filter({ hasText: 'tables highlighted' });
  await expect(note).toContainText('2 tables highlighted: the migration being planned rebuilds them');
  await expect(page.locator('[data-table="lab.session"][data-affected="true"]')).toBeVisible();
  await shoot(page, 'pipeline-highlight');
  await note.getByRole('button', { name: 'Clear highlight' }).click();
  await expect(page.locator('[data-affected]')).toHaveCount(0);
});

test('dropping values needs consent; a rename keeps them; discard from the history', async ({ page }) => {
  const problems = watchConsole(page);
  await openMigrations(page);
  const wizard = page.getByRole('region', { name: 'New migration' });
  await wizard.getByLabel('Table to change').selectOption({ label: 'Subject · lab (Manual, 3 rows)' });
  await wizard.getByRole('button', { name: 'Add to the migration' }).click();
  await wizard.getByLabel('New definition of Subject').fill('subject_id : int\n---\nfull_name : varchar(32)\n');
  const rename = wizard.getByLabel('name is gone: renamed to');
  await expect(rename).toHaveValue('');

  // not renamed: full_name is a new attribute without a default, so it needs a value
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(wizard.getByRole('alert').filter({ hasText: 'full_name is new and has no default' })).toBeVisible();
  await wizard.getByLabel('Value of full_name in the existing rows').fill('unknown');
  // and name's values would be dropped, so Apply waits for an explicit consent
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  const plan = page.getByRole('region', { name: 'Migration plan' });
  await expect(plan.locator('[data-plan-summary]')).toContainText('This plan loses data');
  await expect(plan.locator('[data-risk="data_loss"]').first()).toContainText('lab.subject.name');
  const apply = wizard.getByRole('button', { name: 'Apply the migration' });
  await expect(apply).toBeDisabled();
  const consent = wizard.getByRole('checkbox', { name: /loses the data listed above/ });
  await consent.check();
  await expect(apply).toBeEnabled();
  await shoot(page, 'lossy', consent);

  await wizard.getByRole('button', { name: 'Back to the definitions' }).click();
  await rename.selectOption('full_name');
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(plan.locator('[data-plan-summary]')).toContainText('No values are lost');
  await expect(plan.locator('[data-change="rename_attribute"]')).toContainText('full_name');
  await apply.click();
  const run = page.getByRole('region', { name: 'Migration run' });
  await expect(run).toHaveAttribute('data-migration-state', 'done', { timeout: 60_000 });
  expect((await subjectRows(page)).map((r) => r.full_name)).toEqual(['mouse 1', 'mouse 2', 'mouse 3']);

  const id = await run.getAttribute('data-migration-id');
  expect(keptOld(id!)).toBe(2);
  const row = page.getByRole('table', { name: 'Migration history' }).locator(`tr[data-history="${id}"]`);
  await row.getByRole('button', { name: `Discard old tables of ${id}` }).click();
  const confirm = row.getByRole('group', { name: `Discard old tables of ${id}` });
  await expect(confirm).toContainText('cannot be rolled back');
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await row.getByRole('button', { name: `Discard old tables of ${id}` }).click();
  await confirm.getByRole('button', { name: 'Discard old tables' }).click();
  await expect(row).toHaveAttribute('data-state', 'discarded');
  await expect(row.getByRole('button', { name: `Roll back ${id}` })).toHaveCount(0);
  await expect(run).toHaveAttribute('data-migration-state', 'discarded');
  // the kept old tables are gone from the file
  expect(keptOld(id!)).toBe(0);
  expect(problems).toEqual([]);
});

test('loading and error states say what is going on and what to do', async ({ page }) => {
  // the history answers late: its loading line shows meanwhile
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/rpc/migration.history', async (route) => {
    await held;
    await route.continue();
  });
  await openMigrations(page);
  await expect(page.getByRole('status').filter({ hasText: 'Reading the migration history' })).toBeVisible();
  await shoot(page, 'loading');
  release();
  await expect(page.getByRole('status').filter({ hasText: 'Reading the migration history' })).toHaveCount(0);
  await page.unroute('**/rpc/migration.history');

  await page.route('**/rpc/pipeline.inspect', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        ok: false,
        error: {
          code: 'DB_UNREACHABLE',
          message: 'The database does not answer.',
          hint: 'Check that the server runs, then try again.',
        },
      }),
    }),
  );
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Migrations' }).click();
  const error = page.getByRole('alert').filter({ hasText: 'The database does not answer' });
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible({ timeout: 30_000 });
  await shoot(page, 'error');
});

test('leaving the page or reloading while a migration applies shows its progress again, then its outcome', async ({
  page,
}) => {
  const problems = watchConsole(page);
  writeFileSync(holdFile, '');
  await openMigrations(page);
  const wizard = page.getByRole('region', { name: 'New migration' });
  await wizard.getByLabel('Table to change').selectOption({ label: 'Subject · lab (Manual, 3 rows)' });
  await wizard.getByRole('button', { name: 'Add to the migration' }).click();
  // lab joins the key of subject as it is now (the tests before may have renamed an attribute)
  const text = wizard.getByLabel('New definition of Subject');
  await expect(text).toHaveValue(/subject_id\s*: int/);
  const before = columns('lab.subject');
  await text.fill(`lab : varchar(16)\n${await text.inputValue()}`);
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(wizard.getByRole('alert').filter({ hasText: 'lab is new in the primary key' })).toBeVisible();
  await wizard.getByLabel('Value of lab in the existing rows').fill('west');
  await wizard.getByRole('button', { name: 'Plan the migration' }).click();
  await expect(page.getByRole('region', { name: 'Migration plan' }).locator('[data-plan-summary]')).toContainText(
    '2 tables rebuilt',
  );
  await wizard.getByRole('button', { name: 'Apply the migration' }).click();
  const run = page.getByRole('region', { name: 'Migration run' });
  // held before the second table: subject is copied, session waits
  await expect(run.locator('[data-migration-progress="lab.subject"]')).toHaveAttribute('data-rows', '3');
  const id = await run.getAttribute('data-migration-id');
  expect(id).toBeTruthy();

  /** The same run, still running, with the rows copied so far. */
  const expectStillRunning = async () => {
    await expect(run).toHaveAttribute('data-migration-id', id!);
    await expect(run.getByRole('status')).toContainText('Copying rows');
    await expect(run.locator('[data-migration-progress="lab.subject"]')).toHaveAttribute('data-rows', '3');
    await expect(run.locator('[data-migration-progress="lab.subject"]')).toContainText('3 of 3 rows');
    await expect(run.locator('[data-migration-progress="lab.session"]')).toContainText('waiting');
    await expect(run).toContainText('You can leave this page');
    await expect(page.getByRole('region', { name: 'New migration' })).toHaveCount(0);
  };
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Pipeline' }).click();
  await expect(page.getByRole('heading', { name: 'Migrations', level: 1 })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Migrations' }).click();
  await expectStillRunning();
  await shoot(page, 'reattached', run);

  // a reload of the tab starts the page from nothing: the core says what runs and how far
  await page.reload();
  if (!(await page.getByRole('heading', { name: 'Migrations', level: 1 }).isVisible()))
    await nav.getByRole('link', { name: 'Migrations' }).click();
  await expectStillRunning();
  await shoot(page, 'reloaded', run);

  rmSync(holdFile);
  await expect(run).toHaveAttribute('data-migration-state', 'done', { timeout: 60_000 });
  await expect(run.locator('[data-migration-progress="lab.session"]')).toHaveAttribute('data-rows', '6');
  await expect(
    run.getByRole('region', { name: 'Verification' }).locator('[data-verify-table="lab.session"]'),
  ).toContainText('equal');
  await expect(
    page.getByRole('table', { name: 'Migration history' }).locator(`tr[data-history="${id}"]`),
  ).toHaveAttribute('data-state', 'done');
  await shoot(page, 'reattached-done', run);

  // rollback is there as if she had stayed
  await run.getByRole('button', { name: 'Roll back…' }).click();
  await run.getByRole('group', { name: 'Roll back…' }).getByRole('button', { name: 'Roll back' }).click();
  await expect(run).toHaveAttribute('data-migration-state', 'rolled_back');
  expect(columns('lab.subject')).toEqual(before);
  expect(existsSync(holdFile)).toBe(false);
  expect(problems).toEqual([]);
});

test('a migration stopped by a crash is shown on opening, with Resume and Roll back', async ({ page }) => {
  const problems = watchConsole(page);
  const [, second] = columns('lab.subject');
  const change = path.join(dir, 'change.json');
  const definition = `lab : varchar(16)\nsubject_id : int\n---\n${second} : varchar(32)\n`;
  writeFileSync(change, JSON.stringify({ changes: [{ table: 'lab.Subject', definition, values: { lab: 'east' } }] }));
  // `joinery migrate apply` killed (kill -9) while it copies: its journal row stays unfinished
  const r = spawnSync(
    process.execPath,
    ['bin/joinery.js', 'migrate', 'apply', '--db', `sqlite:${file}`, '--file', change, '--yes'],
    { encoding: 'utf8', env: { ...process.env, JOINERY_MIGRATE_KILL_AT: 'copy:1' } },
  );
  expect(r.signal, r.stderr).toBe('SIGKILL');

  await openMigrations(page);
  const run = page.getByRole('region', { name: 'Migration run' });
  await expect(run).toHaveAttribute('data-migration-state', 'stopped');
  await expect(run.locator('[data-migration-stopped]')).toContainText('stopped before its copies were made');
  await expect(run.getByRole('status')).toContainText('Stopped before its end');
  await expect(run.getByRole('button', { name: 'Roll back…' })).toBeVisible();
  const id = await run.getAttribute('data-migration-id');
  const row = page.getByRole('table', { name: 'Migration history' }).locator(`tr[data-history="${id}"]`);
  await expect(row).toContainText('stopped (planned)');
  await shoot(page, 'stopped', run);

  await run.getByRole('button', { name: 'Resume the migration' }).click();
  await expect(run).toHaveAttribute('data-migration-state', 'done', { timeout: 60_000 });
  await expect(run.locator('[data-migration-progress="lab.session"]')).toHaveAttribute('data-rows', '6');
  expect(columns('lab.subject')[0]).toBe('lab');
  await run.getByRole('button', { name: 'Roll back…' }).click();
  await run.getByRole('group', { name: 'Roll back…' }).getByRole('button', { name: 'Roll back' }).click();
  await expect(run).toHaveAttribute('data-migration-state', 'rolled_back');
  expect(columns('lab.subject')).toEqual(['subject_id', second]);
  expect(problems).toEqual([]);
});
