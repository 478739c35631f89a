import { useState } from 'react';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { FileDbIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { fieldForError } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';
import { checkSqlitePath, sqlitePathOf, sqliteUrl, SQLITE_FIELDS } from './connection-url';

/** Open an existing SQLite file, or create a new one at the path. */
export function SqliteForm({ defaultDbUrl }: { defaultDbUrl: string }) {
  const [path, setPath] = useState(() => sqlitePathOf(defaultDbUrl));
  const pending = useAppStore((s) => s.connections.pending?.action ?? null);
  const error = useAppStore((s) => (s.connections.error?.form === 'sqlite' ? s.connections.error.error : null));
  const openConnection = useAppStore((s) => s.openConnection);
  const showError = useAppStore((s) => s.showConnectionError);
  const field = fieldForError(error, SQLITE_FIELDS);

  const submit = (mustExist: boolean) => {
    const problem = checkSqlitePath(path);
    if (problem) {
      showError('sqlite', problem);
      return;
    }
    void openConnection('sqlite', mustExist ? 'sqlite-open' : 'sqlite-create', { url: sqliteUrl(path), mustExist });
  };

  return (
    <form
      className="card connect-form"
      aria-labelledby="sqlite-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(true);
      }}
    >
      <div className="connect-form-head">
        <span className="engine-icon sqlite" aria-hidden="true">
          <FileDbIcon />
        </span>
        <div>
          <h2 id="sqlite-title">SQLite file</h2>
          <p>A database in one file on this computer. Good for trying things out and for single-user pipelines.</p>
        </div>
      </div>
      {error && field === null && <ErrorMessage error={error} />}
      <TextField
        label="Database file"
        mono
        value={path}
        onChange={(e) => setPath(e.target.value)}
        error={field === 'path' ? error : null}
        spellCheck={false}
        autoComplete="off"
        placeholder="/home/you/lab.db"
        help={<>The path on the machine running Joinery. Default: the file in Joinery&apos;s data folder.</>}
      />
      <div className="form-actions">
        <BusyButton
          type="submit"
          variant="primary"
          busy={pending === 'sqlite-open'}
          busyText="Connecting…"
          disabled={pending !== null}
        >
          Open
        </BusyButton>
        <BusyButton
          busy={pending === 'sqlite-create'}
          busyText="Creating…"
          disabled={pending !== null}
          onClick={() => submit(false)}
        >
          Create
        </BusyButton>
        <span className="field-help">Open needs an existing file; Create makes the file if it is missing.</span>
      </div>
    </form>
  );
}
