import type { JobQueueProtocol } from './job-queue';
import { datajointJobs } from './datajoint-jobs';

export type { JobQueueProtocol, LeaseGuard, QueueKey, QueueRow, QueueTable } from './job-queue';
export { toJobInfo } from './job-queue';

/**
 * The job protocol Joinery speaks. One today (DataJoint 0.14's `~jobs`); when a second exists
 * (DataJoint 2.x), this becomes a choice per schema.
 */
export const jobQueue: JobQueueProtocol = datajointJobs;
