import { describe, expect, it } from 'vitest';
import { heartbeatAgo, labWorkerState } from '../../../renderer/features/workers/worker-format';

describe('the lab list of workers', () => {
  it('says how long ago a heartbeat was from its age by the database clock', () => {
    expect(heartbeatAgo(0)).toBe('just now');
    expect(heartbeatAgo(9.9)).toBe('just now');
    expect(heartbeatAgo(52.4)).toBe('52 s ago');
    expect(heartbeatAgo(185)).toBe('3 min ago');
    expect(heartbeatAgo(7200)).toBe('2 h ago');
    expect(heartbeatAgo(86_400)).toBe('1 day ago');
    expect(heartbeatAgo(4 * 86_400)).toBe('4 days ago');
  });

  it('a worker without a heartbeat is offline whatever it last reported', () => {
    expect(labWorkerState({ online: false, running_jobs: 1, state: 'working' })).toBe('offline');
    expect(labWorkerState({ online: true, running_jobs: 1, state: 'working' })).toBe('busy');
    expect(labWorkerState({ online: true, running_jobs: 0, state: 'ready' })).toBe('idle');
    expect(labWorkerState({ online: true, running_jobs: 0, state: 'paused' })).toBe('online');
  });
});
