import type { z } from 'zod';
import type { HostKind } from '../../shared/api/schemas/app';
import type { SecretStore } from './secrets/secret-store';
import type { Logger } from './log';

/** How the core was started: which host, where its files live, which database to open first. */
export interface CoreConfig {
  host: z.infer<typeof HostKind>;
  /** Folder for settings and the default SQLite database. */
  dataDir: string;
  /** The database opened when nothing else is asked for (`sqlite:<dataDir>/joinery.db`). */
  defaultDbUrl: string;
  version: string;
  /** External stores given by the environment (the CLI's JOINERY_STORES); they override the settings file. */
  storesOverride?: Record<string, { location: string; subfolding?: number[] }>;
}

/** What differs between hosts (desktop keychain vs headless), handed in by main/ or headless/. */
export interface PlatformServices {
  secrets: SecretStore;
  log: Logger;
  nativeDialogs: boolean;
  /** Seconds since the owner's last keyboard/mouse input, where the desktop can tell (Electron's powerMonitor). */
  idleSeconds?: () => number | null;
}
