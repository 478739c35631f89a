import { flexRender, type Header, type Row, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type HTMLAttributes } from 'react';

/** Attributes a caller puts on one body row: its data-* hooks, mostly. */
export type RowAttributes = Omit<HTMLAttributes<HTMLTableRowElement>, 'children' | 'style'> & {
  [hook: `data-${string}`]: string | number | undefined;
};

/** A column header: a sort button with aria-sort when the column sorts, its plain text otherwise. */
function HeaderCell<T>({ header }: { header: Header<T, unknown> }) {
  const sorted = header.column.getIsSorted();
  const text = flexRender(header.column.columnDef.header, header.getContext());
  return (
    <th scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
      {header.column.getCanSort() ? (
        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
          {text}
          <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
        </button>
      ) : (
        text
      )}
    </th>
  );
}

/**
 * A TanStack table drawn with only the rows in view (TanStack Virtual) inside a scrolling box:
 * spacer rows above and below keep the scroll bar true, so a list of thousands stays fast.
 * Rows are `rowHeight` high, or measured when `measureRows` (rows whose text wraps).
 */
export function VirtualTable<T>({
  table,
  label,
  className,
  scrollClassName,
  rowHeight,
  measureRows,
  rowAttributes,
}: {
  table: Table<T>;
  /** The table's accessible name. */
  label: string;
  className: string;
  scrollClassName: string;
  rowHeight: number;
  measureRows?: boolean;
  rowAttributes?(row: Row<T>): RowAttributes;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div ref={scroller} className={scrollClassName}>
      <table className={className} aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <HeaderCell key={h.id} header={h} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && <tr style={{ height: padTop }} aria-hidden="true" />}
          {items.map((v) => {
            const row = rows[v.index]!;
            return (
              <tr
                key={row.id}
                {...rowAttributes?.(row)}
                ref={measureRows ? virtual.measureElement : undefined}
                data-index={v.index}
                style={measureRows ? undefined : { height: rowHeight }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden="true" />}
        </tbody>
      </table>
    </div>
  );
}
