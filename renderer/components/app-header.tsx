import { engineLabel } from '../lib/engine-label';
import { selectCurrentConnection } from '../stores/selectors';
import { useAppStore } from '../stores/use-app-store';
import { BusyButton } from './busy-button';

/** The open connection (label, engine, server version) and the actions to leave it. */
export function AppHeader() {
  const current = useAppStore(selectCurrentConnection);
  const isPicking = useAppStore((s) => s.connections.isPicking);
  const isClosing = useAppStore((s) => s.connections.pending?.action === 'close');
  const isBusy = useAppStore((s) => s.connections.pending !== null);
  const startSwitch = useAppStore((s) => s.startSwitch);
  const closeConnection = useAppStore((s) => s.closeConnection);
  const isWeb = useAppStore((s) => s.session.transport === 'web');
  const logout = useAppStore((s) => s.logout);
  const logoutButton = isWeb && (
    <BusyButton small onClick={() => void logout()}>
      Log out
    </BusyButton>
  );

  if (!current) {
    return (
      <header className="app-header">
        <div className="conn-summary">
          <span className="conn-dot off" aria-hidden="true" />
          <span className="muted">No database open</span>
        </div>
        <div className="conn-actions">{logoutButton}</div>
      </header>
    );
  }
  return (
    <header className="app-header">
      <div className="conn-summary" title={current.url}>
        <span className="conn-dot" aria-hidden="true" />
        <span className="visually-hidden">Open connection:</span>
        <span className="conn-label">{current.label}</span>
        <span className="dialect-tag">{engineLabel(current)}</span>
        <span className="conn-meta mono">{current.url}</span>
      </div>
      <div className="conn-actions">
        <BusyButton small onClick={startSwitch} disabled={isBusy || isPicking}>
          Switch
        </BusyButton>
        <BusyButton small busy={isClosing} busyText="Closing…" disabled={isBusy} onClick={() => void closeConnection()}>
          Close connection
        </BusyButton>
        {logoutButton}
      </div>
    </header>
  );
}
