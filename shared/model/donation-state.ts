import type { DonationPolicy, WorkerStatus } from '../api/schemas/worker';
import { isPaused } from './donation';

/** The donation state in one word, as the tray and the Workers screen show it. */
export type DonationState = 'donating' | 'paused' | 'waiting' | 'off';

/** Words for each state (tray tooltip, switch label). */
export const DONATION_STATE_LABEL: Record<DonationState, string> = {
  donating: 'Donating',
  paused: 'Paused',
  waiting: 'Waiting',
  off: 'Off',
};

/**
 * Folds the worker's status and the owner's policy into one state: off when no worker runs,
 * paused when the owner paused it or it finishes its jobs and stops, waiting when the policy or
 * the queue holds it back (owner active, outside the hours, no task that fits), donating otherwise.
 */
export function donationState(
  status: WorkerStatus,
  policy?: Pick<DonationPolicy, 'paused' | 'finishThenStop'> & Partial<Pick<DonationPolicy, 'pausedUntil'>>,
  now = Date.now(),
): DonationState {
  if (!status.running || status.state === 'stopped') return 'off';
  const ownerPaused = policy ? isPaused({ pausedUntil: null, ...policy }, now) : false;
  if (status.state === 'paused' || status.state === 'stopping' || ownerPaused || policy?.finishThenStop)
    return 'paused';
  if (status.state === 'waiting') return 'waiting';
  return 'donating';
}
