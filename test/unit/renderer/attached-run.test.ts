import { describe, expect, it } from 'vitest';
import type { ActiveMigration } from '../../../shared/api/schemas/migration';
import { isRunning, mergeProgress } from '../../../renderer/features/migrations/attached-run-model';

const record = {
  id: 'm1',
  schema: 'lab',
  state: 'copying' as const,
  tables: ['lab.subject', 'lab.session'],
  summary: '',
  user: '',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  error: null,
  checks: null,
};
const active = (running: boolean): ActiveMigration => ({
  migration: record,
  running,
  phase: running ? 'copy' : null,
  tables: { 'lab.subject': { rows: 3, total: 3 } },
  changes: [{ table: 'lab.Subject', definition: 'x : int\n' }],
});

describe('the Migrations page reattached to a run', () => {
  it('believes the latest word: started here, an event, or the core answer', () => {
    // nothing known yet: a just-started run must not look stopped
    expect(isRunning(0, undefined, 0, undefined)).toBe(true);
    // the core answered (after the start) that it is not running any more
    expect(isRunning(10, undefined, 20, undefined)).toBe(false);
    // started here after an older answer that did not know it yet
    expect(isRunning(30, undefined, 20, undefined)).toBe(true);
    // migration.finished arrived last
    expect(isRunning(10, { phase: 'done', tables: {}, at: 40, ended: { state: 'done', error: null } }, 20)).toBe(false);
    // the core answered last that it runs (reopened page)
    expect(isRunning(0, undefined, 50, active(true))).toBe(true);
    // a stopped migration in the journal, nothing else known
    expect(isRunning(0, undefined, 50, active(false))).toBe(false);
    // resumed after it had failed: the resume is newer than the failure's event
    expect(isRunning(60, { phase: 'copy', tables: {}, at: 40, ended: { state: 'copying', error: 'x' } }, 50)).toBe(
      true,
    );
  });

  it('keeps the rows the core reported on opening and lets events override them', () => {
    expect(mergeProgress(undefined, 0, undefined)).toBeUndefined();
    const merged = mergeProgress(active(true), 5, {
      phase: 'copy',
      tables: { 'lab.session': { rows: 2, total: 6 } },
      at: 9,
    });
    expect(merged).toEqual({
      phase: 'copy',
      tables: { 'lab.subject': { rows: 3, total: 3 }, 'lab.session': { rows: 2, total: 6 } },
      at: 9,
      ended: undefined,
    });
    expect(mergeProgress(active(true), 5, undefined)?.phase).toBe('copy');
  });
});
