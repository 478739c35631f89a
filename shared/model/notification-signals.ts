import type { EventData } from '../api/contract';
import type { NotificationPrefs } from '../api/schemas/settings';
import type { WorkerInfo } from '../api/schemas/worker';
import type { NotificationSignal } from './notification-grouping';

/**
 * Which core events are worth a notification, as the user's preferences say. Shared by the
 * renderer (in-app and browser notifications) and the desktop shell (system notifications).
 */

/** A failed job (populate or donated worker) as a `job-failed` signal. */
export function signalsFromFailure(d: EventData<'jobs.failed'>, prefs: NotificationPrefs): NotificationSignal[] {
  if (!prefs.jobFailures) return [];
  return [{ kind: 'job-failed', subject: d.table, detail: d.message, connectionId: d.connectionId }];
}

/** The tables a finished populate completed: all done, none failed, none pending. */
export function signalsFromFinish(d: EventData<'jobs.finished'>, prefs: NotificationPrefs): NotificationSignal[] {
  if (!prefs.tableFinished || d.summary.state !== 'finished') return [];
  return d.summary.tables
    .filter((t) => t.done > 0 && t.failed === 0 && t.pending === 0)
    .map((t) => ({ kind: 'table-finished', subject: t.full_name, count: t.done, connectionId: d.connectionId }));
}

/** Workers that were online in `before` and are offline (or gone without unregistering) in `after`. */
export function signalsFromWorkers(
  before: readonly WorkerInfo[],
  after: readonly WorkerInfo[],
  prefs: NotificationPrefs,
  connectionId?: string,
): NotificationSignal[] {
  if (!prefs.workerOffline) return [];
  const now = new Map(after.map((w) => [w.worker_id, w]));
  return before
    .filter((w) => w.online && now.get(w.worker_id)?.online === false)
    .map((w) => ({
      kind: 'worker-offline',
      subject: w.hostname,
      detail: `Last heartbeat ${w.heartbeat_at}; its jobs return to the queue when their leases expire.`,
      connectionId,
    }));
}
