import type { WorkerInfo } from '../../../shared/api/schemas/worker';

/** How a worker of the lab is doing, in one word. */
export type LabWorkerState = 'busy' | 'idle' | 'online' | 'offline';

/** busy: running jobs; idle: ready and waiting for work; online: held back (owner active, paused...); offline: no heartbeat. */
export function labWorkerState(w: Pick<WorkerInfo, 'online' | 'running_jobs' | 'state'>): LabWorkerState {
  if (!w.online) return 'offline';
  if (w.running_jobs > 0) return 'busy';
  return w.state === 'ready' ? 'idle' : 'online';
}

/** How long ago a heartbeat was, from its age in seconds: "just now", "52 s ago", "3 min ago", "2 h ago", "4 days ago". */
export function heartbeatAgo(ageS: number): string {
  if (ageS < 10) return 'just now';
  if (ageS < 60) return `${Math.floor(ageS)} s ago`;
  if (ageS < 3600) return `${Math.floor(ageS / 60)} min ago`;
  if (ageS < 86_400) return `${Math.floor(ageS / 3600)} h ago`;
  const days = Math.floor(ageS / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** `16 GiB`, `512 MiB`: binary units, as memory is sold and shown by the OS. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A share (0..1) as a whole percentage. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** CPU and memory a worker offers under its policy, e.g. `8 of 16 threads · 12.8 of 16 GiB`. */
export function offeredCapacity(w: Pick<WorkerInfo, 'hardware' | 'policy'>): string {
  const threads = w.hardware.cpu.threads;
  const cpus = Math.max(0, Math.floor(threads * w.policy.maxCpuShare));
  const mem = w.hardware.memoryBytes * w.policy.maxMemoryShare;
  const gpus = w.policy.maxGpus === null ? w.hardware.gpus.length : Math.min(w.policy.maxGpus, w.hardware.gpus.length);
  const parts = [`${cpus} of ${threads} threads`, `${formatBytes(mem)} of ${formatBytes(w.hardware.memoryBytes)}`];
  if (w.hardware.gpus.length)
    parts.push(`${gpus} of ${w.hardware.gpus.length} GPU${w.hardware.gpus.length > 1 ? 's' : ''}`);
  return parts.join(' · ');
}
