import { describe, expect, it } from 'vitest';
import type { WorkerStatus } from '../../../shared/api/schemas/worker';
import { donationState } from '../../../shared/model/donation-state';

const status = (s: Partial<WorkerStatus>): WorkerStatus => ({
  running: true,
  workerId: 'w',
  state: 'ready',
  reason: '',
  runningJobs: 0,
  ...s,
});

describe('donation state for the tray and the Workers screen', () => {
  it.each([
    [status({ running: false, state: 'stopped' }), undefined, 'off'],
    [status({ state: 'stopped' }), undefined, 'off'],
    [status({ state: 'working', runningJobs: 2 }), undefined, 'donating'],
    [status({ state: 'ready' }), { paused: false, finishThenStop: false }, 'donating'],
    [status({ state: 'waiting' }), { paused: false, finishThenStop: false }, 'waiting'],
    [status({ state: 'waiting' }), { paused: true, finishThenStop: false }, 'paused'],
    [status({ state: 'working' }), { paused: false, finishThenStop: true }, 'paused'],
    [status({ state: 'paused' }), undefined, 'paused'],
    [status({ state: 'stopping' }), undefined, 'paused'],
  ] as const)('%o with %o is %s', (s, policy, expected) => {
    expect(donationState(s, policy)).toBe(expected);
  });
});
