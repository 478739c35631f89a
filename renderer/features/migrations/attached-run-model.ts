import type { ActiveMigration } from '../../../shared/api/schemas/migration';
import type { RunProgress } from './use-migration-progress';

/** Pure parts of the reattached run (use-attached-run.ts): what the page believes about a run. */

/** Event progress over the core's answer on opening: tables the events name are newer. */
export function mergeProgress(seed: ActiveMigration | undefined, seedAt: number, events: RunProgress | undefined) {
  if (!seed) return events;
  return {
    phase: events?.phase ?? seed.phase ?? '',
    tables: { ...seed.tables, ...events?.tables },
    at: Math.max(seedAt, events?.at ?? 0),
    ended: events?.ended,
  };
}

/**
 * Whether the core runs migration `id` now: the latest word wins among "this page started it",
 * a progress or finished event, and the core's migration.active answer (refetched when one ends).
 */
export function isRunning(
  started: number,
  events: RunProgress | undefined,
  activeAt: number,
  active?: ActiveMigration,
) {
  const words: [number, boolean][] = [
    [started, true],
    [events?.at ?? 0, !events?.ended],
    [activeAt, active?.running === true],
  ];
  const latest = words.reduce((a, b) => (b[0] > a[0] ? b : a));
  // nothing said anything yet: the first answers are on their way
  return latest[0] === 0 ? true : latest[1];
}
