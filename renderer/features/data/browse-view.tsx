import type { SortingState } from '@tanstack/react-table';
import { useCallback, useMemo, useState } from 'react';
import type { ApiError } from '../../../shared/api/client';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { ErrorMessage } from '../../components/error-message';
import { TierBadge } from '../../components/tier-badge';
import { useApiQuery } from '../../api/hooks';
import { DataGrid } from './data-grid';
import { attachmentFetcherFor } from './attachment-fetch';
import { GridStates } from './grid-states';
import { RowActions, type PanelKind } from './row-actions';
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

type Panel = { kind: PanelKind } | null;

function joinOperands(table: TableInfo | null, joined: readonly string[], tables: readonly TableInfo[]): string[] {
  if (!table) return [];
  return joined.flatMap((parent) => {
    const fk = table.foreign_keys.find((f) => f.parent === parent);
    const path = parentClassPath(parent, tables);
    return fk && path ? [parentOperand(fk, path)] : [];
  });
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
          {table && (
            <RowActions
              table={table}
              auto={auto}
              allowDirect={allowDirect}
              onAllowDirect={setAllowDirect}
              hasSelection={selected !== null}
              onOpen={(kind) => setPanel({ kind })}
            />
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
          <GridStates
            loading={preview.isPending || (preview.isSuccess && count.isPending)}
            queryBroken={preview.isError}
            empty={count.isSuccess && total === 0}
            restricted={restriction !== ''}
            canWrite={canWrite}
            auto={auto}
          />
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
