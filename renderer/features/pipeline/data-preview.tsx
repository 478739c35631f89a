import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';

const PREVIEW_ROWS = 5;

/** A cell's value as short text: blobs and objects summarised, long text cut. */
export function previewText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The first few rows of a table (data.fetch), refreshed live when rows are written. */
export function DataPreview({ connectionId, table }: { connectionId: string; table: TableInfo }) {
  const q = useApiQuery('data.fetch', {
    connectionId,
    schema: table.schema,
    table: table.table_name,
    limit: PREVIEW_ROWS,
  });
  if (q.isPending) return <p className="muted">Reading rows…</p>;
  if (q.isError) return <ErrorMessage error={toErrorData(q.error)} />;
  const { attributes, rows, total } = q.data;
  if (total === 0) return <p className="muted">No rows yet.</p>;
  return (
    <>
      <div className="preview-scroll">
        <table className="grid preview-table">
          <thead>
            <tr>
              {attributes.map((a) => (
                <th key={a} scope="col">
                  {a}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {attributes.map((a) => (
                  <td key={a} className={row[a] === null ? 'faint' : undefined}>
                    {previewText(row[a])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="faint">
        {rows.length < total ? `First ${rows.length} of ${total.toLocaleString('en-US')} rows.` : `All ${total} rows.`}
      </p>
    </>
  );
}
