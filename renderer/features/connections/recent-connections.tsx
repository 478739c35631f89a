import type { RecentConnection } from '../../../shared/api/schemas/connection';
import { ErrorMessage } from '../../components/error-message';
import { relativeTime } from '../../lib/relative-time';
import { useAppStore } from '../../stores/use-app-store';
import { parseMysqlUrl, type MysqlFields } from './connection-url';

interface RecentConnectionsProps {
  /** A MySQL entry without a saved password fills the MySQL form instead of connecting. */
  onNeedPassword(fields: MysqlFields): void;
}

function RecentEntry({ entry, onNeedPassword }: { entry: RecentConnection } & RecentConnectionsProps) {
  const pending = useAppStore((s) => s.connections.pending);
  const isOpen = useAppStore((s) => s.connections.open.some((c) => c.url === entry.url));
  const openConnection = useAppStore((s) => s.openConnection);
  const isMine = pending?.action === 'recent' && pending.url === entry.url;

  const activate = () => {
    const fields = entry.dialect === 'mysql' ? parseMysqlUrl(entry.url) : null;
    if (fields && !entry.hasSavedPassword && !isOpen) {
      onNeedPassword(fields);
      return;
    }
    void openConnection(
      'recent',
      'recent',
      entry.dialect === 'sqlite' ? { url: entry.url, mustExist: true } : { url: entry.url },
    );
  };

  return (
    <li className="recent-item">
      <button
        type="button"
        className="recent-entry"
        onClick={activate}
        disabled={pending !== null}
        aria-busy={isMine || undefined}
      >
        <span className="dialect-tag">{entry.dialect === 'sqlite' ? 'SQLite' : 'MySQL'}</span>
        <span>
          <span className="recent-name">{entry.label}</span>
          <span className="recent-url">{entry.url}</span>
        </span>
        <span className="recent-when">
          {isMine ? 'Connecting…' : isOpen ? 'open now' : relativeTime(entry.lastOpenedAt)}
        </span>
      </button>
    </li>
  );
}

/** Connections used before, one click each. */
export function RecentConnections({ onNeedPassword }: RecentConnectionsProps) {
  const recent = useAppStore((s) => s.connections.recent);
  const listError = useAppStore((s) => s.connections.listError);
  const error = useAppStore((s) => (s.connections.error?.form === 'recent' ? s.connections.error.error : null));
  if (recent.length === 0 && !listError && !error) return null;
  return (
    <section className="card recent" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent connections</h2>
      {error && <ErrorMessage error={error} />}
      {listError && (
        <ErrorMessage
          error={{ ...listError, message: `The recent connections could not be read: ${listError.message}` }}
        />
      )}
      {recent.length > 0 && (
        <ul className="recent-list">
          {recent.map((r) => (
            <RecentEntry key={r.url} entry={r} onNeedPassword={onNeedPassword} />
          ))}
        </ul>
      )}
    </section>
  );
}
