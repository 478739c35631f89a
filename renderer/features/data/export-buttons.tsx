import { useState } from 'react';
import { api } from '../../api/client';
import { exportFileName, toCsv, toJson } from './export-rows';
import { saveFile } from './save-file';

interface ExportButtonsProps {
  connectionId: string;
  query: string;
  attributes: readonly string[];
  orderBy: readonly string[];
  total: number;
  label: string;
}

/** Rows per request while exporting: large enough to be quick, small enough to show progress. */
const EXPORT_PAGE = 5000;

/** Export of what is shown (the current restriction and order), every row fetched in pages, with progress. */
export function ExportButtons(p: ExportButtonsProps) {
  const [progress, setProgress] = useState<{ done: number; format: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (format: 'csv' | 'json') => {
    setError(null);
    setProgress({ done: 0, format });
    const rows: Record<string, unknown>[] = [];
    try {
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const page = await api.call('query.fetch', {
          connectionId: p.connectionId,
          query: p.query,
          offset,
          limit: EXPORT_PAGE,
          ...(p.orderBy.length ? { order_by: [...p.orderBy] } : {}),
        });
        rows.push(...page.rows);
        setProgress({ done: rows.length, format });
        if (!page.has_more) break;
      }
      const text = format === 'csv' ? toCsv(p.attributes, rows) : toJson(p.attributes, rows);
      saveFile(exportFileName(p.label, format), text, format === 'csv' ? 'text/csv' : 'application/json');
    } catch (e) {
      setError(`Export failed: ${(e as Error).message}. Try again, or restrict to fewer rows.`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="export-buttons">
      {progress ? (
        <span role="status" className="export-progress">
          <progress max={Math.max(1, p.total)} value={progress.done} aria-label={`Exporting ${progress.format}`} />
          {progress.done.toLocaleString()} / {p.total.toLocaleString()}
        </span>
      ) : (
        <>
          <button type="button" className="btn btn-small" disabled={p.total === 0} onClick={() => void run('csv')}>
            Export CSV
          </button>
          <button type="button" className="btn btn-small" disabled={p.total === 0} onClick={() => void run('json')}>
            Export JSON
          </button>
        </>
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
