import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { CoreCall } from '../../../electron/main/donation-control';

// Electron's binary is not needed: the shell's modules take the few Electron APIs they use as arguments.
vi.mock('electron', () => ({}));

const { claimSingleInstance } = await import('../../../electron/main/single-instance');
const { applyOpenAtLogin, HIDDEN_FLAG, linuxAutostartFile, startsHidden } =
  await import('../../../electron/main/autostart');
const { DonationTray, trayMenu } = await import('../../../electron/main/donation-tray');
const { DonationControl } = await import('../../../electron/main/donation-control');
const { startSystemNotifier } = await import('../../../electron/main/system-notifier');
const { mountDesktopShell } = await import('../../../electron/main/desktop-shell');
const { NotificationPrefs } = await import('../../../shared/api/schemas/settings');
const { createTestCore } = await import('../../support/core');
const { createCore } = await import('../../../electron/core/container');
const { silentLogger } = await import('../../../electron/core/log');
const { MemorySecretStore } = await import('../../../electron/core/secrets/secret-store');
const { DonationPolicy } = await import('../../../shared/api/schemas/worker');
const { decideDonation } = await import('../../../shared/model/donation');

/** A fake clock for `later`: fire() runs what is due. */
function fakeLater() {
  const pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    later: (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      pending.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    fire: () => {
      for (const t of pending.splice(0)) if (!t.cancelled) t.fn();
    },
    pending,
  };
}

function fakeTrayElectron() {
  const trays: { image: string; tooltip: string; menu: MenuItemConstructorOptions[]; click?: () => void }[] = [];
  class Tray {
    state = {
      image: '',
      tooltip: '',
      menu: [] as MenuItemConstructorOptions[],
      click: undefined as (() => void) | undefined,
    };
    constructor(image: { file: string }) {
      this.state.image = image.file;
      trays.push(this.state);
    }
    setImage(image: { file: string }) {
      this.state.image = image.file;
    }
    setToolTip(t: string) {
      this.state.tooltip = t;
    }
    setContextMenu(menu: { template: MenuItemConstructorOptions[] }) {
      this.state.menu = menu.template;
    }
    on(_event: 'click', fn: () => void) {
      this.state.click = fn;
    }
    destroy = vi.fn();
  }
  const built = vi.fn((template: MenuItemConstructorOptions[]) => ({ template }));
  return {
    trays,
    built,
    electron: {
      Tray: Tray as never,
      Menu: { buildFromTemplate: built },
      nativeImage: { createFromPath: (file: string) => ({ file }) as never },
    },
  };
}

function fakeNotifications(supported = true) {
  const shown: { title: string; body: string; click?: () => void }[] = [];
  class Notification {
    entry: { title: string; body: string; click?: () => void };
    constructor(o: { title: string; body: string }) {
      this.entry = { ...o };
    }
    static isSupported = () => supported;
    on(_e: 'click', fn: () => void) {
      this.entry.click = fn;
    }
    show() {
      shown.push(this.entry);
    }
  }
  return { shown, Notification };
}

const click = (menu: MenuItemConstructorOptions[], label: string) => {
  const item = menu.find((m) => m.label === label);
  if (!item) throw new Error(`no menu item "${label}" in ${menu.map((m) => m.label).join(', ')}`);
  (item.click as () => void)();
};

describe('single instance', () => {
  it('a second launch quits and the first comes to the front', () => {
    const handlers = new Map<string, () => void>();
    const first = {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (e: string, fn: () => void) => handlers.set(e, fn),
    };
    const focus = vi.fn();
    expect(claimSingleInstance(first as never, focus)).toBe(true);
    handlers.get('second-instance')!();
    expect(focus).toHaveBeenCalledOnce();
    expect(first.quit).not.toHaveBeenCalled();

    const second = { requestSingleInstanceLock: () => false, quit: vi.fn(), on: vi.fn() };
    expect(claimSingleInstance(second as never, focus)).toBe(false);
    expect(second.quit).toHaveBeenCalledOnce();
    expect(second.on).not.toHaveBeenCalled();
  });
});

describe('autostart at login', () => {
  const loginApp = () => ({ setLoginItemSettings: vi.fn(), getLoginItemSettings: vi.fn(() => ({})) });

  it('is a login item with the hidden flag on Windows and macOS', () => {
    const app = loginApp();
    const host = { platform: 'win32' as const, execPath: 'C:\\Joinery\\Joinery.exe', configDir: '' };
    applyOpenAtLogin(app as never, true, host);
    applyOpenAtLogin(app as never, false, host);
    expect(app.setLoginItemSettings.mock.calls).toEqual([
      [{ openAtLogin: true, args: [HIDDEN_FLAG] }],
      [{ openAtLogin: false, args: [] }],
    ]);
  });

  it('is an XDG autostart entry on Linux', () => {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-xdg-'));
    const app = loginApp();
    const host = { platform: 'linux' as const, execPath: '/opt/Joinery/joinery app', configDir };
    applyOpenAtLogin(app as never, true, host);
    const file = linuxAutostartFile(configDir);
    expect(readFileSync(file, 'utf8')).toContain(`Exec="/opt/Joinery/joinery app" ${HIDDEN_FLAG}`);
    applyOpenAtLogin(app as never, false, host);
    expect(existsSync(file)).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('starts hidden only when the login item started it', () => {
    const app = loginApp();
    expect(startsHidden(['/opt/joinery', HIDDEN_FLAG], app as never, 'linux')).toBe(true);
    expect(startsHidden(['/opt/joinery'], app as never, 'linux')).toBe(false);
    app.getLoginItemSettings.mockReturnValue({ wasOpenedAtLogin: true });
    expect(startsHidden(['/Applications/Joinery.app'], app as never, 'darwin')).toBe(true);
  });
});

describe('tray', () => {
  const actions = () => ({
    pauseForAnHour: vi.fn(),
    resume: vi.fn(),
    stopAfterCurrentJobs: vi.fn(),
    startDonating: vi.fn(),
    openWindow: vi.fn(),
    quit: vi.fn(),
  });

  it('offers what makes sense in each donation state', () => {
    const labels = (state: Parameters<typeof trayMenu>[0]) =>
      trayMenu(state, 'why', actions())
        .filter((m) => m.type !== 'separator' && m.enabled !== false)
        .map((m) => m.label);
    expect(labels('donating')).toEqual([
      'Pause for an hour',
      'Stop after the current jobs',
      'Open Joinery',
      'Quit Joinery',
    ]);
    expect(labels('waiting')).toEqual([
      'Pause for an hour',
      'Stop after the current jobs',
      'Open Joinery',
      'Quit Joinery',
    ]);
    expect(labels('paused')).toEqual([
      'Resume donating',
      'Stop after the current jobs',
      'Open Joinery',
      'Quit Joinery',
    ]);
    expect(labels('off')).toEqual(['Start donating', 'Open Joinery', 'Quit Joinery']);
    const a = actions();
    const menu = trayMenu('donating', 'Working: 2 jobs running.', a);
    expect(menu.slice(0, 2).map((m) => m.label)).toEqual(['Donation: Donating', 'Working: 2 jobs running.']);
    click(menu, 'Pause for an hour');
    click(menu, 'Stop after the current jobs');
    click(menu, 'Open Joinery');
    expect(a.pauseForAnHour).toHaveBeenCalledOnce();
    expect(a.stopAfterCurrentJobs).toHaveBeenCalledOnce();
    expect(a.openWindow).toHaveBeenCalledOnce();
  });

  it('draws the state as icon and tooltip, and rebuilds only on change', () => {
    const { trays, built, electron } = fakeTrayElectron();
    const a = actions();
    const tray = new DonationTray({ electron, iconDir: '/icons', actions: a });
    expect(trays[0]!.image).toBe(path.join('/icons', 'off.png'));
    tray.show('waiting', 'The owner is active.');
    expect(trays[0]).toMatchObject({
      image: path.join('/icons', 'waiting.png'),
      tooltip: 'Joinery: Waiting. The owner is active.',
    });
    tray.show('waiting', 'The owner is active.');
    expect(built).toHaveBeenCalledOnce();
    trays[0]!.click!();
    expect(a.openWindow).toHaveBeenCalledOnce();
  });
});

describe('pause for an hour', () => {
  /** The saved policy as workers.settings / workers.setPolicy keep it (resuming forgets the end, as the core does). */
  function savedPolicy() {
    const store = { policy: { paused: false, pausedUntil: null as number | null, idleOnly: true } };
    const call = vi.fn(async (method: string, input: { policy?: typeof store.policy }) => {
      if (method === 'workers.settings') return { policy: store.policy };
      if (method === 'workers.setPolicy')
        store.policy = input.policy!.paused ? input.policy! : { ...input.policy!, pausedUntil: null };
      return {};
    });
    return { store, call };
  }

  it('pauses, resumes by itself, and a manual resume cancels the timer', async () => {
    const { store, call } = savedPolicy();
    const clock = fakeLater();
    let now = 1_000_000;
    const control = new DonationControl({ call: call as never, later: clock.later, now: () => now });
    await control.pauseFor(3_600_000);
    expect(store.policy).toEqual({ paused: true, pausedUntil: 1_000_000 + 3_600_000, idleOnly: true });
    expect(clock.pending[0]!.ms).toBe(3_600_000);
    expect(control.isTimedPause).toBe(true);
    now += 3_600_000;
    clock.fire();
    await vi.waitFor(() => expect(store.policy.paused).toBe(false));
    expect(store.policy).toEqual({ paused: false, pausedUntil: null, idleOnly: true });

    await control.pauseFor(3_600_000);
    await control.resume();
    expect(store.policy.paused).toBe(false);
    await control.pauseFor(1000);
    now += 1000;
    clock.fire(); // only the latest timer was live
    await vi.waitFor(() => expect(store.policy.paused).toBe(false));
    await control.stopAfterCurrentJobs();
    expect(call).toHaveBeenLastCalledWith('workers.stop', { mode: 'finish' });
    expect(control.isTimedPause).toBe(false);
  });

  it('a restart keeps the pause until its end, then ends it; a pause whose end passed while stopped ends at start', async () => {
    const { store, call } = savedPolicy();
    let now = 5_000_000;
    const before = new DonationControl({ call: call as never, later: fakeLater().later, now: () => now });
    await before.pauseFor(3_600_000);
    // the app quits (its timer is gone) and starts again 10 minutes later
    now += 600_000;
    const clock = fakeLater();
    const after = new DonationControl({ call: call as never, later: clock.later, now: () => now });
    await after.restore();
    expect(store.policy).toMatchObject({ paused: true, pausedUntil: 5_000_000 + 3_600_000 });
    expect(clock.pending.map((t) => t.ms)).toEqual([3_000_000]);
    now += 3_000_000;
    clock.fire();
    await vi.waitFor(() => expect(store.policy).toMatchObject({ paused: false, pausedUntil: null }));

    await after.pauseFor(60_000);
    now += 120_000; // stopped past the end
    const late = new DonationControl({ call: call as never, later: fakeLater().later, now: () => now });
    await late.restore();
    expect(store.policy).toMatchObject({ paused: false, pausedUntil: null });

    // a plain pause (the Workers screen's switch) has no end, and restore leaves it alone
    store.policy = { ...store.policy, paused: true };
    await late.restore();
    expect(store.policy.paused).toBe(true);
  });

  it('the worker honours the end of a saved pause by itself, without the timer', () => {
    const policy = DonationPolicy.parse({ paused: true, pausedUntil: Date.parse('2026-03-02T10:00:00') });
    const inputs = { idleSeconds: null, otherCpuPercent: 0, runningJobs: 0 };
    const during = decideDonation(policy, { ...inputs, now: new Date('2026-03-02T09:30:00') });
    expect(during).toMatchObject({ takeNewJobs: false, reason: 'Paused by the owner until 10:00.' });
    expect(decideDonation(policy, { ...inputs, now: new Date('2026-03-02T10:00:00') }).takeNewJobs).toBe(true);
    expect(decideDonation({ ...policy, pausedUntil: null }, { ...inputs, now: new Date() }).reason).toBe(
      'Paused by the owner.',
    );
  });
});

describe('system notifications', () => {
  it('groups 20 failures of one table into one notification, and follows the preferences', () => {
    let listener: (event: string, data: unknown) => void = () => {};
    let tick: () => void = () => {};
    let now = 0;
    let prefs = NotificationPrefs.parse({});
    const { shown, Notification } = fakeNotifications();
    const onClick = vi.fn();
    const stop = startSystemNotifier({
      subscribe: (l) => {
        listener = l as never;
        return () => {};
      },
      preferences: () => prefs,
      electron: { Notification },
      onClick,
      now: () => now,
      every: (fn) => {
        tick = fn;
        return () => {};
      },
    });
    for (let i = 0; i < 20; i++) {
      now = i * 500;
      listener('jobs.failed', {
        connectionId: 'c',
        table: 'lab.__spikes',
        key: { id: i },
        message: 'bad',
        workerId: null,
      });
      tick();
    }
    expect(shown).toEqual([]);
    now += 3000;
    tick();
    expect(shown.map((n) => n.title)).toEqual(['20 jobs of lab.__spikes failed']);
    shown[0]!.click!();
    expect(onClick).toHaveBeenCalledOnce();

    prefs = { ...prefs, system: false };
    now += 120_000;
    listener('jobs.failed', { connectionId: 'c', table: 'lab.__other', key: {}, message: 'x', workerId: null });
    now += 3000;
    tick();
    expect(shown).toHaveLength(1);
    stop();
  });
});

describe('the desktop shell on a real core', () => {
  it('shows the donation state, pauses from the tray, and follows the login preference', async () => {
    const { core } = createTestCore('desktop');
    const { trays, electron } = fakeTrayElectron();
    const { Notification } = fakeNotifications();
    const app = { setLoginItemSettings: vi.fn(), getLoginItemSettings: vi.fn() };
    const clock = fakeLater();
    const openWindow = vi.fn();
    const dispose = mountDesktopShell({
      core,
      electron: { ...electron, Notification },
      app: app as never,
      iconDir: '/icons',
      autostart: { platform: 'win32', execPath: 'joinery.exe', configDir: '' },
      openWindow,
      quit: vi.fn(),
      later: clock.later,
    });
    const tray = trays[0]!;
    expect(tray.tooltip).toBe('Joinery: Off. Not donating this machine.');
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false, args: [] });
    click(tray.menu, 'Start donating');
    expect(openWindow).toHaveBeenCalledWith('workers');

    await core.dispatch(
      'settings.setPreferences',
      { desktop: { openAtLogin: true } },
      { transport: 'in-process', host: 'desktop' },
    );
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true, args: [HIDDEN_FLAG] });

    // pausing works on the saved policy even while the worker is off, and ends by itself
    const paused = new DonationControl({
      call: async (m, i) => {
        const r = await core.dispatch(m, i, { transport: 'in-process', host: 'desktop' });
        if (!r.ok) throw new Error(r.error.message);
        return r.value as never;
      },
      later: clock.later,
    });
    await paused.pauseFor(3_600_000);
    expect(core.services.worker.settings().policy.paused).toBe(true);
    clock.fire();
    await vi.waitFor(() => expect(core.services.worker.settings().policy.paused).toBe(false));
    dispose();
    await core.dispose();
  });

  it('a timed pause is saved in the donation settings and survives a restart of the core', async () => {
    const { core, dataDir } = createTestCore('desktop');
    const call: CoreCall = async (m, i) => {
      const r = await core.dispatch(m, i, { transport: 'in-process', host: 'desktop' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as never;
    };
    const start = Date.now();
    await new DonationControl({ call, later: fakeLater().later }).pauseFor(3_600_000);
    await core.dispose();
    const again = createCore(
      { host: 'desktop', dataDir, defaultDbUrl: `sqlite:${path.join(dataDir, 'joinery.db')}`, version: '0.0.0-test' },
      { secrets: new MemorySecretStore(), log: silentLogger, nativeDialogs: false },
    );
    const { policy } = again.services.worker.settings();
    expect(policy.paused).toBe(true);
    expect(policy.pausedUntil).toBeGreaterThanOrEqual(start + 3_600_000);
    expect(policy.pausedUntil).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // resuming from the Workers screen forgets the end
    const r = await again.dispatch(
      'workers.setPolicy',
      { policy: { ...policy, paused: false } },
      { transport: 'in-process', host: 'desktop' },
    );
    expect(r.ok).toBe(true);
    expect(again.services.worker.settings().policy).toMatchObject({ paused: false, pausedUntil: null });
    await again.dispose();
  });
});
