/**
 * The browser's Notification API (web mode). The permission is asked for only from a click
 * (browsers ignore or penalise prompts without a user gesture, and an unasked prompt is rude).
 */

/** Whether this browser can show notifications, and what the user decided. */
export type BrowserNotificationPermission = 'unsupported' | 'default' | 'granted' | 'denied';

/** The current permission, without asking. */
export function browserNotificationPermission(): BrowserNotificationPermission {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  return window.Notification.permission;
}

/** Asks the user; call it only from a click handler. */
export async function requestBrowserNotifications(): Promise<BrowserNotificationPermission> {
  if (browserNotificationPermission() === 'unsupported') return 'unsupported';
  return window.Notification.requestPermission();
}

/** Shows one system notification when allowed; `tag` replaces an earlier one of the same group. */
export function showBrowserNotification(title: string, body: string, tag: string): boolean {
  if (browserNotificationPermission() !== 'granted') return false;
  new window.Notification(title, { body, tag });
  return true;
}
