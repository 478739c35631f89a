import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dropFixture, expectedFixture, loadFixture, type FixtureNames } from '../support/fixture';
import { MYSQL_URL, rawMysql } from '../support/mysql';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * The live pipeline diagram on the real DataJoint fixture loaded in MariaDB: every table a node
 * with its tier, every foreign key an edge with the right data-primary, search, filters, collapse,
 * the side panel, remembered positions, and rows written by another client showing up live.
 */
const SHOTS = 'test-results/screens';
let server: JoineryServer;
let names: FixtureNames & { rename: (s: string) => string };

interface ExpectedTable {
  table_name: string;
  tier: string;
  class_name: string;
  row_count: number;
  foreign_keys: { parent: string; primary: boolean; aliased: boolean }[];
}

/** The fixture's schemas as loaded here: expected tables under the renamed databases. */
function expectedSchemas(): { database: string; tables: ExpectedTable[] }[] {
  const schemas = expectedFixture().schemas as Record<string, { tables: ExpectedTable[] }>;
  const loaded = (s: string) => s.replaceAll('djref_lab', names.lab).replaceAll('djref_ephys', names.ephys);
  return Object.entries(schemas).map(([database, s]) => ({
    database: loaded(database),
    tables: s.tables.map((t) => ({
      ...t,
      foreign_keys: t.foreign_keys.map((fk) => ({ ...fk, parent: loaded(fk.parent) })),
    })),
  }));
}

// generous: the shared test machine is often busy, and each test opens a fresh page on a whole MariaDB server
test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async () => {
  names = await loadFixture(`e2ediag${process.pid}${Math.random().toString(36).slice(2, 6)}`);
  server = await startJoineryServer({ db: MYSQL_URL });
});

test.afterAll(async () => {
  await server?.stop();
  if (names) await dropFixture(names);
});

/** Opens the diagram showing only the fixture's two schemas (the server holds other tests' databases too). */
async function openFixtureDiagram(page: Page): Promise<Locator> {
  await page.goto(server.loginUrl);
  const toolbar = page.getByRole('toolbar', { name: 'Diagram' });
  // pipeline.inspect reads every schema of the shared MariaDB server, where other tests create and drop
  // databases: slow when busy, and it fails when a table vanishes mid-read; Try again, as a user would
  await expect(async () => {
    const retry = page.getByRole('alert').getByRole('button', { name: 'Try again' });
    if (await retry.isVisible()) await retry.click();
    await expect(toolbar).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  // the choice is remembered per database: after a reload the page reads only the chosen schemas
  if ((await toolbar.locator('summary').textContent())?.startsWith('All ')) {
    await toolbar.locator('summary').click();
    const menu = toolbar.getByRole('group', { name: 'Schemas' });
    await menu.getByRole('button', { name: 'Show none' }).click();
    await menu.getByRole('checkbox', { name: new RegExp(`^${names.lab} `) }).check();
    await menu.getByRole('checkbox', { name: new RegExp(`^${names.ephys} `) }).check();
    await toolbar.locator('summary').click();
  }
  await expect(page.locator(`[data-table="${names.ephys}.session"]`)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Arranging' })).toHaveCount(0, { timeout: 60_000 });
  return toolbar;
}

/** A node's position in diagram coordinates (React Flow's translate on the node). */
async function flowPosition(node: Locator): Promise<{ x: number; y: number }> {
  const transform = await node.evaluate((el) => (el as HTMLElement).style.transform);
  const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(transform);
  if (!m) throw new Error(`no translate in "${transform}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** Console messages that mean the page broke (CSP violations, e.g. for the layout worker; uncaught errors). */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Uncaught|Refused/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

test('every table of the fixture is a node with its tier, every foreign key an edge', async ({ page }) => {
  const problems = watchConsole(page);
  await openFixtureDiagram(page);
  for (const schema of expectedSchemas()) {
    for (const t of schema.tables) {
      const node = page.locator(`[data-table="${schema.database}.${t.table_name}"]`);
      await expect(node).toHaveAttribute('data-tier', t.tier);
      await expect(node).toHaveAccessibleName(t.class_name);
      if (t.tier !== 'Part') await expect(node).toContainText(`${t.row_count} ${t.row_count === 1 ? 'row' : 'rows'}`);
      for (const fk of t.foreign_keys) {
        const edges = page.locator(`[data-edge="${schema.database}.${t.table_name}->${fk.parent}"]`);
        await expect(edges.first()).toBeAttached();
        const sameParent = t.foreign_keys.filter((f) => f.parent === fk.parent);
        await expect(edges).toHaveCount(sameParent.length);
        await expect(edges.first()).toHaveAttribute('data-primary', String(fk.primary));
      }
    }
  }
  const total = expectedSchemas().reduce((n, s) => n + s.tables.length, 0);
  await expect(page.locator('[data-table]')).toHaveCount(total);
  // a renamed FK (SessionPair's two references to Session) carries the rename
  const renamed = page.locator(`[data-edge="${names.ephys}.session_pair->${names.ephys}.session"]`);
  await expect(renamed.first().locator('title')).toHaveText(
    /\.proj\((ref|cmp)_subject='subject_id', (ref|cmp)_session='session_idx'\)/,
  );
  await page.screenshot({ path: `${SHOTS}/pipeline-diagram-light.png` });
  // ELK ran in its Web Worker under the page's CSP (openFixtureDiagram waited for its layout)
  expect(problems).toEqual([]);
});

test('search highlights and focuses; tier and schema filters hide nodes; a schema collapses', async ({ page }) => {
  const toolbar = await openFixtureDiagram(page);
  const search = toolbar.getByRole('searchbox', { name: 'Search tables by name' });
  await search.fill('spike');
  await expect(toolbar.getByText('1 of 2')).toBeVisible();
  await expect(page.locator(`[data-table="${names.ephys}.__spike_detection"] .dj-node`)).toHaveClass(/is-match/);
  await expect(page.locator(`[data-table="${names.ephys}.session"] .dj-node`)).toHaveClass(/is-dimmed/);
  await page.screenshot({ path: `${SHOTS}/pipeline-diagram-search.png` });
  await search.fill('');

  await toolbar.getByRole('group', { name: 'Show tiers' }).getByRole('button', { name: 'Part' }).click();
  await expect(page.locator('[data-tier="Part"]')).toHaveCount(0);
  await expect(page.locator(`[data-table="${names.ephys}._recording"]`)).toBeVisible();
  await toolbar.getByRole('group', { name: 'Show tiers' }).getByRole('button', { name: 'Part' }).click();
  await expect(page.locator('[data-tier="Part"]')).toHaveCount(3);

  await toolbar.locator('summary').click();
  const menu = toolbar.getByRole('group', { name: 'Schemas' });
  await menu.getByRole('button', { name: `Collapse ${names.lab}` }).click();
  await toolbar.locator('summary').click();
  await expect(page.locator(`[data-table^="${names.lab}."]`)).toHaveCount(0);
  const collapsed = page.getByRole('group', { name: `Schema ${names.lab}, collapsed` });
  await expect(collapsed).toContainText('5 tables');
  // FKs from ephys into lab now meet at the collapsed node
  await expect(page.locator(`[data-schema-edge="${names.ephys}.session->schema:${names.lab}"]`)).toBeAttached();
  await page.screenshot({ path: `${SHOTS}/pipeline-diagram-collapsed.png` });
  await collapsed.click(); // clicking a collapsed schema opens it again
  await expect(page.locator(`[data-table="${names.lab}.subject"]`)).toBeVisible();
});

test('clicking a node opens its heading, FKs, definition and rows, with Browse data', async ({ page }) => {
  await openFixtureDiagram(page);
  await page.getByRole('button', { name: 'Session', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Session' });
  await expect(panel.getByRole('cell', { name: 'session_idx' }).first()).toBeVisible();
  await expect(panel.getByText(`${names.lab}.subject`, { exact: true })).toBeVisible();
  await expect(panel.locator('pre.definition')).toContainText('-> ', { timeout: 30_000 });
  await expect(panel.getByText('First 5 of 8 rows.')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/pipeline-diagram-panel.png` });
  // the keyboard works too: Tab to a table, Enter opens it
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  await page.getByRole('button', { name: 'Rig', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary', { name: 'Rig' })).toBeVisible();
  // by keyboard again: with the panel open the node may sit under the minimap
  await page.getByRole('button', { name: 'Session', exact: true }).focus();
  await page.keyboard.press('Enter');
  await panel.getByRole('button', { name: 'Browse data' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' })).toHaveAttribute(
    'aria-current',
    'page',
  );
});

test('a dragged node keeps its place after a reload; Reset layout forgets it', async ({ page }) => {
  const toolbar = await openFixtureDiagram(page);
  const node = page.locator(`[data-table="${names.lab}.experimenter"]`);
  const before = await flowPosition(node);
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 90, { steps: 8 });
  await page.mouse.up();
  const moved = await flowPosition(node);
  expect(Math.abs(moved.x - before.x) + Math.abs(moved.y - before.y)).toBeGreaterThan(20);

  await page.reload();
  await openFixtureDiagram(page);
  // "2 chosen schemas" until the other schemas are read in the background, then "2 of N schemas"
  await expect(toolbar.locator('summary')).toHaveText(/^2 (chosen schemas|of \d+ schemas)$/);
  await expect.poll(() => flowPosition(node)).toEqual(moved);
  await toolbar.getByRole('button', { name: 'Reset layout' }).click();
  await expect.poll(() => flowPosition(node)).toEqual(before);
});

test('rows written by another client show up without Refresh', async ({ page }) => {
  await openFixtureDiagram(page);
  const subject = page.locator(`[data-table="${names.lab}.subject"]`);
  await expect(subject).toContainText('4 rows');
  const c = await rawMysql();
  try {
    await c.query(
      `INSERT INTO \`${names.lab}\`.subject (subject_id, species, tag_id, sex, date_of_birth) ` +
        `SELECT 901, species, NULL, sex, date_of_birth FROM \`${names.lab}\`.subject LIMIT 1`,
    );
  } finally {
    await c.end();
  }
  // jobs.watch notices the new count within its 2 s poll; the refetch of the whole server's pipeline may take longer when busy
  await expect(subject).toContainText('5 rows', { timeout: 60_000 });
});

test('dark mode', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await openFixtureDiagram(page);
  await page.getByRole('button', { name: 'SpikeDetection', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'SpikeDetection' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/pipeline-diagram-dark.png` });
  await context.close();
});

/** A SQLite file with `n` DataJoint-named tables in 4 schemas: a Lookup, then Manual chains with a Computed each. */
function manyTables(file: string, n: number): void {
  const db = new Database(file);
  const perSchema = n / 4;
  db.transaction(() => {
    for (let s = 0; s < 4; s++) {
      db.exec(`CREATE TABLE "s${s}.#kind" (kind TEXT NOT NULL PRIMARY KEY)`);
      for (let i = 1; i < perSchema; i += 2) {
        db.exec(`CREATE TABLE "s${s}.item${i}" (item${i}_id INTEGER NOT NULL PRIMARY KEY,
          kind TEXT REFERENCES "s${s}.#kind"(kind))`);
        db.exec(`CREATE TABLE "s${s}.__score${i}" (item${i}_id INTEGER NOT NULL PRIMARY KEY
          REFERENCES "s${s}.item${i}"(item${i}_id), score REAL)`);
      }
    }
  })();
  db.close();
}

test.describe('states on SQLite', () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-diagram-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('an empty database offers the designer and `joinery declare`', async ({ page }) => {
    const file = path.join(dir, 'empty.db');
    const sqlite = await startJoineryServer({ db: `sqlite:${file}` });
    try {
      await page.goto(sqlite.loginUrl);
      await expect(page.getByRole('heading', { name: 'This database has no schemas yet' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Design a table' })).toBeVisible();
      await expect(page.getByText(`joinery declare --db sqlite:${file} --file defs.json`)).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/pipeline-diagram-empty.png` });
    } finally {
      await sqlite.stop();
    }
  });

  test('loading shows progress; an error says what to do and Try again recovers', async ({ page }) => {
    const file = path.join(dir, 'small.db');
    manyTables(file, 8);
    const sqlite = await startJoineryServer({ db: `sqlite:${file}` });
    try {
      // the first inspect is held (loading), then answered with the core's error for a locked file
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/rpc/pipeline.inspect', async (route) => {
        await held;
        await route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            ok: false,
            error: {
              code: 'DB_LOCKED',
              message: 'The SQLite file small.db is locked by another program.',
              hint: 'Close the program that holds it (or wait for its write to finish), then press Try again.',
            },
          }),
        });
      });
      await page.goto(sqlite.loginUrl);
      await expect(page.getByRole('status').filter({ hasText: 'Reading the schemas and tables' })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/pipeline-diagram-loading.png` });
      release();
      const alert = page.getByRole('alert');
      await expect(alert).toContainText('is locked by another program');
      await expect(alert).toContainText('then press Try again');
      await page.screenshot({ path: `${SHOTS}/pipeline-diagram-error.png` });
      await page.unroute('**/rpc/pipeline.inspect');
      await alert.getByRole('button', { name: 'Try again' }).click();
      await expect(page.locator('[data-table="s0.#kind"]')).toBeVisible();
    } finally {
      await sqlite.stop();
    }
  });

  test('500 tables: every node and edge drawn, search still finds one', async ({ page }) => {
    test.setTimeout(120_000);
    const file = path.join(dir, 'big.db');
    manyTables(file, 500);
    const sqlite = await startJoineryServer({ db: `sqlite:${file}` });
    try {
      await page.goto(sqlite.loginUrl);
      await expect(page.locator('[data-table]')).toHaveCount(500, { timeout: 60_000 });
      await page.screenshot({ path: `${SHOTS}/pipeline-diagram-500-first.png` });
      await expect(page.getByRole('status').filter({ hasText: 'Arranging' })).toHaveCount(0, { timeout: 90_000 });
      await expect(page.locator('[data-edge]')).toHaveCount(4 * 62 * 2);
      await page.screenshot({ path: `${SHOTS}/pipeline-diagram-500.png` });
      const search = page.getByRole('searchbox', { name: 'Search tables by name' });
      await search.fill('s3.__score61');
      await expect(page.getByText('1 of 1')).toBeVisible();
      await expect(page.locator('[data-table="s3.__score61"] .dj-node')).toHaveClass(/is-match/);
      await expect(page.locator('[data-table="s3.__score61"]')).toBeInViewport();
      await page.screenshot({ path: `${SHOTS}/pipeline-diagram-500-search.png` });
    } finally {
      await sqlite.stop();
    }
  });
});
