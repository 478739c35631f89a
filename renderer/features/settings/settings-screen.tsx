import { useAppStore } from '../../stores/use-app-store';

const SECRET_STORE: Record<'keychain' | 'encrypted-file' | 'memory', string> = {
  keychain: 'System keychain',
  'encrypted-file': 'Encrypted file in the data folder',
  memory: 'Memory only (forgotten when Joinery stops)',
};

/** Facts about this installation; editable settings come with the features that need them. */
export function SettingsScreen() {
  const info = useAppStore((s) => s.session.appInfo);
  const transport = useAppStore((s) => s.session.transport);
  if (!info) return null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>
            About this Joinery. Shared settings (external stores, tasks) will be kept in the database, so colleagues see
            the same.
          </p>
        </div>
      </div>
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
