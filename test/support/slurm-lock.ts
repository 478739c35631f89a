import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK = path.join(os.tmpdir(), 'joinery-test-slurm.lock');

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(path.join(LOCK, 'pid'), 'utf8'));
    if (!pid) return false;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The one-node test cluster for this test file alone: the Slurm suites set the node down and cut
 * job time limits, which would kill another file's jobs. Waits for the lock (a folder, taken
 * atomically; a dead holder's is taken over) and returns its release.
 */
export async function lockSlurm(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // a holder that has not written its pid yet counts as alive for a moment
      if (!holderAlive()) {
        await new Promise((r) => setTimeout(r, 1000));
        if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
