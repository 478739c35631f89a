import { useEffect, useId, useState, type ChangeEvent } from 'react';
import type { AppInfo } from '../../../shared/api/schemas/app';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { ServerDbIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { fieldForError } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';
import { checkMysqlFields, mysqlUrl, MYSQL_FIELDS, type MysqlFields } from './connection-url';
import { ProbeResult } from './probe-result';

/** Host, port and user put in the form from a recent entry; `seq` changes on every fill. */
export interface MysqlPrefill {
  fields: MysqlFields;
  seq: number;
}

/** Why "Remember password" can or cannot work here, in the user's terms. */
function rememberHelp(info: AppInfo): string {
  switch (info.capabilities.secretStore) {
    case 'keychain':
      return 'Saved in your system keychain, never in a settings file.';
    case 'encrypted-file':
      return 'Saved encrypted in Joinery’s data folder (key from JOINERY_SECRET_KEY).';
    case 'memory':
      return info.host === 'web'
        ? 'Not available: this joinery serve keeps passwords in memory only. Start it with JOINERY_SECRET_KEY set to save them encrypted.'
        : 'Not available: no secure password store was found on this computer, so passwords are kept until Joinery quits.';
  }
}

/** MySQL/MariaDB: test the server, then connect; the password travels apart from the URL. */
export function MysqlForm({ appInfo, prefill }: { appInfo: AppInfo; prefill: MysqlPrefill | null }) {
  const [fields, setFields] = useState<MysqlFields>({ host: '', port: '3306', user: '' });
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const pending = useAppStore((s) => s.connections.pending?.action ?? null);
  const error = useAppStore((s) => (s.connections.error?.form === 'mysql' ? s.connections.error.error : null));
  const probe = useAppStore((s) => s.connections.probe);
  const openConnection = useAppStore((s) => s.openConnection);
  const testConnection = useAppStore((s) => s.testConnection);
  const showError = useAppStore((s) => s.showConnectionError);
  const rememberId = useId();
  const canRemember = appInfo.capabilities.secretStore !== 'memory';
  const field = fieldForError(error, MYSQL_FIELDS);

  useEffect(() => {
    if (!prefill) return;
    setFields(prefill.fields);
    setPassword('');
  }, [prefill]);

  const set = (key: keyof MysqlFields) => (e: ChangeEvent<HTMLInputElement>) =>
    setFields((f) => ({ ...f, [key]: e.target.value }));
  const target = () => {
    const problem = checkMysqlFields(fields);
    if (problem) {
      showError('mysql', problem);
      return null;
    }
    return { url: mysqlUrl(fields), password, ...(canRemember && remember ? { remember: true } : {}) };
  };
  const connect = () => {
    const t = target();
    if (t) void openConnection('mysql', 'mysql-connect', t);
  };
  const test = () => {
    const t = target();
    if (t) void testConnection({ url: t.url, password });
  };
  const fieldError = (name: string) => (field === name ? error : null);

  return (
    <form
      className="card connect-form"
      aria-labelledby="mysql-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        connect();
      }}
    >
      <div className="connect-form-head">
        <span className="engine-icon mysql" aria-hidden="true">
          <ServerDbIcon />
        </span>
        <div>
          <h2 id="mysql-title">MySQL or MariaDB server</h2>
          <p>A shared lab database, the same one DataJoint Python uses.</p>
        </div>
      </div>
      {error && field === null && <ErrorMessage error={error} />}
      {probe && !error && <ProbeResult probe={probe} />}
      <div className="form-row">
        <TextField
          label="Host"
          value={fields.host}
          onChange={set('host')}
          error={fieldError('host')}
          placeholder="db.example.org"
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Port"
          value={fields.port}
          onChange={set('port')}
          error={fieldError('port')}
          inputMode="numeric"
          autoComplete="off"
        />
      </div>
      <TextField
        label="User"
        value={fields.user}
        onChange={set('user')}
        error={fieldError('user')}
        placeholder="root"
        autoComplete="username"
        spellCheck={false}
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError('password')}
        autoComplete="current-password"
        focusKey={prefill?.seq}
        {...(prefill
          ? { help: `Enter the password for ${prefill.fields.user}@${prefill.fields.host}, then Connect.` }
          : {})}
      />
      <div className="checkbox">
        <input
          id={rememberId}
          type="checkbox"
          checked={canRemember && remember}
          disabled={!canRemember}
          onChange={(e) => setRemember(e.target.checked)}
          aria-describedby={`${rememberId}-help`}
        />
        <div>
          <label htmlFor={rememberId}>Remember password</label>
          <p id={`${rememberId}-help`} className="field-help">
            {rememberHelp(appInfo)}
          </p>
        </div>
      </div>
      <div className="form-actions">
        <BusyButton busy={pending === 'mysql-test'} busyText="Testing…" disabled={pending !== null} onClick={test}>
          Test connection
        </BusyButton>
        <span className="spacer" />
        <BusyButton
          type="submit"
          variant="primary"
          busy={pending === 'mysql-connect'}
          busyText="Connecting…"
          disabled={pending !== null}
        >
          Connect
        </BusyButton>
      </div>
    </form>
  );
}
