import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { MigrationRecord } from '../../../shared/api/schemas/migration';
import { VirtualTable } from '../../components/virtual-table';
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

/** A history row: the record, and whether the core runs it now (null: finished, or not known). */
type HistoryRow = MigrationRecord & { live: 'running' | 'stopped' | null };

/** The state in words; an unfinished migration says whether it runs now or stopped. */
function stateText(m: HistoryRow): string {
  const label = STATE_LABEL[m.state];
  if (m.live === 'running') return `running (${label})`;
  if (m.live === 'stopped' || (m.error && m.state !== 'done' && m.state !== 'rolled_back')) return `stopped (${label})`;
  return label;
}

const col = createColumnHelper<HistoryRow>();
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
    cell: (c) => <span className={`mig-state mig-state-${c.getValue()}`}>{stateText(c.row.original)}</span>,
  }),
  col.display({
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    // a running migration cannot be rolled back or discarded until it ends (the core refuses)
    cell: (c) =>
      c.row.original.live === 'running' ? null : (
        <MigrationActions connectionId={connectionId} record={c.row.original} compact />
      ),
  }),
];

const ROW_HEIGHT = 56;

/** Every migration of the database, newest first: who, when, what, and its state; a long history scrolls virtually. */
export function HistoryTable({
  connectionId,
  migrations,
  running,
}: {
  connectionId: string;
  migrations: MigrationRecord[];
  /** Ids of the unfinished migrations the core runs now; undefined while not known. */
  running?: ReadonlySet<string>;
}) {
  // stable: flexRender treats each cell function as a component type, so new ones would remount
  // the cells (and close a confirmation the user just opened)
  const columns = useMemo(() => columnsFor(connectionId), [connectionId]);
  const data = useMemo(
    () =>
      migrations.map((m): HistoryRow => {
        const open = !['done', 'rolled_back', 'discarded'].includes(m.state);
        return { ...m, live: !open || !running ? null : running.has(m.id) ? 'running' : 'stopped' };
      }),
    [migrations, running],
  );
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (m) => m.id,
    // newest first, as the core lists them
    enableSorting: false,
  });
  return (
    <VirtualTable
      table={table}
      label="Migration history"
      className="mig-table-list mig-history"
      scrollClassName="mig-history-scroll"
      rowHeight={ROW_HEIGHT}
      measureRows
      rowAttributes={(row) => ({ 'data-history': row.original.id, 'data-state': row.original.state })}
    />
  );
}
