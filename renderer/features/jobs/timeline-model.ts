import type { JobView, RunInfo } from '../../../shared/api/schemas/jobs';

/** One bar of the timeline: an attempt (finished or running) on one worker. */
export interface TimelineBar {
  worker: string;
  fullName: string;
  keyHash: string;
  status: RunInfo['status'] | 'running';
  start: number;
  end: number;
}

/** Bars of the attempts that overlap [from, to], grouped by worker (workers sorted by name). */
export function timelineRows(
  runs: readonly (RunInfo & { schema: string })[],
  running: readonly JobView[],
  from: number,
  to: number,
  now: number,
): { worker: string; bars: TimelineBar[] }[] {
  const bars: TimelineBar[] = [];
  for (const r of runs)
    bars.push({
      worker: r.worker || '(unknown)',
      fullName: `${r.schema}.${r.table_name}`,
      keyHash: r.key_hash,
      status: r.status,
      start: r.started,
      end: r.ended,
    });
  for (const j of running)
    if (j.started)
      bars.push({
        worker: j.worker || j.host || '(unknown)',
        fullName: j.full_name,
        keyHash: j.key_hash,
        status: 'running',
        start: j.started,
        end: now,
      });
  const byWorker = new Map<string, TimelineBar[]>();
  for (const b of bars) {
    if (b.end < from || b.start > to) continue;
    byWorker.set(b.worker, [...(byWorker.get(b.worker) ?? []), b]);
  }
  return [...byWorker.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([worker, list]) => ({ worker, bars: list.sort((a, b) => a.start - b.start) }));
}

/** Evenly spaced tick times (on round minutes/hours) across [from, to]. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);
  const want = (to - from) / count;
  const step = steps.find((s) => s >= want) ?? steps.at(-1)!;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}
