import { useState } from 'react';
import type { CallbackInfo } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { AppErrorData } from '../../../shared/errors';
import { useApiMutation } from '../../api/hooks';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage, FieldError } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { fieldForError, toErrorData } from '../../lib/app-errors';

type Field = 'table' | 'target';

/** The message of the issue about `field`, without the method name the core puts in front. */
function fieldMessage(error: AppErrorData, field: string): AppErrorData {
  const issues = (error.details?.issues ?? []) as { path: string; message: string }[];
  const issue = issues.find((i) => i.path === field);
  return issue ? { ...error, message: issue.message, hint: undefined } : error;
}

/** Adds a webhook or command callback to a table of the schema; errors appear next to their field. */
export function AddCallbackForm({
  connectionId,
  schema,
  tables,
}: {
  connectionId: string;
  schema: string;
  tables: TableInfo[];
}) {
  const add = useApiMutation('jobs.addCallback');
  const [table, setTable] = useState(tables[0]?.table_name ?? '');
  const [event, setEvent] = useState<CallbackInfo['event']>('failure');
  const [action, setAction] = useState<CallbackInfo['action']>('webhook');
  const [target, setTarget] = useState('');
  const [localError, setLocalError] = useState<AppErrorData | null>(null);
  const error = localError ?? (add.error ? toErrorData(add.error) : null);
  const field = localError ? 'target' : fieldForError<Field>(error, { table: 'table', target: 'target' });

  const submit = () => {
    add.reset();
    if (!target.trim()) {
      setLocalError({
        code: 'VALIDATION',
        message: action === 'webhook' ? 'Enter the webhook’s URL (http:// or https://).' : 'Enter the command to run.',
      });
      return;
    }
    setLocalError(null);
    add.mutate(
      { connectionId, schema, table, event, action, target: target.trim() },
      { onSuccess: () => setTarget('') },
    );
  };

  if (tables.length === 0) return <p className="empty-note">{schema} has no tables to call back from.</p>;
  return (
    <form
      className="add-callback"
      aria-label="Add a callback"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>Add a callback</h3>
      {error && field === null && <ErrorMessage error={error} />}
      <div className="add-callback-fields">
        <label className="field">
          <span className="field-label">Table</span>
          <select
            className="input"
            value={table}
            aria-invalid={field === 'table' || undefined}
            onChange={(e) => setTable(e.target.value)}
          >
            {tables.map((t) => (
              <option key={t.table_name} value={t.table_name}>
                {t.class_name}
              </option>
            ))}
          </select>
          {error && field === 'table' && <FieldError id="callback-table-error" error={fieldMessage(error, 'table')} />}
        </label>
        <label className="field">
          <span className="field-label">When</span>
          <select className="input" value={event} onChange={(e) => setEvent(e.target.value as CallbackInfo['event'])}>
            <option value="failure">A job fails</option>
            <option value="success">A job succeeds</option>
            <option value="insert">Rows are inserted</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Call</span>
          <select
            className="input"
            value={action}
            onChange={(e) => setAction(e.target.value as CallbackInfo['action'])}
          >
            <option value="webhook">Webhook</option>
            <option value="command">Command</option>
          </select>
        </label>
        <div className="add-callback-target">
          <TextField
            label={action === 'webhook' ? 'Webhook URL' : 'Command'}
            mono
            value={target}
            placeholder={action === 'webhook' ? 'https://chat.example.org/hooks/…' : 'notify-send "Joinery"'}
            error={error && field === 'target' ? fieldMessage(error, 'target') : null}
            onChange={(e) => {
              setLocalError(null);
              setTarget(e.target.value);
            }}
          />
        </div>
      </div>
      <BusyButton type="submit" variant="primary" small busy={add.isPending} busyText="Adding…">
        Add callback
      </BusyButton>
    </form>
  );
}
