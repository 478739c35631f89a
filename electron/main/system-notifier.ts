import type { EventName } from '../../shared/api/contract';
import type { JobsFailedEvent, JobsFinishedEvent } from '../../shared/api/schemas/jobs';
import type { NotificationPrefs } from '../../shared/api/schemas/settings';
import { NotificationGrouper } from '../../shared/model/notification-grouping';
import { signalsFromFailure, signalsFromFinish } from '../../shared/model/notification-signals';
import type { z } from 'zod';

/** Electron's Notification, injected (tests run without Electron's binary). */
export interface NotificationElectron {
  Notification: {
    new (options: { title: string; body: string }): { show(): void; on(event: 'click', fn: () => void): unknown };
    isSupported(): boolean;
  };
}

interface Deps {
  /** The core's event bus (subscribe to every event; returns the unsubscribe function). */
  subscribe(listener: (event: EventName, data: unknown) => void): () => void;
  preferences(): NotificationPrefs;
  electron: NotificationElectron;
  /** Brings the window up when a notification is clicked. */
  onClick(): void;
  now?: () => number;
  /** Calls `fn` every `ms`; returns a stop function. */
  every?: (fn: () => void, ms: number) => () => void;
}

const QUIET_MS = 2000;

/**
 * System notifications of the desktop app, also while no window is open (started hidden at login):
 * failed job groups and finished tables, grouped and rate-limited as in the app's toasts.
 */
export function startSystemNotifier(deps: Deps): () => void {
  const now = deps.now ?? Date.now;
  const every =
    deps.every ??
    ((fn: () => void, ms: number) => {
      const t = setInterval(fn, ms);
      return () => clearInterval(t);
    });
  const grouper = new NotificationGrouper({ quietMs: QUIET_MS, windowMs: deps.preferences().groupWindowS * 1000 });
  const unsubscribe = deps.subscribe((event, data) => {
    const prefs = deps.preferences();
    grouper.configure({ quietMs: QUIET_MS, windowMs: prefs.groupWindowS * 1000 });
    const signals =
      event === 'jobs.failed'
        ? signalsFromFailure(data as z.infer<typeof JobsFailedEvent>, prefs)
        : event === 'jobs.finished'
          ? signalsFromFinish(data as z.infer<typeof JobsFinishedEvent>, prefs)
          : [];
    for (const s of signals) grouper.add(s, now());
  });
  const stopTicking = every(() => {
    const due = grouper.due(now());
    const prefs = deps.preferences();
    if (!prefs.system || !deps.electron.Notification.isSupported()) return;
    for (const n of due) {
      const shown = new deps.electron.Notification({ title: n.title, body: n.body });
      shown.on('click', () => deps.onClick());
      shown.show();
    }
  }, 1000);
  return () => {
    unsubscribe();
    stopTicking();
  };
}
