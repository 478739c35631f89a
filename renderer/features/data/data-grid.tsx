import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { ApiError } from '../../../shared/api/client';
import { GridCell, type AttachmentFetcher } from './grid-cell';
import { pageSizeFor, ROW_HEIGHT, scrollableRows, visibleRows } from './page-window';
import { nextSorting, orderByOf } from './sorting';
import { useGridPages } from './use-grid-pages';

/** One attribute of the shown query. */
export interface GridAttribute {
  name: string;
  in_key: boolean;
  datajoint_type: string;
}

interface GridRow {
  index: number;
  values: Record<string, unknown> | undefined;
}

interface DataGridProps {
  connectionId: string;
  query: string;
  attributes: readonly GridAttribute[];
  total: number;
  sorting: SortingState;
  onSortingChange: (s: SortingState) => void;
  selected: number | null;
  onSelect: (index: number, row: Record<string, unknown>) => void;
  onPageError: (e: ApiError | null) => void;
  /** How to download an attachment of a row (table mode only). */
  attachmentFetcher?: (attribute: string, row: Record<string, unknown>) => AttachmentFetcher | undefined;
}

function columnWidth(a: GridAttribute): number {
  if (/blob|attach|json|longtext/i.test(a.datajoint_type)) return 220;
  if (/varchar\((\d{3,})\)/i.test(a.datajoint_type)) return 240;
  if (/^(float|double|decimal|datetime|timestamp)/i.test(a.datajoint_type))
    return Math.max(170, a.name.length * 9 + 40);
  return Math.max(110, Math.min(200, a.name.length * 9 + 40));
}

function useColumns(
  attributes: readonly GridAttribute[],
  fetcher: DataGridProps['attachmentFetcher'],
): ColumnDef<GridRow>[] {
  return useMemo(
    () =>
      attributes.map((a) => ({
        id: a.name,
        header: a.name,
        size: columnWidth(a),
        accessorFn: (r: GridRow) => r.values?.[a.name],
        cell: (ctx) =>
          ctx.row.original.values ? (
            <GridCell
              value={ctx.getValue()}
              datajointType={a.datajoint_type}
              fetchAttachment={fetcher?.(a.name, ctx.row.original.values)}
            />
          ) : (
            <span className="cell-loading" aria-hidden="true" />
          ),
      })),
    [attributes, fetcher],
  );
}

/**
 * The rows of a query, virtualized: only the rows on screen exist in the page, and only their
 * pages are fetched; the scrollbar spans every row. Headers sort on the server (order_by).
 */
export function DataGrid(p: DataGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = scrollableRows(p.total);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
  });
  // rows are fetched once the viewport is measured, so the first page is exactly one screen
  const measured = (virtualizer.scrollRect?.height ?? 0) > ROW_HEIGHT;
  const viewport = measured ? virtualizer.scrollRect!.height - ROW_HEIGHT : ROW_HEIGHT;
  const pageSize = pageSizeFor(viewport);
  const { first, last } = visibleRows(virtualizer.scrollOffset ?? 0, viewport);
  const orderBy = orderByOf(p.sorting);
  const pages = useGridPages({
    connectionId: p.connectionId,
    query: p.query,
    orderBy,
    pageSize,
    total: count,
    first,
    last,
    enabled: count > 0 && measured,
  });
  const { onPageError } = p;
  const pageError = pages.error;
  useEffect(() => onPageError(pageError), [pageError, onPageError]);

  const items = virtualizer.getVirtualItems();
  // whether every row on screen has its values (overscan rows beyond the page may still wait)
  let visibleReady = true;
  for (let i = first; i <= Math.min(last, count - 1); i++) if (!pages.rowAt(i)) visibleReady = false;
  const data = items.map((v) => ({ index: v.index, values: pages.rowAt(v.index) }));
  // the window's rows, rebuilt only when a row or its values change: a new data array on every
  // render makes TanStack Table reset its state, which renders again, forever
  const signature = data.map((r) => (r.values ? r.index : -r.index - 1)).join(',') + pages.version;
  const stableData = useMemo(() => data, [signature]);
  const columns = useColumns(p.attributes, p.attachmentFetcher);
  const table = useReactTable({
    data: stableData,
    autoResetPageIndex: false,
    autoResetExpanded: false,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    state: { sorting: p.sorting },
  });
  const template = table
    .getVisibleLeafColumns()
    .map((c) => `${c.getSize()}px`)
    .join(' ');
  const keys = new Set(p.attributes.filter((a) => a.in_key).map((a) => a.name));

  return (
    <div
      className="grid-scroll"
      ref={scrollRef}
      role="grid"
      aria-label="Rows"
      aria-rowcount={p.total + 1}
      aria-colcount={p.attributes.length}
      aria-busy={pages.isFetching || undefined}
      data-page-size={pageSize}
      data-visible-ready={visibleReady}
    >
      <div className="grid-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {table.getFlatHeaders().map((h) => {
          const sorted = h.column.getIsSorted();
          return (
            <div
              key={h.id}
              role="columnheader"
              className={keys.has(h.id) ? 'grid-th key' : 'grid-th'}
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
            >
              <button
                type="button"
                className="grid-sort"
                onClick={(e) => p.onSortingChange(nextSorting(p.sorting, h.id, e.shiftKey))}
                title={`Sort by ${h.id} (shift-click adds to the order)`}
              >
                {flexRender(h.column.columnDef.header, h.getContext())}
                <span aria-hidden="true" className="sort-mark">
                  {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
      <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {table.getRowModel().rows.map((row) => {
          const index = row.original.index;
          const values = row.original.values;
          return (
            <div
              key={index}
              role="row"
              aria-rowindex={index + 2}
              aria-selected={p.selected === index}
              className={p.selected === index ? 'grid-row selected' : 'grid-row'}
              style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, gridTemplateColumns: template }}
              tabIndex={values ? 0 : -1}
              onClick={() => values && p.onSelect(index, values)}
              onKeyDown={(e) => {
                if ((e.key === 'Enter' || e.key === ' ') && values) {
                  e.preventDefault();
                  p.onSelect(index, values);
                }
              }}
            >
              {row.getVisibleCells().map((cell) => (
                <div key={cell.id} role="gridcell" className="grid-td">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
