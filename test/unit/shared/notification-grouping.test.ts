import { describe, expect, it } from 'vitest';
import { NotificationPrefs } from '../../../shared/api/schemas/settings';
import type { WorkerInfo } from '../../../shared/api/schemas/worker';
import { describeGroup, mergeShown, NotificationGrouper } from '../../../shared/model/notification-grouping';
import { signalsFromFailure, signalsFromFinish, signalsFromWorkers } from '../../../shared/model/notification-signals';

const S = 1000;
const fail = (table: string, message = 'boom') =>
  ({ kind: 'job-failed', subject: table, detail: message, connectionId: 'c1' }) as const;

describe('notification grouping', () => {
  it('turns 20 failures of one table in a minute into one notification', () => {
    const g = new NotificationGrouper({ quietMs: 3 * S, windowMs: 60 * S });
    for (let i = 0; i < 20; i++) g.add(fail('lab.__spikes', `ValueError: bad key ${i}`), i * S);
    expect(g.due(20 * S)).toEqual([]); // still within the quiet gap after the last one
    const [n, ...rest] = g.due(22 * S);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ kind: 'job-failed', count: 20, title: '20 jobs of lab.__spikes failed' });
    expect(n!.body).toBe('ValueError: bad key 0');
    expect(g.pending()).toBe(0);
  });

  it('keeps tables and kinds apart', () => {
    const g = new NotificationGrouper({ quietMs: 1 * S, windowMs: 60 * S });
    g.add(fail('lab.__a'), 0);
    g.add(fail('lab.__b'), 0);
    g.add({ kind: 'table-finished', subject: 'lab.__a', count: 7 }, 0);
    const titles = g.due(2 * S).map((n) => n.title);
    expect(titles.sort()).toEqual(['A job of lab.__a failed', 'A job of lab.__b failed', 'lab.__a finished']);
  });

  it('rate-limits a group to one notification per window and counts the rest into the next', () => {
    const g = new NotificationGrouper({ quietMs: 1 * S, windowMs: 60 * S });
    g.add(fail('lab.__a'), 0);
    expect(g.due(1 * S)).toHaveLength(1);
    for (let t = 5; t < 50; t += 5) g.add(fail('lab.__a'), t * S);
    expect(g.due(55 * S)).toEqual([]); // quiet, but the window since the last one is not over
    const [n] = g.due(61 * S);
    expect(n).toMatchObject({ count: 9, title: '9 jobs of lab.__a failed' });
  });

  it('keeps what it counted when the window changes', () => {
    const g = new NotificationGrouper({ quietMs: 1 * S, windowMs: 60 * S });
    g.add(fail('lab.__a'), 0);
    expect(g.due(2 * S)).toHaveLength(1);
    g.add(fail('lab.__a'), 3 * S);
    g.configure({ quietMs: 1 * S, windowMs: 5 * S });
    expect(g.due(7 * S).map((n) => n.title)).toEqual(['A job of lab.__a failed']);
  });

  it('a group that never goes quiet still notifies once its window is over', () => {
    const g = new NotificationGrouper({ quietMs: 3 * S, windowMs: 60 * S });
    let shown = 0;
    for (let t = 0; t <= 121; t++) {
      g.add(fail('lab.__busy'), t * S);
      shown += g.due(t * S).length;
    }
    expect(shown).toBe(2); // at 60 s, and at 121 s for the group opened at 61 s
  });

  it('says what to do when no detail is known, and cuts long messages', () => {
    expect(describeGroup({ kind: 'job-failed', subject: 'lab.__x', count: 1 }).body).toMatch(/Open Jobs/);
    expect(describeGroup({ kind: 'job-failed', subject: 'x', count: 1, detail: 'y'.repeat(500) }).body).toHaveLength(
      160,
    );
    expect(describeGroup({ kind: 'table-finished', subject: 'lab.__x', count: 1 }).body).toBe(
      '1 job done, none pending.',
    );
    expect(describeGroup({ kind: 'worker-offline', subject: 'rig-3', count: 1 }).title).toBe(
      'Worker rig-3 went offline',
    );
  });
});

describe('notifications on screen', () => {
  it('a later burst of the same table counts into the toast still shown, and moves it to the top', () => {
    const g = new NotificationGrouper({ quietMs: 1 * S, windowMs: 5 * S });
    g.add(fail('lab.__a', 'first'), 0);
    let shown = mergeShown([], g.due(1 * S));
    g.add({ kind: 'table-finished', subject: 'lab.__b', count: 4 }, 2 * S);
    shown = mergeShown(shown, g.due(3 * S));
    g.add(fail('lab.__a', 'second'), 4 * S);
    g.add(fail('lab.__a', 'third'), 4 * S);
    shown = mergeShown(shown, g.due(6 * S));
    expect(shown.map((n) => n.title)).toEqual(['3 jobs of lab.__a failed', 'lab.__b finished']);
    expect(shown[0]).toMatchObject({ id: 'n1', count: 3, body: 'second', at: 6 * S });
  });
});

describe('notification signals from core events', () => {
  const prefs = NotificationPrefs.parse({});
  const summary = (tables: { full_name: string; done: number; failed: number; pending: number }[]) => ({
    connectionId: 'c1',
    summary: {
      populateId: 'p',
      state: 'finished' as const,
      started: 0,
      ended: 1,
      executed: 0,
      errors: [],
      message: null,
      tables: tables.map((t) => ({ ...t, retried: 0, cached: 0, skipped: 0, lost: 0 })),
    },
  });

  it('follows the preferences', () => {
    const d = { connectionId: 'c1', table: 'lab.__a', key: { id: 1 }, message: 'm', workerId: null };
    expect(signalsFromFailure(d, prefs)).toHaveLength(1);
    expect(signalsFromFailure(d, { ...prefs, jobFailures: false })).toEqual([]);
  });

  it('announces only the tables a populate completed', () => {
    const s = summary([
      { full_name: 'lab.__done', done: 5, failed: 0, pending: 0 },
      { full_name: 'lab.__failing', done: 5, failed: 1, pending: 0 },
      { full_name: 'lab.__left', done: 5, failed: 0, pending: 3 },
      { full_name: 'lab.__idle', done: 0, failed: 0, pending: 0 },
    ]);
    expect(signalsFromFinish(s, prefs)).toEqual([
      { kind: 'table-finished', subject: 'lab.__done', count: 5, connectionId: 'c1' },
    ]);
    expect(signalsFromFinish(s, { ...prefs, tableFinished: false })).toEqual([]);
  });

  it('notices a worker going offline, not one that was already offline or left cleanly', () => {
    const w = (id: string, online: boolean) => ({ worker_id: id, hostname: `host-${id}`, online, heartbeat_at: 't' });
    const before = [w('a', true), w('b', false), w('c', true)] as WorkerInfo[];
    const after = [w('a', false), w('b', false)] as WorkerInfo[];
    expect(signalsFromWorkers(before, after, prefs).map((s) => s.subject)).toEqual(['host-a']);
    expect(signalsFromWorkers(before, after, { ...prefs, workerOffline: false })).toEqual([]);
  });
});
