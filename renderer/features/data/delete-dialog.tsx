import { useEffect, useRef } from 'react';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { ErrorMessage } from '../../components/error-message';
import { useApiMutation, useApiQuery } from '../../api/hooks';

interface DeleteDialogProps {
  connectionId: string;
  table: TableInfo;
  restriction: Record<string, unknown>;
  /** Called with true once the rows are gone. */
  onClose: (deleted: boolean) => void;
}

/**
 * DataJoint's cascading delete, previewed: every table whose rows would go, with counts, before
 * anything is removed; the delete then refuses to remove more than the preview showed.
 */
export function DeleteDialog({ connectionId, table, restriction, onClose }: DeleteDialogProps) {
  const ref = { connectionId, schema: table.schema, table: table.table_name, restriction };
  const preview = useApiQuery('data.deletePreview', ref, { retry: false, staleTime: 0 });
  const del = useApiMutation('data.delete');
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const total = preview.data?.total ?? 0;
  const keyText = Object.entries(restriction)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');

  return (
    <div className="overlay">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="delete-title"
        onKeyDown={(e) => e.key === 'Escape' && onClose(false)}
      >
        <h3 id="delete-title">Delete {table.class_name} row?</h3>
        <p className="mono small">{keyText}</p>
        {preview.isPending && (
          <p className="loading-line" role="status">
            <span className="spinner" aria-hidden="true" /> Counting the rows that depend on it…
          </p>
        )}
        {preview.error && <ErrorMessage error={preview.error.data} />}
        {preview.data && (
          <>
            <p>
              This deletes <strong>{total.toLocaleString()}</strong> {total === 1 ? 'row' : 'rows'} in all, as
              DataJoint’s cascade does:
            </p>
            <table className="cascade-table" aria-label="Rows to delete per table">
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Rows</th>
                </tr>
              </thead>
              <tbody>
                {preview.data.tables.map((t) => (
                  <tr key={t.full_name} data-cascade-table={t.full_name}>
                    <td>
                      {t.class_name} <span className="muted small">{t.full_name}</span>
                    </td>
                    <td className="num">{t.rows.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {del.error && <ErrorMessage error={del.error.data} />}
        <div className="panel-actions">
          <button
            type="button"
            className="btn btn-danger"
            disabled={!preview.data || total === 0 || del.isPending}
            aria-busy={del.isPending || undefined}
            onClick={() =>
              del.mutate(
                { ...ref, expectedTotal: total, forceParts: table.tier === 'Part' },
                { onSuccess: () => onClose(true) },
              )
            }
          >
            {del.isPending && <span className="spinner" aria-hidden="true" />}
            {del.isPending ? 'Deleting…' : `Delete ${total.toLocaleString()} ${total === 1 ? 'row' : 'rows'}`}
          </button>
          <button type="button" className="btn" ref={cancelRef} onClick={() => onClose(false)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
