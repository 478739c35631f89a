import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { fail } from '../../shared/api/envelope';
import { IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } from '../../shared/api/wire';
import { appError } from '../../shared/errors';
import type { Core } from '../core/container';
import { isTrustedSender } from './security';

/** Connects the dispatcher to one invoke channel and the event bus to one push channel. */
export function mountIpcTransport(core: Core, getWindow: () => BrowserWindow | null): () => void {
  ipcMain.handle(IPC_RPC_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    if (!isTrustedSender(event))
      return fail(appError('FORBIDDEN', 'Calls are only accepted from the Joinery window.').toData());
    return core.dispatch(String(method), input, { transport: 'ipc', host: 'desktop' });
  });
  const unsubscribe = core.events.subscribe((name, data) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, data);
  });
  return () => {
    ipcMain.removeHandler(IPC_RPC_CHANNEL);
    unsubscribe();
  };
}
