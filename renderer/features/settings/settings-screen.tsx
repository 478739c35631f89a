import { useAppStore } from '../../stores/use-app-store';
import { CallbackSettings } from './callback-settings';
import { NotificationSettings } from './notification-settings';

const SECRET_STORE: Record<'keychain' | 'encrypted-file' | 'memory', string> = {
  keychain: 'System keychain',
  'encrypted-file': 'Encrypted file in the data folder',
  memory: 'Memory only (forgotten when Joinery stops)',
};

/** Notifications, the open database's callbacks, and facts about this installation. */
export function SettingsScreen() {
  const info = useAppStore((s) => s.session.appInfo);
  const connectionId = useAppStore((s) => s.connections.currentId);
  const transport = useAppStore((s) => s.session.transport);
  if (!info) return null;
  return (
    <div className="page settings-page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>
            Your notifications and this Joinery. Callbacks and tasks are kept in the database, so colleagues see the
            same.
          </p>
        </div>
      </div>
      <NotificationSettings host={info.host} />
      <CallbackSettings connectionId={connectionId} />
      <section className="card placeholder" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Running as</dt>
          <dd>
            {info.host === 'desktop'
              ? 'Desktop app'
              : info.host === 'web'
                ? 'joinery serve (in this browser)'
                : 'Command line'}
          </dd>
          <dt>Connected through</dt>
          <dd>
            {transport === 'ipc' ? 'The desktop app’s internal channel' : 'HTTP and WebSocket to the same server'}
          </dd>
          <dt>Platform</dt>
          <dd>
            {info.platform} · Node {info.nodeVersion}
          </dd>
          <dt>Data folder</dt>
          <dd className="mono">{info.dataDir}</dd>
          <dt>Default database</dt>
          <dd className="mono">{info.defaultDbUrl}</dd>
          <dt>Saved passwords</dt>
          <dd>{SECRET_STORE[info.capabilities.secretStore]}</dd>
        </dl>
      </section>
    </div>
  );
}
