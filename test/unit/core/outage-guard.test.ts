import { describe, expect, it } from 'vitest';
import { appError } from '../../../shared/errors';
import { isOutage, OutageGuard } from '../../../electron/core/jobs/outage';
import type { Logger } from '../../../electron/core/log';

function recordingLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const add = (msg: string) => lines.push(msg);
  return { log: { debug: add, info: add, warn: add, error: add }, lines };
}

const gone = () => appError('DB_UNREACHABLE', 'Cannot reach a MySQL server at 127.0.0.1:3407 (ECONNREFUSED).');

/** Waiting out a database restart: which errors count, how often it says so, and where it gives up. */
describe('the outage guard', () => {
  it('tells outages from errors of the work', () => {
    expect(isOutage(gone())).toBe(true);
    expect(isOutage(appError('DB_QUERY', 'x', { details: { engineCode: 'ER_SERVER_SHUTDOWN' } }))).toBe(true);
    expect(isOutage(appError('CONFLICT', 'Duplicate entry'))).toBe(false);
    expect(isOutage(new Error("Can't add new command when connection is in closed state"))).toBe(true);
  });

  it('retries until the database answers, saying so once each way, and re-checks after', async () => {
    const { log, lines } = recordingLog();
    let back = 0;
    const guard = new OutageGuard(log, 60_000, () => back++);
    let calls = 0;
    const value = await guard.run(async () => {
      if (++calls < 3) throw gone();
      return 'done';
    }, 'claiming jobs');
    expect(value).toBe('done');
    expect(calls).toBe(3);
    expect(lines).toEqual([
      expect.stringMatching(/^the database is unreachable; waiting for it/),
      'the database is back; going on',
    ]);
    expect(back).toBe(1);
  });

  it('passes other errors on at once, and an outage once its wait is over', async () => {
    const guard = new OutageGuard(recordingLog().log, 1);
    await expect(guard.run(() => Promise.reject(appError('CONFLICT', 'dup')), 'x')).rejects.toThrow('dup');
    await expect(guard.run(() => Promise.reject(gone()), 'x')).rejects.toThrow(/Cannot reach/);
  });
});
