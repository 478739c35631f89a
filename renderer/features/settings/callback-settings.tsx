import { useState } from 'react';
import type { CallbackInfo } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { AddCallbackForm } from './add-callback-form';

const EVENT_TEXT: Record<CallbackInfo['event'], string> = {
  insert: 'rows inserted',
  success: 'a job succeeded',
  failure: 'a job failed',
};

/** The webhook and command callbacks of the open database, per schema: listed, added, removed. */
export function CallbackSettings({ connectionId }: { connectionId: string | null }) {
  return (
    <section className="card settings-card" aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">Callbacks</h2>
      <p className="muted">
        Joinery calls a webhook (a JSON POST) or a command when rows are inserted into a table, or when its jobs succeed
        or fail. They are stored in the database, so everyone’s workers send them. Commands run only where the user
        allowed them (<code>--allow-command-callbacks</code>).
      </p>
      {connectionId === null ? (
        <p className="empty-note">Open a database to see and edit its callbacks.</p>
      ) : (
        <SchemaCallbacks connectionId={connectionId} />
      )}
    </section>
  );
}

function SchemaCallbacks({ connectionId }: { connectionId: string }) {
  const pipeline = useApiQuery('pipeline.inspect', { connectionId, populate: false });
  const schemas = pipeline.data ? Object.keys(pipeline.data.schemas).sort() : [];
  const [picked, setPicked] = useState<string | null>(null);
  const schema = picked !== null && schemas.includes(picked) ? picked : (schemas[0] ?? null);
  if (pipeline.error) return <ErrorMessage error={toErrorData(pipeline.error)} />;
  if (!pipeline.data)
    return (
      <p className="loading-line" role="status">
        <span className="spinner" aria-hidden="true" /> Reading the schemas…
      </p>
    );
  if (schema === null) return <p className="empty-note">This database has no schemas yet.</p>;
  const tables = pipeline.data.schemas[schema]!.tables;
  return (
    <>
      <label className="field schema-pick">
        <span className="field-label">Schema</span>
        <select className="input" value={schema} onChange={(e) => setPicked(e.target.value)}>
          {schemas.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <CallbackList connectionId={connectionId} schema={schema} tables={tables} />
      <AddCallbackForm key={schema} connectionId={connectionId} schema={schema} tables={tables} />
    </>
  );
}

function CallbackList({ connectionId, schema, tables }: { connectionId: string; schema: string; tables: TableInfo[] }) {
  const list = useApiQuery('jobs.listCallbacks', { connectionId, schema });
  const remove = useApiMutation('jobs.removeCallback');
  const className = (t: string) => tables.find((x) => x.table_name === t)?.class_name ?? t;
  if (list.error) return <ErrorMessage error={toErrorData(list.error)} />;
  if (!list.data) return null;
  if (list.data.callbacks.length === 0) return <p className="empty-note">No callbacks in {schema} yet.</p>;
  return (
    <>
      {remove.error && <ErrorMessage error={toErrorData(remove.error)} />}
      <table className="callbacks" aria-label={`Callbacks of ${schema}`}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">When</th>
            <th scope="col">Calls</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data.callbacks.map((c) => (
            <tr key={c.callback_id} data-callback={c.callback_id}>
              <td>{className(c.table_name)}</td>
              <td>{EVENT_TEXT[c.event]}</td>
              <td>
                <span className="faint">{c.action === 'webhook' ? 'Webhook ' : 'Command '}</span>
                <span className="mono target">{c.target}</span>
              </td>
              <td>
                <button
                  type="button"
                  className="btn btn-small btn-quiet"
                  disabled={remove.isPending}
                  aria-label={`Remove the callback ${c.target} of ${className(c.table_name)}`}
                  onClick={() => remove.mutate({ connectionId, schema, callback_id: c.callback_id })}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
