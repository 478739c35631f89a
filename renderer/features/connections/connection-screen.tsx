import { useCallback, useState } from 'react';
import { selectCurrentConnection } from '../../stores/selectors';
import { useAppStore } from '../../stores/use-app-store';
import type { MysqlFields } from './connection-url';
import { MysqlForm, type MysqlPrefill } from './mysql-form';
import { RecentConnections } from './recent-connections';
import { SqliteForm } from './sqlite-form';

/** Where a session starts: a SQLite file, a MySQL/MariaDB server, or a recent connection. */
export function ConnectionScreen() {
  const appInfo = useAppStore((s) => s.session.appInfo);
  const notice = useAppStore((s) => s.connections.notice);
  const current = useAppStore(selectCurrentConnection);
  const isPicking = useAppStore((s) => s.connections.isPicking);
  const cancelSwitch = useAppStore((s) => s.cancelSwitch);
  const clearFeedback = useAppStore((s) => s.clearConnectionFeedback);
  const [prefill, setPrefill] = useState<MysqlPrefill | null>(null);
  const needPassword = useCallback(
    (fields: MysqlFields) => {
      clearFeedback();
      setPrefill((p) => ({ fields, seq: (p?.seq ?? 0) + 1 }));
    },
    [clearFeedback],
  );

  if (!appInfo) return null;
  return (
    <div className="connect-page">
      {isPicking && current && (
        <button type="button" className="btn btn-quiet btn-small back-link" onClick={cancelSwitch}>
          ← Back to {current.label}
        </button>
      )}
      <div className="connect-intro">
        <h1>{isPicking ? 'Switch database' : 'Open a database'}</h1>
        <p>
          Joinery reads the schemas and tables of a DataJoint pipeline straight from its database.
          {isPicking && current ? ` ${current.label} stays open until you close it.` : ''}
        </p>
      </div>
      {notice && (
        <div className="message message-info" role="status">
          {notice}
        </div>
      )}
      <div className="connect-forms">
        <SqliteForm defaultDbUrl={appInfo.defaultDbUrl} />
        <MysqlForm appInfo={appInfo} prefill={prefill} />
      </div>
      <RecentConnections onNeedPassword={needPassword} />
    </div>
  );
}
