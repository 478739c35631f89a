import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../settings/write-file-atomic';

/**
 * A worker's id is stable across restarts of the same installation, so a worker that crashed
 * finds (by label) and removes the containers it left behind when it starts again.
 */
export function stableWorkerId(dataDir: string, override?: string): string {
  if (override) return override;
  const file = path.join(dataDir, 'worker-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[\w.-]{1,64}$/.test(id)) return id;
  }
  const id = `w-${randomUUID().slice(0, 13)}`;
  writeFileAtomic(file, `${id}\n`);
  return id;
}
