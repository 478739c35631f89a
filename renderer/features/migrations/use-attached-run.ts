import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ActiveMigration } from '../../../shared/api/schemas/migration';
import { useApiQuery } from '../../api/hooks';
import { isRunning, mergeProgress } from './attached-run-model';
import { useMigrationProgress, type RunProgress } from './use-migration-progress';
import { useShownRuns, type ShownRun } from './shown-run-store';

/** What the page knows about the run it shows. */
export interface LiveRun {
  /** The core runs it now (true until known otherwise, so a just-started run never looks stopped). */
  running: boolean;
  /** Rows copied per table: the core's answer on opening, then the events. */
  progress?: RunProgress;
  /** The core's entry of it while unfinished (its record and the change that resumes it). */
  active?: ActiveMigration;
}

/** The run the Migrations page shows, and how to start showing or stop showing one. */
export interface AttachedRun {
  run: ShownRun | null;
  live: LiveRun;
  /** This page started (or resumed) migration `id`. */
  start(id: string, tables: string[]): void;
  /** Back to an empty wizard. */
  clear(): void;
  /** Ids of the migrations the core runs now (undefined until it answered). */
  runningIds?: ReadonlySet<string>;
}

/**
 * Reattaches the Migrations page to a migration: the run it showed before (kept per tab, so a
 * reload or a visit to another page brings it back), else one the core runs now or one its
 * journal shows stopped before its end. Progress comes from migration.active and then from events.
 */
export function useAttachedRun(connectionId: string): AttachedRun {
  // read afresh on every opening: a migration may have started, moved on or ended since the last
  const active = useApiQuery('migration.active', { connectionId }, { staleTime: 0 });
  const events = useMigrationProgress(connectionId);
  const run = useShownRuns((s) => s.byConnection[connectionId] ?? null);
  const show = useShownRuns((s) => s.show);
  const forget = useShownRuns((s) => s.forget);
  const [startedAt, setStartedAt] = useState<Record<string, number>>({});
  const decided = useRef(false);

  // on opening the page, once the core answered: a running migration first, else the run shown before
  useEffect(() => {
    if (decided.current || !active.isFetchedAfterMount || !active.data) return;
    decided.current = true;
    const all = active.data.migrations;
    const pick = all.find((m) => m.running) ?? (run ? undefined : all[0]);
    if (pick && pick.migration.id !== run?.id)
      show(connectionId, { id: pick.migration.id, tables: pick.migration.tables });
  }, [active.isFetchedAfterMount, active.data, run, show, connectionId]);

  const start = useCallback(
    (id: string, tables: string[]) => {
      decided.current = true;
      setStartedAt((all) => ({ ...all, [id]: Date.now() }));
      show(connectionId, { id, tables });
    },
    [connectionId, show],
  );
  const clear = useCallback(() => forget(connectionId), [connectionId, forget]);

  const entry = run ? active.data?.migrations.find((m) => m.migration.id === run.id) : undefined;
  const ev = run ? events[run.id] : undefined;
  const live: LiveRun = {
    running: run ? isRunning(startedAt[run.id] ?? 0, ev, active.dataUpdatedAt, entry) : false,
    progress: mergeProgress(entry, active.dataUpdatedAt, ev),
    active: entry,
  };
  const runningIds = useMemo(
    () =>
      active.data ? new Set(active.data.migrations.filter((m) => m.running).map((m) => m.migration.id)) : undefined,
    [active.data],
  );
  return { run, live, start, clear, runningIds };
}
