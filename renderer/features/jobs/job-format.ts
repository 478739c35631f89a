import type { JobView } from '../../../shared/api/schemas/jobs';
import { jobShownStatus, type JobShownStatus } from '../../../shared/model/job-status';

/** Words for each status a job can show. */
export const STATUS_LABEL: Record<JobShownStatus, string> = {
  reserved: 'reserved',
  running: 'running',
  cancel: 'cancelling',
  waiting: 'waiting to retry',
  error: 'error',
  ignore: 'ignored',
  failed: 'failed',
};

/** The status a job row shows (and its `data-status`). */
export function shownStatus(job: Pick<JobView, 'status' | 'state'>): JobShownStatus {
  return jobShownStatus(job);
}

/** `<schema>.<table_name>:<key_hash>`: a job's id in the UI and its `data-job` hook. */
export function jobId(job: Pick<JobView, 'schema' | 'table_name' | 'key_hash'>): string {
  return `${job.schema}.${job.table_name}:${job.key_hash}`;
}

/** A key dict in one short line: `subject_id=3, session=2`. */
export function formatKey(key: Record<string, unknown> | null | undefined): string {
  if (!key) return '(key unknown)';
  const parts = Object.entries(key).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : '(empty key)';
}

/** `850 ms`, `12.3 s`, `4 min 10 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A local date and time for ms since 1970. */
export function formatTime(ms: number | null | undefined): string {
  if (!ms) return '–';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** A stable colour per table, so one table keeps its colour across the timeline and lists. */
export function tableHue(fullName: string): number {
  let h = 0;
  for (let i = 0; i < fullName.length; i++) h = (h * 31 + fullName.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** Bytes as `512 MiB`. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}
