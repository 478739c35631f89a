import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { MigrationRecord } from '../../../shared/api/schemas/migration';
import { relativeTime } from '../../lib/relative-time';
import { MigrationActions } from './migration-actions';

const STATE_LABEL: Record<MigrationRecord['state'], string> = {
  planned: 'planned',
  shadows: 'copying',
  copying: 'copying',
  verified: 'verified',
  swapped: 'swapping',
  done: 'done',
  rolled_back: 'rolled back',
  discarded: 'done, old tables discarded',
  failed: 'failed',
};

const col = createColumnHelper<MigrationRecord>();
const columnsFor = (connectionId: string) => [
  col.accessor('created', {
    header: 'When',
    cell: (c) => (
      <time dateTime={c.getValue()} title={new Date(c.getValue()).toLocaleString()}>
        {relativeTime(c.getValue())}
      </time>
    ),
  }),
  col.accessor('user', { header: 'Who', cell: (c) => c.getValue() || '—' }),
  col.accessor('summary', {
    header: 'What',
    cell: (c) => (
      <div className="mig-what">
        <span>{c.getValue()}</span>
        <span className="faint mono">
          {c.row.original.id} · {c.row.original.tables.join(', ')}
        </span>
      </div>
    ),
  }),
  col.accessor('state', {
    header: 'State',
    cell: (c) => (
      <span className={`mig-state mig-state-${c.getValue()}`}>
        {c.row.original.error && c.getValue() !== 'done' && c.getValue() !== 'rolled_back'
          ? `stopped (${STATE_LABEL[c.getValue()]})`
          : STATE_LABEL[c.getValue()]}
      </span>
    ),
  }),
  col.display({
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    cell: (c) => <MigrationActions connectionId={connectionId} record={c.row.original} compact />,
  }),
];

const ROW_HEIGHT = 56;

/** Every migration of the database, newest first: who, when, what, and its state; a long history scrolls virtually. */
export function HistoryTable({ connectionId, migrations }: { connectionId: string; migrations: MigrationRecord[] }) {
  // stable: flexRender treats each cell function as a component type, so new ones would remount
  // the cells (and close a confirmation the user just opened)
  const columns = useMemo(() => columnsFor(connectionId), [connectionId]);
  const table = useReactTable({
    data: migrations,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (m) => m.id,
  });
  const scroller = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div ref={scroller} className="mig-history-scroll">
      <table className="mig-table-list mig-history" aria-label="Migration history">
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id} scope="col">
                  {flexRender(h.column.columnDef.header, h.getContext())}
                </th>
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
                ref={virtual.measureElement}
                data-index={v.index}
                data-history={row.original.id}
                data-state={row.original.state}
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
