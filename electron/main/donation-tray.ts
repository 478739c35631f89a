import path from 'node:path';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import { DONATION_STATE_LABEL, type DonationState } from '../../shared/model/donation-state';

/** What the tray menu can do; wired to DonationControl and the window in index.ts. */
export interface TrayActions {
  pauseForAnHour(): void;
  resume(): void;
  stopAfterCurrentJobs(): void;
  startDonating(): void;
  openWindow(): void;
  quit(): void;
}

/** The few Electron APIs the tray uses, injected so the logic runs (and is tested) without Electron's binary. */
export interface TrayElectron {
  Tray: new (image: NativeImage) => TrayLike;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): unknown };
  nativeImage: { createFromPath(file: string): NativeImage };
}
/** The part of Electron's Tray the shell calls. */
export interface TrayLike {
  setImage(image: NativeImage): void;
  setToolTip(text: string): void;
  setContextMenu(menu: never): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** The tray's menu for a donation state: the state and its reason first, then what makes sense now. */
export function trayMenu(state: DonationState, reason: string, a: TrayActions): MenuItemConstructorOptions[] {
  const on = state !== 'off';
  return [
    { label: `Donation: ${DONATION_STATE_LABEL[state]}`, enabled: false },
    { label: reason.length > 90 ? `${reason.slice(0, 87)}...` : reason, enabled: false },
    { type: 'separator' },
    ...(state === 'paused'
      ? [{ label: 'Resume donating', click: () => a.resume() }]
      : on
        ? [{ label: 'Pause for an hour', click: () => a.pauseForAnHour() }]
        : [{ label: 'Start donating', click: () => a.startDonating() }]),
    { label: 'Stop after the current jobs', enabled: on, click: () => a.stopAfterCurrentJobs() },
    { type: 'separator' },
    { label: 'Open Joinery', click: () => a.openWindow() },
    { label: 'Quit Joinery', click: () => a.quit() },
  ];
}

/** The tooltip: the app, the state and why. */
export function trayToolTip(state: DonationState, reason: string): string {
  return `Joinery: ${DONATION_STATE_LABEL[state]}. ${reason}`;
}

/** The tray icon; `show` redraws it for a new state (icons in resources/tray/<state>.png). */
export class DonationTray {
  private readonly tray: TrayLike;
  private shown: { state: DonationState; reason: string } | null = null;

  constructor(private readonly deps: { electron: TrayElectron; iconDir: string; actions: TrayActions }) {
    this.tray = new deps.electron.Tray(this.icon('off'));
    this.tray.on('click', () => deps.actions.openWindow());
  }

  /** Shows the state; does nothing when nothing changed (status events repeat). */
  show(state: DonationState, reason: string): void {
    if (this.shown?.state === state && this.shown.reason === reason) return;
    this.shown = { state, reason };
    this.tray.setImage(this.icon(state));
    this.tray.setToolTip(trayToolTip(state, reason));
    this.tray.setContextMenu(
      this.deps.electron.Menu.buildFromTemplate(trayMenu(state, reason, this.deps.actions)) as never,
    );
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(state: DonationState): NativeImage {
    return this.deps.electron.nativeImage.createFromPath(path.join(this.deps.iconDir, `${state}.png`));
  }
}
