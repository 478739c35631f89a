/**
 * The one status a job is shown and filtered by, from its `~jobs` status and Joinery's lease
 * state: a live Joinery lease wins (running, cancel), then DataJoint's status (reserved, error,
 * ignore), then what only Joinery remembers (waiting for a retry, failed). jobs.list computes the
 * same in SQL, so a filter and the status a row shows never disagree.
 */
export type JobShownStatus = 'reserved' | 'error' | 'ignore' | 'running' | 'cancel' | 'waiting' | 'failed';

/** The status a job is shown with (see the module comment for the precedence). */
export function jobShownStatus(job: {
  status: 'reserved' | 'error' | 'ignore' | null;
  state: 'running' | 'cancel' | 'waiting' | 'failed' | null;
}): JobShownStatus {
  if (job.state === 'running' || job.state === 'cancel') return job.state;
  if (job.status) return job.status;
  return job.state ?? 'reserved';
}
