import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from 'electron';

/** The argument the login item starts Joinery with: no window, donation resumes in the background. */
export const HIDDEN_FLAG = '--hidden';

type LoginItemApp = Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;

/** Where and how Joinery runs, for the login item. */
export interface AutostartHost {
  platform: NodeJS.Platform;
  /** The app's executable (process.execPath). */
  execPath: string;
  /** XDG config folder on Linux (`$XDG_CONFIG_HOME` or `~/.config`). */
  configDir: string;
}

/** The XDG autostart entry of Linux desktops (Electron's login items cover only macOS and Windows). */
export function linuxAutostartEntry(execPath: string): string {
  const exec = /\s/.test(execPath) ? `"${execPath}"` : execPath;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Joinery',
    'Comment=Donates this machine to the lab pipeline when allowed',
    `Exec=${exec} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The file of that entry. */
export function linuxAutostartFile(configDir: string): string {
  return path.join(configDir, 'autostart', 'joinery.desktop');
}

/**
 * Opts in or out of starting at login with the hidden flag: a login item on Windows and macOS
 * (macOS passes no arguments but says it opened the app at login), an XDG autostart entry on Linux.
 */
export function applyOpenAtLogin(app: LoginItemApp, openAtLogin: boolean, host: AutostartHost): void {
  if (host.platform === 'linux') {
    const file = linuxAutostartFile(host.configDir);
    if (!openAtLogin) return rmSync(file, { force: true });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, linuxAutostartEntry(host.execPath));
    return;
  }
  app.setLoginItemSettings({ openAtLogin, args: openAtLogin ? [HIDDEN_FLAG] : [] });
}

/** True when this start came from the login item: show the tray only, no window. */
export function startsHidden(argv: readonly string[], app: LoginItemApp, platform: NodeJS.Platform): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
