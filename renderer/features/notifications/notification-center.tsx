import { useEffect, useState } from 'react';
import type { GroupedNotification } from '../../../shared/model/notification-grouping';
import { transportKind } from '../../api/client';
import {
  browserNotificationPermission,
  requestBrowserNotifications,
  type BrowserNotificationPermission,
} from '../../lib/browser-notifications';
import { useNotificationFeed } from './use-notification-feed';

const VISIBLE = 4;
/** Good news leaves by itself; failures stay until dismissed. */
const AUTO_DISMISS_MS = 15_000;

/** Toasts for failed job groups, finished tables and workers going offline, bottom right of every screen. */
export function NotificationCenter({ connectionId }: { connectionId: string | null }) {
  const feed = useNotificationFeed(connectionId);
  const [permission, setPermission] = useState<BrowserNotificationPermission>(browserNotificationPermission);
  const visible = feed.items.slice(0, VISIBLE);
  const askForSystem =
    transportKind === 'web' && feed.prefs.system && permission === 'default' && feed.items.length > 0;

  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {feed.items.length > VISIBLE && (
        <div className="toast-more">
          {feed.items.length - VISIBLE} earlier notification{feed.items.length - VISIBLE > 1 ? 's' : ''}
          <button type="button" className="btn btn-small btn-quiet" onClick={feed.clear}>
            Clear all
          </button>
        </div>
      )}
      {visible.map((n) => (
        <Toast key={n.id} n={n} onDismiss={() => feed.dismiss(n.id)} />
      ))}
      {askForSystem && (
        <div className="toast toast-ask">
          <span>Also show these when Joinery is in the background?</span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void requestBrowserNotifications().then(setPermission)}
          >
            Allow browser notifications
          </button>
        </div>
      )}
    </section>
  );
}

function Toast({ n, onDismiss }: { n: GroupedNotification; onDismiss(): void }) {
  useEffect(() => {
    if (n.kind === 'job-failed') return;
    const timer = setTimeout(onDismiss, AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [n.kind, onDismiss]);
  const link =
    n.kind === 'worker-offline' ? { href: '#/workers', text: 'Workers' } : { href: '#/jobs', text: 'Open Jobs' };
  return (
    <div
      className={`toast toast-${n.kind}`}
      role={n.kind === 'job-failed' ? 'alert' : 'status'}
      data-notification={n.kind}
    >
      <div className="toast-text">
        <span className="toast-title">{n.title}</span>
        <span className="toast-body">{n.body}</span>
      </div>
      <div className="toast-actions">
        <a href={link.href} className="btn btn-small">
          {link.text}
        </a>
        <button
          type="button"
          className="btn btn-small btn-quiet"
          aria-label={`Dismiss: ${n.title}`}
          onClick={onDismiss}
        >
          ✕
        </button>
      </div>
    </div>
  );
}
