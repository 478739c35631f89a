import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { dropFixture, loadFixture, type FixtureNames } from '../support/fixture';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * The data browser on the real DataJoint fixture in MariaDB: browse (blobs summarized), insert
 * through the form with FK pickers, restrict, edit, delete through the cascade preview, bad values
 * next to their fields with nothing written, and a bulk import whose bad line is shown first.
 */

const SHOTS = 'test-results/screens';
// the shared test machine can be slow to answer (other suites load MariaDB); waits are generous,
// what is checked does not depend on speed
const expect = baseExpect.configure({ timeout: 60_000 });
let server: JoineryServer;
let names: FixtureNames;

test.describe.configure({ mode: 'serial' });
// a shared 2-core machine runs these flows slowly; the limit is generous, the checks are not about speed
test.setTimeout(240_000);

test.beforeAll(async () => {
  names = await loadFixture(`e2e_data_${randomBytes(3).toString('hex')}`);
  server = await startJoineryServer({ db: 'mysql://root@127.0.0.1:3306' });
});

test.afterAll(async () => {
  await server?.stop();
  if (names) await dropFixture(names);
});

function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Uncaught/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

/** Screenshots of the current state in the light and the dark theme. */
async function shoot(page: Page, state: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SHOTS}/data-${state}-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  // buttons fade their colours over 0.12 s; the picture is of the settled theme
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/data-${state}-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openTable(page: Page, key: string): Promise<void> {
  await page.goto(server.loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click();
  await page.getByRole('searchbox', { name: 'Find a table' }).fill(key.split('.')[1]!.replace('#', ''));
  await page.locator(`[data-browse-table="${key}"]`).click();
  await expect(page.getByRole('grid', { name: 'Rows' })).toBeVisible();
}

const rowCount = (page: Page) => page.locator('[data-row-count]');

test('browses a table of blobs: every blob summarized by dtype and shape, small arrays previewed', async ({ page }) => {
  const problems = watchConsole(page);
  await openTable(page, `${names.lab}.blob_sample`);
  await expect(rowCount(page)).toHaveText('34 rows');
  const grid = page.getByRole('grid', { name: 'Rows' });
  await expect(grid.getByRole('columnheader', { name: 'value' })).toBeVisible();
  // sample 1 is a float64 row vector [0.5, 1.25, -2, 3.75]
  await expect(grid.locator('.cell-blob').first()).toHaveText('float64 4 [0.5,1.25,-2,3.75]');
  await expect(grid.locator('.cell-blob').nth(1)).toContainText('int16 3×4');
  await shoot(page, 'browse-blobs');

  // sorting by a header orders on the server
  await grid.getByRole('button', { name: /^sample_id/ }).click();
  await expect(grid.getByRole('columnheader', { name: /sample_id/ })).toHaveAttribute('aria-sort', 'ascending');
  await grid.getByRole('button', { name: /^sample_id/ }).click();
  await expect(grid.getByRole('columnheader', { name: /sample_id/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText('34');
  expect(problems).toEqual([]);
});

test('a restriction with a mistake shows its line and column; a good one restricts', async ({ page }) => {
  await openTable(page, `${names.lab}.subject`);
  await expect(rowCount(page)).toHaveText('4 rows');
  const bar = page.getByRole('textbox', { name: 'Restriction' });
  await bar.fill('wieght > 20');
  await bar.press('Enter');
  await expect(page.locator('#restriction-error')).toContainText('Line 1, column 1');
  await expect(page.locator('#restriction-error')).toContainText('wieght');
  await shoot(page, 'restriction-error');
  await bar.fill("{'sex': 'F'}");
  await bar.press('Enter');
  await expect(rowCount(page)).toHaveText('2 rows');

  // export writes what is shown: the restricted rows, every attribute
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe('subject_id,species,tag_id,sex,date_of_birth,weight,subject_notes,surgery_report');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['2', '3']);
  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const json = JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8')) as Record<string, unknown>[];
  expect(json.map((r) => [r.subject_id, r.weight])).toEqual([
    [2, null],
    [3, '310.25'],
  ]);
  await bar.fill('weight > 100');
  await bar.press('Enter');
  await expect(rowCount(page)).toHaveText('1 row');
});

test('inserts a row with FK pickers, finds it, edits it and deletes it through the preview', async ({ page }) => {
  const problems = watchConsole(page);
  await openTable(page, `${names.lab}.subject`);
  await page.getByRole('button', { name: 'Insert row' }).click();
  const form = page.getByRole('complementary', { name: 'New Subject row' });
  await form.locator('#field-subject_id').fill('901');
  await form.getByRole('combobox', { name: 'Find Species' }).fill('musc');
  await form.getByRole('option', { name: /species=Mus musculus/ }).click();
  await expect(form.locator('#field-species')).toHaveValue('Mus musculus');
  await form.getByRole('combobox', { name: 'Find EarTag' }).fill('T00002');
  await form.getByRole('option', { name: /tag_id=T00002/ }).click();
  await form.locator('#field-sex').selectOption('F');
  await form.locator('#field-date_of_birth').fill('2024-03-01');
  await form.locator('#field-weight').fill('21.5');
  await shoot(page, 'insert-form');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.getByRole('status')).toContainText('Inserted');
  await expect(rowCount(page)).toHaveText('5 rows');
  await form.getByRole('button', { name: 'Close', exact: true }).click();

  const bar = page.getByRole('textbox', { name: 'Restriction' });
  await bar.fill('subject_id = 901');
  await bar.press('Enter');
  await expect(rowCount(page)).toHaveText('1 row');
  const row = page.getByRole('grid', { name: 'Rows' }).getByRole('row').nth(1);
  await expect(row).toContainText('Mus musculus');
  await expect(row).toContainText('2024-03-01');
  await expect(row).toContainText('21.50');
  await row.click();

  await page.getByRole('button', { name: 'Edit row' }).click();
  const edit = page.getByRole('complementary', { name: 'Edit Subject row' });
  await expect(edit.locator('#field-subject_id')).toBeDisabled();
  await edit.locator('#field-weight').fill('22.25');
  await edit.locator('#field-subject_notes').fill('edited in the browser');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('status')).toHaveText('Saved.');
  await expect(row).toContainText('22.25');
  await expect(row).toContainText('edited in the browser');
  await edit.getByRole('button', { name: 'Close', exact: true }).click();

  await row.click();
  await page.getByRole('button', { name: 'Delete row…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete Subject row?' });
  // the cascade is worked out over every schema on the server (other suites' too): give it time
  await expect(dialog.locator(`[data-cascade-table="${names.lab}.subject"]`)).toContainText('1', { timeout: 90_000 });
  await shoot(page, 'delete-preview');
  await dialog.getByRole('button', { name: 'Delete 1 row' }).click();
  await expect(dialog).toBeHidden({ timeout: 90_000 });
  await expect(page.getByText('No row matches this restriction.')).toBeVisible();
  await shoot(page, 'empty-restriction');
  expect(problems).toEqual([]);
});

test('bad values show their message next to the field and nothing is written', async ({ page }) => {
  await openTable(page, `${names.lab}.subject`);
  await expect(rowCount(page)).toHaveText('4 rows');
  await page.getByRole('button', { name: 'Insert row' }).click();
  const form = page.getByRole('complementary', { name: 'New Subject row' });
  await form.locator('#field-subject_id').fill('abc');
  await form.locator('#field-species').fill('Mus musculus');
  await form.locator('#field-sex').selectOption('M');
  await form.locator('#field-date_of_birth').fill('2024-01-01');
  await form.locator('#field-weight').fill('12345.678');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.locator('#field-subject_id-error')).toContainText('expects a whole number');
  await expect(form.locator('#field-weight-error')).toBeVisible();
  await expect(form.locator('#field-subject_id')).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, 'form-field-errors');

  // the core's own errors land next to their fields too: a duplicate key, a missing parent
  await form.locator('#field-weight').fill('20');
  await form.locator('#field-subject_id').fill('1');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.locator('#field-subject_id-error')).toContainText('already exists');
  await form.locator('#field-subject_id').fill('902');
  await form.locator('#field-species').fill('Homo sapiens');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.locator('#field-species-error')).toContainText('no ');
  await shoot(page, 'form-core-error');
  await expect(rowCount(page)).toHaveText('4 rows');
});

test('bulk import shows the first rows and the bad line before anything is written', async ({ page }) => {
  await openTable(page, `${names.lab}.subject`);
  await page.getByRole('button', { name: 'Import file…' }).click();
  const panel = page.getByRole('complementary', { name: 'Import rows into Subject' });
  const csv = [
    'subject_id,species,sex,date_of_birth,weight',
    '910,Mus musculus,F,2024-01-01,20.5',
    '911,Mus musculus,X,2024-01-02,19',
  ].join('\n');
  await panel.getByRole('textbox').fill(csv);
  await expect(panel.getByRole('list', { name: 'Problems by line' })).toContainText(
    'Line 3: attribute "sex" must be one of',
  );
  await expect(panel.getByRole('button', { name: /^Import 2 rows/ })).toBeDisabled();
  await expect(panel.getByRole('table', { name: 'First rows of the file' })).toContainText('910');
  await shoot(page, 'import-bad-line');
  await panel.getByRole('textbox').fill(csv.replace(',X,', ',M,'));
  await panel.getByRole('button', { name: /^Import 2 rows/ }).click();
  await expect(panel.getByRole('status').last()).toHaveText('Imported 2 rows.');
  await expect(rowCount(page)).toHaveText('6 rows');
});

test('a query expression is shown in the grid, and joined parents add their attributes', async ({ page }) => {
  await openTable(page, `${names.ephys}.session`);
  await expect(rowCount(page)).toHaveText('8 rows');
  // an attachment stored in the row downloads with its name and contents
  const download = page.waitForEvent('download');
  await page
    .getByRole('button', { name: /^⤓ attachment/ })
    .first()
    .click();
  expect((await download).suggestedFilename()).toBe('protocol_v1.txt');
  expect(readFileSync(await (await download).path(), 'utf8')).toMatch(/^Protocol v1/);
  await page.getByRole('checkbox', { name: 'Subject' }).check();
  const grid = page.getByRole('grid', { name: 'Rows' });
  await expect(grid.getByRole('columnheader', { name: 'date_of_birth' })).toBeVisible();
  await expect(rowCount(page)).toHaveText('8 rows');
  await shoot(page, 'join-parent');

  await page.getByRole('textbox', { name: 'Query expression' }).fill(`${names.lab}.Subject - ${names.ephys}.Session`);
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByRole('heading', { name: 'Query' })).toBeVisible();
  await expect(grid.getByRole('columnheader', { name: 'species' })).toBeVisible();
});

test('auto-populated tables take rows by hand only after opting into allow_direct_insert', async ({ page }) => {
  await openTable(page, `${names.ephys}._recording`);
  await expect(rowCount(page)).toHaveText('5 rows');
  await expect(page.getByRole('button', { name: 'Insert row' })).toHaveCount(0);
  await shoot(page, 'imported-read-only');
  await page.getByRole('checkbox', { name: /Allow direct insert/ }).check();
  await expect(page.getByRole('button', { name: 'Insert row' })).toBeVisible();
});

test.describe('on SQLite', () => {
  let sqlite: JoineryServer;
  let dir: string;

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-data-'));
    const db = `sqlite:${path.join(dir, 'lab.db')}`;
    const defs = path.join(dir, 'defs.json');
    writeFileSync(
      defs,
      JSON.stringify([
        { schema: 'lab', class_name: 'Rig', tier: 'Lookup', definition: 'rig : varchar(16)\n---\nroom : varchar(16)' },
        {
          schema: 'lab',
          class_name: 'Mouse',
          tier: 'Manual',
          definition:
            'mouse_id : int\n---\n-> Rig\nborn : date\nweight = null : decimal(5,2)\nnotes = "" : varchar(255)',
        },
        { schema: 'lab', class_name: 'Cage', tier: 'Manual', definition: 'cage : int\n---\nlabel : varchar(32)' },
      ]),
    );
    const cli = (args: string[]) =>
      execFileSync(process.execPath, ['bin/joinery.js', ...args, '--db', db], { encoding: 'utf8' });
    cli(['declare', '--file', defs]);
    const rigs = path.join(dir, 'rigs.csv');
    writeFileSync(rigs, 'rig,room\nA,B.101\nB,B.102\n');
    cli(['insert', '--table', 'lab.Rig', '--file', rigs]);
    sqlite = await startJoineryServer({ db });
  });

  test.afterAll(async () => {
    await sqlite?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an empty table says how to fill it; a row goes in through the form and out through the preview', async ({
    page,
  }) => {
    const problems = watchConsole(page);
    await page.goto(sqlite.loginUrl);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click();
    await expect(page.getByText('Pick a table to see its rows.')).toBeVisible();
    await shoot(page, 'pick-a-table');
    // hold the count back to see the loading state (the request is delayed, not answered by the test)
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/rpc/query.count', async (route) => {
      await held;
      await route.continue();
    });
    await page.locator('[data-browse-table="lab.cage"]').click();
    await expect(page.getByRole('status').filter({ hasText: 'Loading rows…' })).toBeVisible();
    await shoot(page, 'loading');
    release();
    await page.unrouteAll({ behavior: 'wait' });
    await expect(page.getByText('This table has no rows yet.')).toBeVisible();
    await shoot(page, 'empty-table');

    await page.locator('[data-browse-table="lab.mouse"]').click();
    await expect(page.getByText('This table has no rows yet.')).toBeVisible();
    await page.getByRole('button', { name: 'Insert row' }).click();
    const form = page.getByRole('complementary', { name: 'New Mouse row' });
    await form.locator('#field-mouse_id').fill('7');
    await form.getByRole('combobox', { name: 'Find Rig' }).fill('B');
    await form.getByRole('option', { name: /rig=B/ }).click();
    await form.locator('#field-born').fill('2024-05-06');
    await form.locator('#field-weight').fill('19.5');
    await form.getByRole('button', { name: 'Insert' }).click();
    await expect(form.getByRole('status')).toContainText('Inserted');
    const row = page.getByRole('grid', { name: 'Rows' }).getByRole('row').nth(1);
    await expect(row).toContainText('19.50');
    await expect(row).toContainText('2024-05-06');
    await form.getByRole('button', { name: 'Close', exact: true }).click();
    await row.click();
    await page.getByRole('button', { name: 'Delete row…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Mouse row?' });
    await dialog.getByRole('button', { name: 'Delete 1 row' }).click({ timeout: 60_000 });
    await expect(page.getByText('This table has no rows yet.')).toBeVisible();
    expect(problems).toEqual([]);
  });
});
