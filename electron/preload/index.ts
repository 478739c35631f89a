// The only surface the sandboxed page gets: two functions, two fixed channels. No ipcRenderer,
// no Node. Bundled to one CommonJS file because a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const RPC_CHANNEL = 'joinery:rpc'; // = IPC_RPC_CHANNEL in shared/api/wire.ts
const EVENT_CHANNEL = 'joinery:event'; // = IPC_EVENT_CHANNEL

contextBridge.exposeInMainWorld('joinery', {
  invoke: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(RPC_CHANNEL, String(method), input),
  subscribe(event: string, listener: (data: unknown) => void): () => void {
    const wanted = String(event);
    const handler = (_e: IpcRendererEvent, name: string, data: unknown) => {
      if (name === wanted) listener(data);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, handler);
    };
  },
});
