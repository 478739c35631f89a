import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron's binary is not needed to test the glue: the few APIs it uses are replaced here.
const handlers = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  session: {},
  shell: { openExternal: vi.fn() },
}));

const { mountIpcTransport } = await import('../../../electron/main/ipc-transport');
const { isTrustedSender, setTrustedRendererRoot, hardenContents } = await import('../../../electron/main/security');
const { IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } = await import('../../../shared/api/wire');
const { createTestCore } = await import('../../support/core');

function senderEvent(url: string, topFrame = true) {
  const frame = { url };
  return { senderFrame: frame, sender: { mainFrame: topFrame ? frame : { url } } };
}

describe('Electron IPC transport', () => {
  beforeEach(() => {
    handlers.clear();
    setTrustedRendererRoot('/opt/joinery');
  });

  it('dispatches calls from the Joinery window and refuses any other sender', async () => {
    const { core } = createTestCore('desktop');
    const sent: unknown[][] = [];
    const win = { isDestroyed: () => false, webContents: { send: (...a: unknown[]) => sent.push(a) } };
    const unmount = mountIpcTransport(core, () => win as never);
    const handle = handlers.get(IPC_RPC_CHANNEL)!;

    const ok = await handle(senderEvent('file:///opt/joinery/dist/renderer/index.html'), 'app.info', {});
    expect(ok).toMatchObject({ ok: true, value: { name: 'Joinery', host: 'desktop' } });

    for (const bad of [
      senderEvent('https://evil.example/'),
      senderEvent('file:///tmp/other/index.html'),
      senderEvent('file:///opt/joinery/dist/renderer/index.html', false),
    ]) {
      expect(await handle(bad, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }

    core.events.emit('connection.changed', { open: [] });
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'connection.changed', { open: [] }]]);
    unmount();
    expect(handlers.has(IPC_RPC_CHANNEL)).toBe(false);
    await core.dispose();
  });

  it('trusts only the top frame of the bundled renderer', () => {
    expect(isTrustedSender(senderEvent('file:///opt/joinery/dist/renderer/index.html') as never)).toBe(true);
    expect(isTrustedSender(senderEvent('file:///opt/joinery/dist/renderer-evil/index.html') as never)).toBe(false);
  });

  it('denies navigation and new windows', () => {
    const on = vi.fn();
    const setWindowOpenHandler = vi.fn();
    hardenContents({ on, setWindowOpenHandler } as never);
    const navigate = on.mock.calls.find((c) => c[0] === 'will-navigate')![1] as (e: { preventDefault(): void }) => void;
    const e = { preventDefault: vi.fn() };
    navigate(e);
    expect(e.preventDefault).toHaveBeenCalled();
    const open = setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => { action: string };
    expect(open({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });
});
