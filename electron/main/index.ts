// Electron glue only: window, IPC transport, keychain, tray. Everything else is the shared core.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, Menu, nativeImage, Notification, powerMonitor, Tray } from 'electron';
import { createCore, type Core } from '../core/container';
import { createStderrLogger } from '../core/log';
import { defaultDbUrl } from '../core/paths';
import { startsHidden } from './autostart';
import { coreCall, mountDesktopShell } from './desktop-shell';
import { mountIpcTransport } from './ipc-transport';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { hardenContents, hardenSession, rendererIndex, setTrustedRendererRoot } from './security';
import { claimSingleInstance } from './single-instance';

// dist/electron/main.cjs -> the app root two folders up
const appRoot = path.resolve(__dirname, '..', '..');
let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;
let disposeShell: (() => void) | null = null;

/** Brings the window to the front, creating it when Joinery started hidden (login item) or it was closed. */
function showWindow(page?: 'workers'): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow(page);
  else if (page) void mainWindow.loadFile(rendererIndex(appRoot), { hash: `/${page}` });
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createWindow(page?: 'workers'): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Joinery',
    show: false,
    webPreferences: {
      preload: path.join(appRoot, 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex(appRoot), page ? { hash: `/${page}` } : undefined);
  return win;
}

async function start(): Promise<void> {
  if (!claimSingleInstance(app, () => showWindow())) return;
  await app.whenReady();
  const dataDir = process.env.JOINERY_DATA_DIR ?? app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const version = (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  core = createCore(
    { host: 'desktop', dataDir, defaultDbUrl: defaultDbUrl(dataDir), version },
    {
      secrets: new SafeStorageSecretStore({ file: path.join(dataDir, 'secrets.keychain.json') }),
      log: createStderrLogger(),
      nativeDialogs: true,
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
    },
  );
  // a failure shows in the Workers screen; the owner can turn donation on again
  resumeDonation(core).catch(() => {});
  hardenSession();
  setTrustedRendererRoot(appRoot);
  mountIpcTransport(core, () => mainWindow);
  try {
    disposeShell = mountDesktopShell({
      core,
      electron: { Tray, Menu, nativeImage, Notification },
      app,
      iconDir: path.join(appRoot, 'resources', 'tray'),
      autostart: {
        platform: process.platform,
        execPath: process.execPath,
        configDir: process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'),
      },
      openWindow: showWindow,
      quit: () => app.quit(),
      log: (message, error) => process.stderr.write(`${message}: ${String(error)}\n`),
    });
  } catch (e) {
    // a desktop without a tray (some Linux sessions) still gets the window
    process.stderr.write(`no tray: ${String(e)}\n`);
  }
  if (!startsHidden(process.argv, app, process.platform)) showWindow();
  app.on('activate', () => showWindow());
}

/** The owner turned donation on earlier: start the worker again with the saved policy. */
async function resumeDonation(c: Core): Promise<void> {
  const call = coreCall(c);
  const { donateTo } = await call('workers.settings', {});
  if (!donateTo) return;
  try {
    const opened = await call('connection.open', { url: donateTo, remember: false });
    await call('workers.start', { connectionId: opened.id, remember: false });
  } catch {
    // shown in the Workers screen and the tray (off); the owner can turn it on again
  }
}

app.on('window-all-closed', () => {
  // while donating, Joinery stays in the tray; otherwise closing the window quits (except on macOS)
  const donating = core?.hooks.desktop.workerStatus().running ?? false;
  if (process.platform !== 'darwin' && !(donating && disposeShell)) app.quit();
});
app.on('before-quit', () => {
  disposeShell?.();
  void core?.dispose();
});

void start();
