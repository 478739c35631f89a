import type { ResourceRequest } from '../api/schemas/task';
import { constraintProblem, type Labels } from './label-constraints';

/** Free resources of a worker right now: its donated share minus what its running jobs hold. */
export interface Capacity {
  cpus: number;
  memoryBytes: number;
  /** Free GPUs with their free memory. */
  gpus: { index: number; memoryMiB: number | null }[];
}

/** The outcome of matching one request: the GPUs to give it, or the one-line reason it does not fit. */
export type FitResult = { fits: true; gpuIndexes: number[] } | { fits: false; reason: string };

const GiB = 1024 ** 3;
const fmtMem = (b: number) => (b >= GiB ? `${(b / GiB).toFixed(1)} GB` : `${Math.round(b / 1024 ** 2)} MB`);

/**
 * Does a job's request fit the free capacity and the worker's labels? Two-sided: the task's label
 * constraints must hold on the worker, and none of the task's labels may be refused by the owner.
 */
export function fitRequest(
  req: ResourceRequest,
  free: Capacity,
  workerLabels: Labels,
  refused: readonly string[] = [],
  taskLabels: readonly string[] = [],
): FitResult {
  for (const l of taskLabels)
    if (refused.includes(l)) return { fits: false, reason: `the owner refuses tasks labelled "${l}"` };
  for (const c of req.labels) {
    const problem = constraintProblem(c, workerLabels);
    if (problem) return { fits: false, reason: `the task requires ${c} but ${problem}` };
  }
  if (req.cpus > free.cpus + 1e-9)
    return {
      fits: false,
      reason: `it needs ${req.cpus} CPU${req.cpus === 1 ? '' : 's'} and ${round(free.cpus)} ${free.cpus === 1 ? 'is' : 'are'} free`,
    };
  if (req.memory > free.memoryBytes)
    return {
      fits: false,
      reason: `it needs ${fmtMem(req.memory)} of memory and ${fmtMem(Math.max(0, free.memoryBytes))} are free`,
    };
  if (req.gpus === 0) return { fits: true, gpuIndexes: [] };
  const usable = free.gpus.filter((g) => req.gpu_memory === 0 || (g.memoryMiB ?? 0) * 1024 ** 2 >= req.gpu_memory);
  if (usable.length < req.gpus) {
    const what = req.gpu_memory ? ` with ${fmtMem(req.gpu_memory)} of GPU memory` : '';
    return {
      fits: false,
      reason: `it needs ${req.gpus} GPU${req.gpus > 1 ? 's' : ''}${what} and ${usable.length === 0 ? 'none is' : `only ${usable.length} ${usable.length === 1 ? 'is' : 'are'}`} free here`,
    };
  }
  return { fits: true, gpuIndexes: usable.slice(0, req.gpus).map((g) => g.index) };
}

/** Capacity left after giving `req` the GPUs chosen by {@link fitRequest}. */
export function subtract(free: Capacity, req: ResourceRequest, gpuIndexes: readonly number[]): Capacity {
  return {
    cpus: free.cpus - req.cpus,
    memoryBytes: free.memoryBytes - req.memory,
    gpus: free.gpus.filter((g) => !gpuIndexes.includes(g.index)),
  };
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}
