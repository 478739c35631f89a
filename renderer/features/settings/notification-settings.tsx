import { useState } from 'react';
import type { DesktopPrefs, NotificationPrefs } from '../../../shared/api/schemas/settings';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import {
  browserNotificationPermission,
  requestBrowserNotifications,
  type BrowserNotificationPermission,
} from '../../lib/browser-notifications';

const WINDOWS: { seconds: number; text: string }[] = [
  { seconds: 30, text: '30 seconds' },
  { seconds: 60, text: '1 minute' },
  { seconds: 300, text: '5 minutes' },
  { seconds: 900, text: '15 minutes' },
  { seconds: 3600, text: '1 hour' },
];

const PERMISSION_TEXT: Record<BrowserNotificationPermission, string> = {
  unsupported: 'This browser cannot show notifications.',
  default: 'Not allowed yet.',
  granted: 'Allowed.',
  denied: 'Blocked in this browser; allow them in the site settings (the icon left of the address) to get them.',
};

/** What to be told about, where, and how often; saved at once on this machine. */
export function NotificationSettings({ host }: { host: 'desktop' | 'web' | 'cli' }) {
  const prefs = useApiQuery('settings.preferences', {});
  const save = useApiMutation('settings.setPreferences');
  const [permission, setPermission] = useState(browserNotificationPermission);
  if (prefs.error) return <ErrorMessage error={toErrorData(prefs.error)} />;
  if (!prefs.data) return null;
  const n = prefs.data.notifications;
  const setN = (change: Partial<NotificationPrefs>) => save.mutate({ notifications: { ...n, ...change } });
  const setD = (change: Partial<DesktopPrefs>) => save.mutate({ desktop: { ...prefs.data!.desktop, ...change } });

  return (
    <section className="card settings-card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {save.error && <ErrorMessage error={toErrorData(save.error)} />}
      <div className="field-groups">
        <fieldset className="field-group">
          <legend>Tell me when</legend>
          <Toggle label="A group of jobs fails" checked={n.jobFailures} onChange={(v) => setN({ jobFailures: v })} />
          <Toggle label="A table is finished" checked={n.tableFinished} onChange={(v) => setN({ tableFinished: v })} />
          <Toggle
            label="A worker goes offline"
            checked={n.workerOffline}
            onChange={(v) => setN({ workerOffline: v })}
          />
        </fieldset>
        <fieldset className="field-group">
          <legend>Show them</legend>
          <Toggle label="In the app" checked={n.inApp} onChange={(v) => setN({ inApp: v })} />
          <Toggle
            label={host === 'desktop' ? 'As system notifications' : 'As browser notifications'}
            checked={n.system}
            onChange={(v) => setN({ system: v })}
          />
          {host !== 'desktop' && (
            <div className="permission-line">
              <span className="muted">{PERMISSION_TEXT[permission]}</span>
              {permission === 'default' && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void requestBrowserNotifications().then(setPermission)}
                >
                  Allow browser notifications
                </button>
              )}
            </div>
          )}
          <label className="field">
            <span className="field-label">Group what happens within</span>
            <select
              className="input"
              value={n.groupWindowS}
              onChange={(e) => setN({ groupWindowS: Number(e.target.value) })}
            >
              {withCurrent(n.groupWindowS).map((w) => (
                <option key={w.seconds} value={w.seconds}>
                  {w.text}
                </option>
              ))}
            </select>
            <span className="field-help">At most one notification per table (or worker) and kind in this time.</span>
          </label>
        </fieldset>
        {host === 'desktop' && (
          <fieldset className="field-group">
            <legend>Desktop</legend>
            <Toggle
              label="Start Joinery when I log in (in the tray, donating if donation is on)"
              checked={prefs.data.desktop.openAtLogin}
              onChange={(v) => setD({ openAtLogin: v })}
            />
          </fieldset>
        )}
      </div>
    </section>
  );
}

/** The choices, plus the saved value when it is not one of them (set through the API or an older version). */
function withCurrent(seconds: number): { seconds: number; text: string }[] {
  if (WINDOWS.some((w) => w.seconds === seconds)) return WINDOWS;
  return [...WINDOWS, { seconds, text: `${seconds} seconds` }].sort((a, b) => a.seconds - b.seconds);
}

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}
