import type { App } from 'electron';

/**
 * One Joinery per user: a second launch hands over to the first, which comes to the front (two
 * would donate this machine twice and fight over the settings file). False: quit this process.
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  focusFirst: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusFirst());
  return true;
}
