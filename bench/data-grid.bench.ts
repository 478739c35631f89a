import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Page, type Response } from '@playwright/test';
import { startJoineryServer } from '../test/e2e/support/joinery-server';
import { report } from './harness';

/**
 * The data browser's grid on a 1M-row SQLite table, drawn in Chromium: the rows fetched per
 * scroll page must be the rows on screen (the page), never the table. Scrolls one screen at a
 * time, then jumps far down, counting the rows of every query.fetch answer; baseline: the rows
 * one screen shows (the grid's page size), measured on the same page.
 */

const ROWS = 1_000_000;
const STEPS = 12;
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-bench-grid-'));
const file = path.join(dir, 'grid.db');
const db = `sqlite:${file}`;

function makeTable(): void {
  const defs = path.join(dir, 'defs.json');
  writeFileSync(
    defs,
    JSON.stringify([
      {
        schema: 'bench',
        class_name: 'Reading',
        tier: 'Manual',
        definition: 'reading_id : int\n---\nvalue : double\nlabel : varchar(16)\ntaken : date',
      },
    ]),
  );
  execFileSync(process.execPath, [path.join(root, 'bin/joinery.js'), 'declare', '--db', db, '--file', defs]);
  const sqlite = new Database(file);
  const insert = sqlite.prepare('INSERT INTO "bench.reading" (reading_id, value, label, taken) VALUES (?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(i, Math.sin(i), `r${i % 1000}`, '2024-01-01');
  })();
  sqlite.close();
}

function ensureRenderer(): void {
  if (existsSync(path.join(root, 'dist/renderer/index.html'))) return;
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('vite build failed; the bench needs dist/renderer');
}

/** Rows of every query.fetch answer since the last call. */
function fetchCounter(page: Page): () => number[] {
  let seen: Promise<number>[] = [];
  page.on('response', (res: Response) => {
    if (!res.url().endsWith('/rpc/query.fetch')) return;
    seen.push(res.json().then((b: { value?: { rows?: unknown[] } }) => b.value?.rows?.length ?? 0));
  });
  return () => {
    const now = seen;
    seen = [];
    return now as unknown as number[];
  };
}

async function settled(page: Page): Promise<void> {
  // the grid asks for a page once scrolling rests; then no cell is waiting for its row
  await page.waitForTimeout(150);
  await page.locator('[role=grid][data-visible-ready="true"]:not([aria-busy])').waitFor();
}

makeTable();
ensureRenderer();
const server = await startJoineryServer({ db });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  const take = fetchCounter(page);
  await page.goto(server.loginUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click();
  await page.locator('[data-browse-table="bench.reading"]').click();
  await page.locator('[data-row-count]').getByText('1,000,000 rows').waitFor();
  await settled(page);
  const pageSize = Number(await page.locator('[role=grid]').getAttribute('data-page-size'));
  const rowHeight = await page
    .locator('.grid-row')
    .first()
    .evaluate((row) => row.getBoundingClientRect().height);
  await Promise.all(take());

  const perStep: number[] = [];
  const scrollTo = async (top: number) => {
    await page.locator('[role=grid]').evaluate((grid, y) => (grid.scrollTop = y), top);
    await settled(page);
    perStep.push((await Promise.all(take())).reduce((a, b) => a + b, 0));
  };
  for (let i = 1; i <= STEPS; i++) await scrollTo(i * pageSize * rowHeight);
  // far jumps, as when dragging the scrollbar: still one page each
  for (const fraction of [0.5, 0.9]) await scrollTo(Math.floor((ROWS * fraction) / pageSize) * pageSize * rowHeight);
  const firstShown = await page.locator('.grid-row').first().getAttribute('aria-rowindex');
  // the large state, for looking at (scrolled half-way through a million rows)
  await page.screenshot({ path: path.join(root, 'test-results/screens/data-1m-rows-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(root, 'test-results/screens/data-1m-rows-dark.png') });

  const mean = perStep.reduce((a, b) => a + b, 0) / perStep.length;
  report({
    bench: 'diagram-500',
    metric: 'rows_fetched_per_scroll_page',
    value: mean,
    unit: 'rows',
    baseline: `visible rows (one screen of the grid, on a ${ROWS.toLocaleString('en')}-row SQLite table)`,
    baseline_value: pageSize,
  });
  if (Math.max(...perStep) > pageSize || !firstShown)
    throw new Error(`a scroll fetched more than one page: ${perStep.join(', ')} rows (page ${pageSize})`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
