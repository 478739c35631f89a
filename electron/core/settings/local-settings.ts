import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RecentConnection } from '../../../shared/api/schemas/connection';
import { Preferences, StoreName, StoreSpec } from '../../../shared/api/schemas/settings';
import { WorkerSettings } from '../../../shared/api/schemas/worker';
import type { Logger } from '../log';
import { writeFileAtomic } from './write-file-atomic';

/**
 * This user's settings on this machine: recent connections, and where external stores are
 * mounted here (as in DataJoint, a store's location is client configuration: each machine mounts
 * the lab's store at its own path). Lab-wide settings (tasks) live in the database instead, so
 * colleagues share one truth. Never holds a password.
 */
const LocalSettingsFile = z.object({
  recentConnections: z.array(RecentConnection).default([]),
  stores: z.record(StoreName, StoreSpec).default({}),
  worker: WorkerSettings.default(WorkerSettings.parse({})),
  preferences: Preferences.default(Preferences.parse({})),
});
const EMPTY: LocalSettingsData = {
  recentConnections: [],
  stores: {},
  worker: WorkerSettings.parse({}),
  preferences: Preferences.parse({}),
};
export type LocalSettingsData = z.infer<typeof LocalSettingsFile>;

/** Reads and writes `settings.json` in the data folder. */
export class LocalSettings {
  private readonly file: string;
  constructor(private readonly deps: { dataDir: string; log: Logger }) {
    this.file = path.join(deps.dataDir, 'settings.json');
  }

  read(): LocalSettingsData {
    if (!existsSync(this.file)) return structuredClone(EMPTY);
    try {
      return LocalSettingsFile.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (e) {
      this.deps.log.warn('ignoring unreadable settings file', { file: this.file, error: String(e) });
      return structuredClone(EMPTY);
    }
  }

  update(change: (s: LocalSettingsData) => LocalSettingsData): void {
    writeFileAtomic(this.file, JSON.stringify(change(this.read()), null, 2) + '\n');
  }
}
