import type { SortingState } from '@tanstack/react-table';
import { useCallback, useMemo, useState } from 'react';
import type { ApiError } from '../../../shared/api/client';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { ErrorMessage } from '../../components/error-message';
import { TierBadge } from '../../components/tier-badge';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { DataGrid } from './data-grid';
import type { AttachmentFetcher } from './grid-cell';
import { DeleteDialog } from './delete-dialog';
import { ExportButtons } from './export-buttons';
import { baseExpression, gridQueryText, parentClassPath, parentOperand, type GridSource } from './grid-query';
import { ImportDialog } from './import-dialog';
import { JoinToggles } from './join-toggles';
import { scrollableRows } from './page-window';
import { locateQueryError } from './query-error';
import { RestrictionBar } from './restriction-bar';
import { RowForm } from './row-form';
import { orderByOf } from './sorting';
import { isAutoPopulated, keyOf } from './table-rights';

interface BrowseViewProps {
  connectionId: string;
  tables: readonly TableInfo[];
  /** The shown table, or null when `queryText` is shown. */
  table: TableInfo | null;
  queryText: string | null;
}

type Panel = { kind: 'insert' } | { kind: 'edit' } | { kind: 'import' } | { kind: 'delete' } | null;

function joinOperands(table: TableInfo | null, joined: readonly string[], tables: readonly TableInfo[]): string[] {
  if (!table) return [];
  return joined.flatMap((parent) => {
    const fk = table.foreign_keys.find((f) => f.parent === parent);
    const path = parentClassPath(parent, tables);
    return fk && path ? [parentOperand(fk, path)] : [];
  });
}

/** Downloads of a table's attachments: the grid's query only summarizes them, data.fetch returns their contents. */
function attachmentFetcherFor(connectionId: string, table: TableInfo) {
  const attachments = new Set(table.attributes.filter((a) => a.is_attachment).map((a) => a.name));
  return (attribute: string, row: Record<string, unknown>): AttachmentFetcher | undefined => {
    if (!attachments.has(attribute)) return undefined;
    return async () => {
      const page = await api.call('data.fetch', {
        connectionId,
        schema: table.schema,
        table: table.table_name,
        restriction: keyOf(table, row),
        attributes: [attribute],
        limit: 1,
      });
      const v = page.rows[0]?.[attribute] as { filename?: string; base64?: string | null; note?: string } | undefined;
      if (!v?.filename) throw new Error('the row or its attachment is gone');
      return { filename: v.filename, base64: v.base64 ?? null, note: v.note };
    };
  };
}

/** The rows of a table or query, with its restriction, joins, sorting, export and (for tables) forms. */
export function BrowseView({ connectionId, tables, table, queryText }: BrowseViewProps) {
  const [restriction, setRestriction] = useState('');
  const [joined, setJoined] = useState<string[]>([]);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [selected, setSelected] = useState<{ index: number; row: Record<string, unknown> } | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [allowDirect, setAllowDirect] = useState(false);
  const [pageError, setPageError] = useState<ApiError | null>(null);

  const source: GridSource = table ? { kind: 'table', table, joins: joined } : { kind: 'query', text: queryText ?? '' };
  const q = gridQueryText(baseExpression(source, joinOperands(table, joined, tables)), restriction);
  const preview = useApiQuery('query.preview', { connectionId, query: q.text }, { retry: false });
  const count = useApiQuery('query.count', { connectionId, query: q.text }, { enabled: preview.isSuccess });
  const located = preview.error ? locateQueryError(preview.error.data, q) : null;
  const total = count.data?.count ?? 0;
  const onPageError = useCallback((e: ApiError | null) => setPageError(e), []);
  const attributes = useMemo(() => preview.data?.attributes ?? [], [preview.data]);

  const attachmentFetcher = useMemo(
    () => (table ? attachmentFetcherFor(connectionId, table) : undefined),
    [connectionId, table],
  );
  const auto = table ? isAutoPopulated(table, tables) : false;
  const canWrite = table !== null && (!auto || allowDirect);
  const apply = (text: string) => {
    setRestriction(text);
    setSelected(null);
  };
  const closePanel = () => setPanel(null);

  return (
    <div className="browse">
      <div className="browse-head">
        <div className="browse-title">
          <h2>{table ? table.class_name : 'Query'}</h2>
          {table && <TierBadge tier={table.tier} />}
          <span className="muted" aria-live="polite" data-row-count={count.data?.count}>
            {count.data
              ? `${total.toLocaleString()} ${total === 1 ? 'row' : 'rows'}`
              : count.isError || preview.isError
                ? ''
                : '…'}
          </span>
        </div>
        <div className="browse-actions">
          {table && auto && (
            <label className="check direct-insert" title="DataJoint's allow_direct_insert=True">
              <input type="checkbox" checked={allowDirect} onChange={(e) => setAllowDirect(e.target.checked)} />
              Allow direct insert ({table.tier === 'Part' ? 'part of an auto-populated table' : table.tier}: rows
              normally come from populate)
            </label>
          )}
          {canWrite && (
            <>
              <button type="button" className="btn btn-small btn-primary" onClick={() => setPanel({ kind: 'insert' })}>
                Insert row
              </button>
              <button type="button" className="btn btn-small" onClick={() => setPanel({ kind: 'import' })}>
                Import file…
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={!selected}
                title={selected ? undefined : 'Select a row first'}
                onClick={() => setPanel({ kind: 'edit' })}
              >
                Edit row
              </button>
            </>
          )}
          {table && (
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={!selected}
              title={selected ? undefined : 'Select a row first'}
              onClick={() => setPanel({ kind: 'delete' })}
            >
              Delete row…
            </button>
          )}
          <ExportButtons
            connectionId={connectionId}
            query={q.text}
            attributes={attributes.map((a) => a.name)}
            orderBy={orderByOf(sorting)}
            total={total}
            label={table ? table.full_name : 'query'}
          />
        </div>
      </div>
      <RestrictionBar applied={restriction} onApply={apply} error={located} />
      {table && <JoinToggles table={table} tables={tables} joined={joined} onChange={setJoined} />}
      {preview.error && located?.line === null && (
        <ErrorMessage
          error={preview.error.data}
          action={restriction ? <span>Clear the restriction to see every row.</span> : undefined}
        />
      )}
      {pageError && <ErrorMessage error={pageError.data} />}
      {count.error && (
        <ErrorMessage
          error={count.error.data}
          action={
            <button type="button" className="btn btn-small" onClick={() => void count.refetch()}>
              Try again
            </button>
          }
        />
      )}
      <div className={panel && panel.kind !== 'delete' ? 'browse-body with-panel' : 'browse-body'}>
        <div className="grid-area">
          {(preview.isPending || (preview.isSuccess && count.isPending)) && (
            <p className="loading-line" role="status">
              <span className="spinner" aria-hidden="true" /> Loading rows…
            </p>
          )}
          {preview.isError && (
            <div className="grid-empty" role="status">
              <strong>No rows are shown until the query is fixed.</strong>
              <span>
                {restriction
                  ? 'Correct the restriction where the message points, or clear it.'
                  : 'Correct the expression where the message points.'}
              </span>
            </div>
          )}
          {count.isSuccess && total === 0 && (
            <div className="grid-empty" role="status">
              <strong>{restriction ? 'No row matches this restriction.' : 'This table has no rows yet.'}</strong>
              <span>
                {restriction
                  ? 'Change or clear the restriction above.'
                  : canWrite
                    ? 'Use “Insert row” or “Import file…” to add some.'
                    : auto
                      ? 'Rows come from populate (joinery populate, or the Jobs page).'
                      : 'Nothing to show.'}
              </span>
            </div>
          )}
          {count.isSuccess && total > 0 && (
            <DataGrid
              connectionId={connectionId}
              query={q.text}
              attributes={attributes}
              total={total}
              sorting={sorting}
              onSortingChange={setSorting}
              selected={selected?.index ?? null}
              onSelect={(index, row) => setSelected({ index, row })}
              onPageError={onPageError}
              attachmentFetcher={attachmentFetcher}
            />
          )}
          {total > scrollableRows(total) && (
            <p className="muted small">
              The grid scrolls through the first {scrollableRows(total).toLocaleString()} rows; restrict or sort to
              reach the others.
            </p>
          )}
        </div>
        {table && panel?.kind === 'insert' && (
          <RowForm
            connectionId={connectionId}
            table={table}
            tables={tables}
            allowDirectInsert={allowDirect}
            onClose={closePanel}
          />
        )}
        {table && panel?.kind === 'edit' && selected && (
          <RowForm
            connectionId={connectionId}
            table={table}
            tables={tables}
            allowDirectInsert={allowDirect}
            editRow={selected.row}
            onClose={closePanel}
          />
        )}
        {table && panel?.kind === 'import' && (
          <ImportDialog
            connectionId={connectionId}
            table={table}
            allowDirectInsert={allowDirect}
            onClose={closePanel}
          />
        )}
      </div>
      {table && panel?.kind === 'delete' && selected && (
        <DeleteDialog
          connectionId={connectionId}
          table={table}
          restriction={keyOf(table, selected.row)}
          onClose={(deleted) => {
            closePanel();
            if (deleted) setSelected(null);
          }}
        />
      )}
    </div>
  );
}
