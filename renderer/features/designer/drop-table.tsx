import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { toErrorData } from '../../lib/app-errors';

/** Drop with the cascade preview: every table that goes with it and its rows, then confirm exactly those. */
export function DropTable({
  connectionId,
  schema,
  table,
  onDropped,
}: {
  connectionId: string;
  schema: string;
  table: string;
  onDropped(): void;
}) {
  const [open, setOpen] = useState(false);
  const preview = useApiQuery('table.dropPreview', { connectionId, schema, table }, { enabled: open });
  const drop = useApiMutation('table.drop', { onSuccess: onDropped });
  if (!open)
    return (
      <button type="button" className="btn btn-danger-quiet" onClick={() => setOpen(true)}>
        Drop table…
      </button>
    );
  const tables = preview.data?.tables ?? [];
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  return (
    <div className="designer-drop" role="group" aria-label="Drop table">
      {preview.isPending && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Finding the tables that depend on it…
        </p>
      )}
      {preview.error && <ErrorMessage error={toErrorData(preview.error)} />}
      {preview.data && (
        <>
          <p>
            <strong>
              Dropping removes {tables.length} {tables.length === 1 ? 'table' : 'tables'} and {rows}{' '}
              {rows === 1 ? 'row' : 'rows'}
            </strong>{' '}
            (dependents first). This cannot be undone.
          </p>
          <ul className="designer-drop-list" aria-label="Tables to drop">
            {tables.map((t) => (
              <li key={t.full_name}>
                <code>{t.full_name}</code> <span className="muted">{t.rows} rows</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {drop.error && <ErrorMessage error={toErrorData(drop.error)} />}
      <div className="designer-actions">
        <button type="button" className="btn" onClick={() => setOpen(false)} disabled={drop.isPending}>
          Keep the table
        </button>
        <button
          type="button"
          className="btn btn-danger"
          aria-busy={drop.isPending || undefined}
          disabled={!preview.data || drop.isPending}
          onClick={() =>
            drop.mutate({ connectionId, schema, table, confirm: tables.map((t) => t.full_name), forcePart: false })
          }
        >
          {drop.isPending && <span className="spinner" aria-hidden="true" />}
          {drop.isPending ? 'Dropping…' : `Drop ${tables.length} ${tables.length === 1 ? 'table' : 'tables'}`}
        </button>
      </div>
    </div>
  );
}
