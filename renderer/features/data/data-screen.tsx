import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useApiQuery, useLiveWatch } from '../../api/hooks';
import { useAppStore } from '../../stores/use-app-store';
import { BrowseView } from './browse-view';
import { QueryBox } from './query-box';
import { TablePicker, tableKey } from './table-picker';

/**
 * The data browser: the table the diagram asked for (workbench `browse`), one the user picks, or a
 * query expression, in a virtualized grid with forms for Manual and Lookup tables.
 */
export function DataScreen({ connectionId }: { connectionId: string }) {
  const browse = useAppStore((s) => s.workbench.browse);
  const browseTable = useAppStore((s) => s.browseTable);
  const [queryText, setQueryText] = useState<string | null>(null);
  const pipeline = useApiQuery('pipeline.inspect', { connectionId, populate: false });
  useLiveWatch(connectionId);

  const tables = pipeline.data ? Object.values(pipeline.data.schemas).flatMap((s) => s.tables) : [];
  const table = queryText === null ? (tables.find((t) => tableKey(t) === browse) ?? null) : null;
  const pick = (key: string) => {
    setQueryText(null);
    browseTable(key);
  };

  return (
    <div className="page data-page">
      <div className="page-head">
        <div>
          <h1>Data</h1>
          <p>Rows of any table or query; insert, edit, import and delete rows of Manual and Lookup tables.</p>
        </div>
      </div>
      {pipeline.error && (
        <ErrorMessage
          error={pipeline.error.data}
          action={
            <button type="button" className="btn btn-small" onClick={() => void pipeline.refetch()}>
              Try again
            </button>
          }
        />
      )}
      {pipeline.isPending && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the tables…
        </p>
      )}
      {pipeline.data && tables.length === 0 && (
        <div className="grid-empty" role="status">
          <strong>This database has no tables yet.</strong>
          <span>
            Declare some on the <a href="#/pipeline">Pipeline</a> page (or with <code>joinery declare</code>), then
            browse their rows here.
          </span>
        </div>
      )}
      {pipeline.data && tables.length > 0 && (
        <div className="data-layout">
          <div className="data-side">
            <QueryBox current={queryText} onRun={setQueryText} />
            <TablePicker info={pipeline.data} current={queryText === null ? browse : null} onPick={pick} />
          </div>
          {table || queryText !== null ? (
            <BrowseView
              key={table ? tableKey(table) : `query:${queryText}`}
              connectionId={connectionId}
              tables={tables}
              table={table}
              queryText={queryText}
            />
          ) : (
            <div className="grid-empty" role="status">
              <strong>{browse ? `There is no table ${browse} any more.` : 'Pick a table to see its rows.'}</strong>
              <span>Choose one on the left, or type a query expression such as Subject * Session.</span>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
