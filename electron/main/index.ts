// Electron glue only: window, IPC transport, keychain. Everything else is the shared core.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, powerMonitor } from 'electron';
import { createClient } from '../../shared/api/client';
import { createCore, type Core } from '../core/container';
import { createStderrLogger } from '../core/log';
import { inProcess } from '../core/rpc/in-process';
import { defaultDbUrl } from '../core/paths';
import { mountIpcTransport } from './ipc-transport';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { hardenContents, hardenSession, rendererIndex, setTrustedRendererRoot } from './security';

// dist/electron/main.cjs -> the app root two folders up
const appRoot = path.resolve(__dirname, '..', '..');
let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

function createWindow(): BrowserWindow {
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
  void win.loadFile(rendererIndex(appRoot));
  return win;
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
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
  mainWindow = createWindow();
  app.on('second-instance', () => mainWindow?.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

/** The owner turned donation on earlier: start the worker again with the saved policy. */
async function resumeDonation(c: Core): Promise<void> {
  const client = createClient(inProcess(c, 'desktop'));
  const { donateTo } = await client.call('workers.settings', {});
  if (!donateTo) return;
  const opened = await client.call('connection.open', { url: donateTo, remember: false }).catch(() => null);
  if (!opened) return; // shown in the Workers screen; the owner can turn it on again
  await client.call('workers.start', { connectionId: opened.id, remember: false });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('before-quit', () => {
  void core?.dispose();
});

void start();
