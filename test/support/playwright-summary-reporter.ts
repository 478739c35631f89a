import type { Reporter, TestCase } from '@playwright/test/reporter';

/** Prints `N passed, N failed, N skipped`, the line CI sums (Playwright's own summary has another form). */
export default class PlaywrightSummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, ReturnType<TestCase['outcome']>>();

  onTestEnd(test: TestCase): void {
    this.outcomes.set(test.id, test.outcome());
  }

  onEnd(): void {
    let passed = 0,
      failed = 0,
      skipped = 0;
    for (const outcome of this.outcomes.values()) {
      if (outcome === 'expected' || outcome === 'flaky') passed++;
      else if (outcome === 'skipped') skipped++;
      else failed++;
    }
    process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
