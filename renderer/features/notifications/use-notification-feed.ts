import { useEffect, useMemo, useRef, useState } from 'react';
import { NotificationPrefs } from '../../../shared/api/schemas/settings';
import type { WorkerInfo } from '../../../shared/api/schemas/worker';
import {
  mergeShown,
  NotificationGrouper,
  type GroupedNotification,
  type NotificationSignal,
} from '../../../shared/model/notification-grouping';
import { signalsFromFailure, signalsFromFinish, signalsFromWorkers } from '../../../shared/model/notification-signals';
import { transportKind } from '../../api/client';
import { useApiQuery, useCoreEvent } from '../../api/hooks';
import { showBrowserNotification } from '../../lib/browser-notifications';

const DEFAULT_PREFS = NotificationPrefs.parse({});
/** A burst of happenings settles into one notification after this long without a new one. */
const QUIET_MS = 2000;
/** Kept in the notification centre. */
const MAX_KEPT = 50;
/** Workers going offline send no event: the registry is read this often while the app is open. */
const WORKERS_POLL_MS = 30_000;

/**
 * The notifications of this window: core events and worker heartbeats, grouped and rate-limited
 * (shared/model/notification-grouping), shown in-app and, in web mode, as browser notifications
 * (the desktop shell shows the system ones itself, also when no window is open).
 */
export function useNotificationFeed(connectionId: string | null) {
  const prefs = useApiQuery('settings.preferences', {}).data?.notifications ?? DEFAULT_PREFS;
  const prefsRef = useRef(prefs);
  prefsRef.current = prefs;
  const [items, setItems] = useState<GroupedNotification[]>([]);
  const grouper = useMemo(() => new NotificationGrouper({ quietMs: QUIET_MS, windowMs: 60_000 }), []);
  useEffect(
    () => grouper.configure({ quietMs: QUIET_MS, windowMs: prefs.groupWindowS * 1000 }),
    [grouper, prefs.groupWindowS],
  );
  const add = (signals: NotificationSignal[]) => {
    for (const s of signals) grouper.add(s, Date.now());
  };
  useCoreEvent('jobs.failed', (d) => add(signalsFromFailure(d, prefsRef.current)));
  useCoreEvent('jobs.finished', (d) => add(signalsFromFinish(d, prefsRef.current)));
  useWorkersGoingOffline(connectionId, (before, after) =>
    add(signalsFromWorkers(before, after, prefsRef.current, connectionId ?? undefined)),
  );

  useEffect(() => {
    const timer = setInterval(() => {
      const due = grouper.due(Date.now());
      if (due.length === 0) return;
      const p = prefsRef.current;
      if (p.inApp) setItems((old) => mergeShown(old, due).slice(0, MAX_KEPT));
      if (p.system && transportKind === 'web')
        for (const n of due) showBrowserNotification(n.title, n.body, `${n.kind}:${n.subject}`);
    }, 1000);
    return () => clearInterval(timer);
  }, [grouper]);

  return {
    items,
    prefs,
    dismiss: (id: string) => setItems((old) => old.filter((n) => n.id !== id)),
    clear: () => setItems([]),
  };
}

function useWorkersGoingOffline(
  connectionId: string | null,
  onChange: (before: WorkerInfo[], after: WorkerInfo[]) => void,
): void {
  const list = useApiQuery(
    'workers.list',
    { connectionId: connectionId ?? '' },
    { enabled: connectionId !== null, refetchInterval: WORKERS_POLL_MS },
  );
  const previous = useRef<{ connectionId: string | null; workers: WorkerInfo[] } | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!list.data) return;
    const before = previous.current;
    if (before && before.connectionId === connectionId) latest.current(before.workers, list.data.workers);
    previous.current = { connectionId, workers: list.data.workers };
  }, [list.data, connectionId]);
}
