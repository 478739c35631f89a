import type { App } from 'electron';
import type { Preferences } from '../../shared/api/schemas/settings';
import { donationState } from '../../shared/model/donation-state';
import type { Core } from '../core/container';
import { applyOpenAtLogin, type AutostartHost } from './autostart';
import { DonationControl, type CoreCall } from './donation-control';
import { DonationTray, type TrayElectron } from './donation-tray';
import { startSystemNotifier, type NotificationElectron } from './system-notifier';

const HOUR_MS = 3_600_000;

interface Deps {
  core: Pick<Core, 'dispatch' | 'events' | 'hooks'>;
  electron: TrayElectron & NotificationElectron;
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  iconDir: string;
  autostart: AutostartHost;
  /** Shows the window (creating it when Joinery started hidden), optionally on a page. */
  openWindow(page?: 'workers'): void;
  quit(): void;
  later?: (fn: () => void, ms: number) => () => void;
  log?: (message: string, error: unknown) => void;
}

/** The core called as the desktop host. */
export function coreCall(core: Pick<Core, 'dispatch'>): CoreCall {
  return async (method, input) => {
    const res = await core.dispatch(method, input, { transport: 'in-process', host: 'desktop' });
    if (!res.ok) throw new Error(res.error.message);
    return res.value as never;
  };
}

/**
 * The desktop shell around the core: tray (donation state and quick actions), system
 * notifications, and the login item following the saved preference. Returns the dispose function.
 */
export function mountDesktopShell(deps: Deps): () => void {
  const call = coreCall(deps.core);
  const later =
    deps.later ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    });
  const report = (what: string) => (e: unknown) => deps.log?.(what, e);
  const control = new DonationControl({ call, later });
  // a timed pause saved before a restart ends when it was meant to
  void control.restore().catch(report('could not restore the timed pause'));
  const tray = new DonationTray({
    electron: deps.electron,
    iconDir: deps.iconDir,
    actions: {
      pauseForAnHour: () => void control.pauseFor(HOUR_MS).catch(report('could not pause')),
      resume: () => void control.resume().catch(report('could not resume')),
      stopAfterCurrentJobs: () => void control.stopAfterCurrentJobs().catch(report('could not stop')),
      // the owner picks the database in the Workers screen
      startDonating: () => deps.openWindow('workers'),
      openWindow: () => deps.openWindow(),
      quit: deps.quit,
    },
  });
  const desktop = deps.core.hooks.desktop;
  const refresh = () => {
    const status = desktop.workerStatus();
    tray.show(donationState(status, desktop.workerSettings().policy), status.reason);
  };
  refresh();
  applyOpenAtLogin(deps.app, desktop.preferences().desktop.openAtLogin, deps.autostart);
  const unsubscribe = deps.core.events.subscribe((event, data) => {
    if (event === 'workers.status') refresh();
    if (event === 'settings.changed')
      try {
        applyOpenAtLogin(deps.app, (data as Preferences).desktop.openAtLogin, deps.autostart);
      } catch (e) {
        report('could not change the login item')(e);
      }
  });
  const stopNotifier = startSystemNotifier({
    subscribe: (listener) => deps.core.events.subscribe(listener),
    preferences: () => desktop.preferences().notifications,
    electron: deps.electron,
    onClick: () => deps.openWindow(),
  });
  return () => {
    unsubscribe();
    stopNotifier();
    tray.destroy();
  };
}
