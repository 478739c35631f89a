/**
 * Turns a stream of happenings (a job failed, a table finished, a worker went offline) into few,
 * grouped notifications: happenings of one kind and subject that arrive close together become one
 * ("20 jobs of lab.__spikes failed"), and each group notifies at most once per window. Pure: the
 * host (renderer or desktop shell) calls `add` as events arrive and `due` on a timer.
 */

/** What a notification is about. */
export type NotificationKind = 'job-failed' | 'table-finished' | 'worker-offline';

/** One happening, as the host saw it. */
export interface NotificationSignal {
  kind: NotificationKind;
  /** The table (`schema`.`table_name`) or the worker's name. */
  subject: string;
  /** How many happenings this signal stands for (e.g. the jobs a finished table completed). */
  count?: number;
  /** A sample detail (an error message), shown under the title. */
  detail?: string;
  connectionId?: string;
}

/** A notification ready to show. */
export interface GroupedNotification {
  /** Stable per group and window, so a host can replace rather than stack. */
  id: string;
  kind: NotificationKind;
  subject: string;
  count: number;
  title: string;
  body: string;
  at: number;
  connectionId?: string;
}

/** Timing of the grouping. */
export interface GroupingOptions {
  /** Wait this long after the last happening of a group before notifying, so a burst becomes one. */
  quietMs: number;
  /** At most one notification per group in this window; a group open this long notifies anyway. */
  windowMs: number;
}

interface OpenGroup {
  kind: NotificationKind;
  subject: string;
  count: number;
  detail?: string;
  connectionId?: string;
  firstAt: number;
  lastAt: number;
}

/** Collects signals into groups keyed by kind and subject; see the module comment. */
export class NotificationGrouper {
  private readonly open = new Map<string, OpenGroup>();
  /** When each group last notified. */
  private readonly lastSent = new Map<string, number>();
  private serial = 0;

  constructor(private options: GroupingOptions) {}

  /** New timing (the user changed the preference); happenings already counted are kept. */
  configure(options: GroupingOptions): void {
    this.options = options;
  }

  /** Counts a happening into its group. */
  add(signal: NotificationSignal, now: number): void {
    const key = `${signal.kind}\u0000${signal.subject}`;
    const g = this.open.get(key);
    if (g) {
      g.count += signal.count ?? 1;
      g.lastAt = now;
      g.detail ??= signal.detail;
      return;
    }
    this.open.set(key, {
      kind: signal.kind,
      subject: signal.subject,
      count: signal.count ?? 1,
      detail: signal.detail,
      connectionId: signal.connectionId,
      firstAt: now,
      lastAt: now,
    });
  }

  /** The groups that should notify now (quiet long enough or open a whole window, and not rate-limited). */
  due(now: number): GroupedNotification[] {
    const out: GroupedNotification[] = [];
    for (const [key, g] of this.open) {
      const settled = now - g.lastAt >= this.options.quietMs || now - g.firstAt >= this.options.windowMs;
      const sent = this.lastSent.get(key);
      const allowed = sent === undefined || now - sent >= this.options.windowMs;
      if (!settled || !allowed) continue;
      this.open.delete(key);
      this.lastSent.set(key, now);
      out.push({ id: `n${++this.serial}`, ...describeGroup(g), at: now });
    }
    for (const [key, at] of this.lastSent)
      if (now - at >= this.options.windowMs && !this.open.has(key)) this.lastSent.delete(key);
    return out;
  }

  /** Happenings counted but not yet notified. */
  pending(): number {
    return this.open.size;
  }
}

/** The words of a group's notification. */
export function describeGroup(
  g: Pick<OpenGroup, 'kind' | 'subject' | 'count' | 'detail' | 'connectionId'>,
): Omit<GroupedNotification, 'id' | 'at'> {
  const base = { kind: g.kind, subject: g.subject, count: g.count, connectionId: g.connectionId };
  switch (g.kind) {
    case 'job-failed':
      return {
        ...base,
        title: g.count === 1 ? `A job of ${g.subject} failed` : `${g.count} jobs of ${g.subject} failed`,
        body: g.detail ? firstLine(g.detail) : 'Open Jobs to read the error and retry.',
      };
    case 'table-finished':
      return {
        ...base,
        title: `${g.subject} finished`,
        body: `${g.count} job${g.count === 1 ? '' : 's'} done, none pending.`,
      };
    case 'worker-offline':
      return {
        ...base,
        title: `Worker ${g.subject} went offline`,
        body: g.detail ?? 'Its heartbeat stopped; its jobs return to the queue when their leases expire.',
      };
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Adds newly due notifications to a list shown on screen: one that continues a notification still
 * shown (same kind and subject) counts into it and moves it to the top, so a table failing in
 * several bursts keeps one toast ("3 jobs ... failed", then "7 jobs ..."); others go on top.
 */
export function mergeShown(
  shown: readonly GroupedNotification[],
  due: readonly GroupedNotification[],
): GroupedNotification[] {
  let list = [...shown];
  for (const n of due) {
    const old = list.find((o) => o.kind === n.kind && o.subject === n.subject);
    if (!old) {
      list = [n, ...list];
      continue;
    }
    const count = old.count + n.count;
    const merged = { ...old, ...describeGroup({ ...n, count, detail: undefined }), body: n.body, at: n.at };
    list = [merged, ...list.filter((o) => o !== old)];
  }
  return list;
}
