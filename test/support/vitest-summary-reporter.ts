import type { Reporter, TestModule } from 'vitest/node';

/** Prints `N passed, N failed, N skipped`, the line CI sums (vitest's own summary has another form). */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>) {
    let passed = 0,
      failed = 0,
      skipped = 0;
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      for (const t of tests) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && tests.length === 0) failed++; // the file failed to load
    }
    process.stdout.write(`\n${passed} passed, ${failed + errors.length} failed, ${skipped} skipped\n`);
  }
}
