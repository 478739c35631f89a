import os from 'node:os';
import path from 'node:path';

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')` gives for "Joinery",
 * so the desktop app and the CLI find the same default database. `JOINERY_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.JOINERY_DATA_DIR) return path.resolve(env.JOINERY_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Joinery');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Joinery');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Joinery');
}

/** `sqlite:<dataDir>/joinery.db`: the zero-set-up database. */
export function defaultDbUrl(dataDir: string): string {
  return `sqlite:${path.join(dataDir, 'joinery.db')}`;
}
