import {
  createColumnHelper,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useState } from 'react';
import type { WorkerInfo } from '../../../shared/api/schemas/worker';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { VirtualTable } from '../../components/virtual-table';
import { toErrorData } from '../../lib/app-errors';
import { heartbeatAgo, labWorkerState, offeredCapacity, type LabWorkerState } from './worker-format';

const STATE_ORDER: Record<LabWorkerState, number> = { busy: 0, idle: 1, online: 2, offline: 3 };
const col = createColumnHelper<WorkerInfo>();
const columns = [
  col.accessor('hostname', {
    header: 'Worker',
    cell: (c) => (
      <div className="worker-name">
        <span>{c.getValue()}</span>
        <span className="faint mono">{c.row.original.worker_id}</span>
      </div>
    ),
  }),
  col.accessor((w) => labWorkerState(w), {
    id: 'status',
    header: 'Status',
    sortingFn: (a, b) => STATE_ORDER[labWorkerState(a.original)] - STATE_ORDER[labWorkerState(b.original)],
    cell: (c) => {
      // an offline worker's last words ("Working: 1 job running") are no longer true: say what happens instead
      const reason =
        c.getValue() === 'offline' ? 'No heartbeat: its jobs return when their leases end.' : c.row.original.reason;
      return (
        <div className="worker-status">
          <span className={`state-pill lab-${c.getValue()}`}>{c.getValue()}</span>
          <span className="muted worker-reason" title={reason}>
            {reason}
          </span>
        </div>
      );
    },
  }),
  col.accessor((w) => offeredCapacity(w), { id: 'capacity', header: 'Capacity offered', enableSorting: false }),
  col.accessor('running_jobs', {
    header: 'Running jobs',
    cell: (c) =>
      c.row.original.online ? (
        <span className="num">{c.getValue()}</span>
      ) : (
        <span className="num muted" title={`It last reported ${c.getValue()} running`}>
          —
        </span>
      ),
  }),
  col.accessor('heartbeat_age_s', {
    header: 'Last heartbeat',
    cell: (c) => <time dateTime={c.row.original.heartbeat_at}>{heartbeatAgo(c.getValue())}</time>,
  }),
  col.accessor('owner', { header: 'Owner' }),
];

const ROW_HEIGHT = 52;

/** Every worker registered with the lab's database, live or not, in a sortable, virtualized table. */
export function LabWorkersTable({ connectionId }: { connectionId: string }) {
  // heartbeats stopping send no event: the list is read again every 15 s to show workers going offline
  const list = useApiQuery('workers.list', { connectionId }, { refetchInterval: 15_000 });
  const [sorting, setSorting] = useState<SortingState>([{ id: 'status', desc: false }]);
  const table = useReactTable({
    data: list.data?.workers ?? [],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const counts = countStates(list.data?.workers ?? []);

  return (
    <section className="card worker-card" aria-labelledby="lab-workers-title">
      <div className="worker-card-head">
        <div>
          <h2 id="lab-workers-title">Workers of the lab</h2>
          <p className="muted">
            {list.data
              ? `${list.data.workers.length} registered · ${counts.busy} busy · ${counts.idle} idle · ${counts.online} held back · ${counts.offline} offline`
              : 'Machines registered with this database, from its worker registry.'}
          </p>
        </div>
      </div>
      {list.error && <ErrorMessage error={toErrorData(list.error)} />}
      {list.isPending && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the worker registry…
        </p>
      )}
      {list.data && list.data.workers.length === 0 && (
        <p className="empty-note">
          No worker is registered. Turn on “Donate this machine” above, or run <code>joinery worker --db …</code> on a
          server.
        </p>
      )}
      {table.getRowModel().rows.length > 0 && (
        <VirtualTable
          table={table}
          label="Workers of the lab"
          className="lab-workers"
          scrollClassName="lab-workers-scroll"
          rowHeight={ROW_HEIGHT}
          rowAttributes={(row) => ({
            'data-worker': row.original.worker_id,
            'data-worker-state': labWorkerState(row.original),
          })}
        />
      )}
    </section>
  );
}

function countStates(workers: readonly WorkerInfo[]): Record<LabWorkerState, number> {
  const counts: Record<LabWorkerState, number> = { busy: 0, idle: 0, online: 0, offline: 0 };
  for (const w of workers) counts[labWorkerState(w)]++;
  return counts;
}
