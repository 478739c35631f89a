/** What the worker is doing and why, in one line. */
export interface WorkerStatusLine {
  state: 'ready' | 'working' | 'waiting' | 'paused' | 'stopping' | 'stopped';
  reason: string;
  running: number;
}

/** What the status line is made from, besides the policy's decision. */
export interface WorkerFacts {
  running: number;
  /** The owner came back and the running jobs' containers are paused. */
  suspended: boolean;
  /** Some table has a task with a Docker image. */
  hasTasks: boolean;
  /** Tables whose pending jobs do not fit the donated capacity, with why (read only when needed). */
  refusals(): [string, string][];
}

/** The one line: the policy's reason, or why pending jobs do not fit, or what the worker is doing. */
export function describeWorker(decision: { takeNewJobs: boolean; reason: string }, f: WorkerFacts): WorkerStatusLine {
  const { running } = f;
  if (f.suspended)
    return {
      state: 'paused',
      reason: `Suspended ${running} job${running === 1 ? '' : 's'}: ${decision.reason}`,
      running,
    };
  if (!decision.takeNewJobs) return { state: running ? 'working' : 'waiting', reason: decision.reason, running };
  if (!f.hasTasks)
    return {
      state: 'waiting',
      reason: 'No task with a Docker image to run yet (set one with `joinery task set`).',
      running,
    };
  const refusals = f.refusals();
  if (refusals.length && running === 0) {
    const [table, why] = refusals[0]!;
    return {
      state: 'waiting',
      reason: `Not taking ${table} jobs: ${why}.${refusals.length > 1 ? ` (${refusals.length - 1} more tables refused)` : ''}`,
      running,
    };
  }
  return { state: running ? 'working' : 'ready', reason: decision.reason, running };
}
