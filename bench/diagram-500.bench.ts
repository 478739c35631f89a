import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { DeclareTable } from '../shared/api/schemas/schema';
import { startJoineryServer } from '../test/e2e/support/joinery-server';
import { callCore, createTestCore } from '../test/support/core';
import { report } from './harness';

/**
 * `npm run bench -- diagram-500`: a generated 500-table, 4-schema DataJoint pipeline on SQLite
 * drawn by the Pipeline screen in Chromium (playwright-core + Debian's /usr/bin/chromium against
 * `joinery serve`). Figure: ms from opening the diagram (the screen's `joinery:pipeline-opened`
 * mark, before pipeline.inspect is fetched) to every node drawn (all 500 `[data-table]` nodes
 * measured and visible). Baseline: the same page with 50 tables, in the same run. Goal: < 1000 ms.
 * A second figure: ms until ELK's layout (in its Web Worker) replaced the first quick picture.
 */
const REPEATS = 3;

/** One schema of DataJoint tables: lookups, then units of Subject -> Session -> Recording(.Channel) -> Spikes. */
function schemaTables(schema: string, lookups: number, units: number, previous: string | null): DeclareTable[] {
  const t = (class_name: string, tier: DeclareTable['tier'], definition: string): DeclareTable => ({
    schema,
    class_name,
    tier,
    definition,
  });
  const out: DeclareTable[] = [];
  for (let i = 0; i < lookups; i++)
    out.push(t(`Param${i}`, 'Lookup', `param${i}_id : smallint\n---\ndescription = "" : varchar(255)`));
  for (let u = 0; u < units; u++) {
    const origin = previous ? `\n-> [nullable] ${previous}.Subject${u}.proj(origin${u}_id='subject${u}_id')` : '';
    out.push(
      t(`Subject${u}`, 'Manual', `subject${u}_id : int\n---\n-> Param${u % lookups}${origin}\nname : varchar(32)`),
      t(`Session${u}`, 'Manual', `-> Subject${u}\nsession_idx : smallint\n---\nstart : datetime`),
      t(`Recording${u}`, 'Imported', `-> Session${u}\n---\ntrace : longblob`),
      t(`Recording${u}.Channel`, 'Part', `-> master\nchannel : smallint\n---\nsignal : longblob`),
      t(`Spikes${u}`, 'Computed', `-> Recording${u}\n-> Param${(u + 1) % lookups}\n---\ncount : int`),
    );
  }
  return out;
}

/** A SQLite file holding `schemas` schemas of `lookups + 5 * units` tables each; returns its path. */
async function generate(dir: string, name: string, schemas: number, lookups: number, units: number) {
  const file = path.join(dir, `${name}.db`);
  const { core, dataDir } = createTestCore();
  try {
    const { id } = (await callCore(core, 'connection.open', { url: `sqlite:${file}` })) as { id: string };
    const names = Array.from({ length: schemas }, (_, k) => `${name}_s${k}`);
    const tables = names.flatMap((s, k) => schemaTables(s, lookups, units, k > 0 ? names[k - 1]! : null));
    await callCore(core, 'table.declare', { connectionId: id, tables });
    await callCore(core, 'connection.close', { connectionId: id });
    return { file, tables: tables.length };
  } finally {
    await core.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Page-side checks (run in Chromium; the page's CSP forbids evaluating strings). The bench compiles
// without the DOM library, hence the small view of the page's globals.
type PageElement = { textContent: string | null };
type PageScope = {
  document: { querySelectorAll(selector: string): ArrayLike<PageElement> };
  getComputedStyle(el: PageElement): { visibility: string };
};

/** ms since the Pipeline screen opened once all `n` table nodes are drawn (measured, visible), else false. */
function drawnSinceOpened(n: number): number | false {
  const page = globalThis as unknown as PageScope;
  const opened = performance.getEntriesByName('joinery:pipeline-opened')[0];
  const nodes = Array.from(page.document.querySelectorAll('.react-flow__node[data-table]'));
  const drawn = nodes.length === n && nodes.every((el) => page.getComputedStyle(el).visibility === 'visible');
  return opened && drawn ? performance.now() - opened.startTime : false;
}

/** ms since the Pipeline screen opened once ELK's layout is in (no "Arranging" status), else false. */
function arrangedSinceOpened(): number | false {
  const page = globalThis as unknown as PageScope;
  const opened = performance.getEntriesByName('joinery:pipeline-opened')[0];
  const statuses = Array.from(page.document.querySelectorAll('[role=status]'));
  const busy = statuses.some((el) => /Arranging/.test(el.textContent ?? ''));
  return opened && !busy ? performance.now() - opened.startTime : false;
}
const WAIT = { polling: 'raf', timeout: 120_000 } as const;

/** Opens the app on `file` in a fresh browser context and times the diagram (best of REPEATS). */
async function timeDiagram(browser: Browser, file: string, tables: number) {
  const server = await startJoineryServer({ db: `sqlite:${file}`, timeoutMs: 60_000 });
  let draw = Infinity;
  let layout = Infinity;
  try {
    for (let i = 0; i <= REPEATS; i++) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      const page = await context.newPage();
      await page.goto(server.loginUrl);
      const drawn = await page.waitForFunction(drawnSinceOpened, tables, WAIT);
      const arranged = await page.waitForFunction(arrangedSinceOpened, undefined, WAIT);
      if (i > 0) {
        // the first round warms the server's connection and the browser's cache of the scripts
        draw = Math.min(draw, (await drawn.jsonValue()) as number);
        layout = Math.min(layout, (await arranged.jsonValue()) as number);
      }
      await context.close();
    }
  } finally {
    await server.stop();
  }
  return { draw, layout };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-bench-diagram-'));
const browser = await chromium.launch({
  executablePath: process.env.JOINERY_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const big = await generate(dir, 'big', 4, 10, 23); // 4 x (10 + 23 x 5) = 500 tables
  const small = await generate(dir, 'small', 2, 5, 4); // 2 x (5 + 4 x 5) = 50 tables
  const baseline = await timeDiagram(browser, small.file, small.tables);
  const measured = await timeDiagram(browser, big.file, big.tables);
  report({
    bench: 'diagram-500',
    metric: `ms_to_draw_${big.tables}`,
    value: measured.draw,
    unit: 'ms',
    baseline: `the same page with ${small.tables} tables`,
    baseline_value: baseline.draw,
  });
  report({
    bench: 'diagram-500',
    metric: `ms_to_elk_layout_${big.tables}`,
    value: measured.layout,
    unit: 'ms',
    baseline: `the same page with ${small.tables} tables`,
    baseline_value: baseline.layout,
  });
  // the data browser's grid figure (rows fetched per scroll page) is bench/data-grid.bench.ts
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
