import { keepPreviousData } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JobSortColumn, JobView } from '../../../shared/api/schemas/jobs';
import { useApiQueries } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { formatKey, jobId, shownStatus, STATUS_LABEL } from './job-format';
import { listInput, PAGE_SIZE } from './job-query';
import { useJobsUi } from './jobs-store';

const ROW_HEIGHT = 34;
const col = createColumnHelper<JobView>();

/** Column id -> the server's sort column (absent: not sortable). */
const SORTS: Partial<Record<string, JobSortColumn>> = {
  status: 'status',
  table: 'table',
  worker: 'worker',
  attempts: 'attempts',
  priority: 'priority',
  time: 'timestamp',
};

function columns(classNames: ReadonlyMap<string, string>) {
  return [
    col.display({ id: 'select', header: () => <SelectPage />, cell: (c) => <SelectBox job={c.row.original} /> }),
    col.accessor((j) => shownStatus(j), {
      id: 'status',
      header: 'Status',
      cell: (c) => <span className={`status-badge status-${c.getValue()}`}>{STATUS_LABEL[c.getValue()]}</span>,
    }),
    col.accessor('full_name', {
      id: 'table',
      header: 'Table',
      cell: (c) => classNames.get(c.getValue()) ?? c.row.original.table_name,
    }),
    col.accessor((j) => formatKey(j.key), {
      id: 'key',
      header: 'Key',
      cell: (c) => <span className="mono">{c.getValue()}</span>,
    }),
    col.accessor((j) => j.worker || j.host, { id: 'worker', header: 'Worker / host' }),
    col.accessor('attempts', { id: 'attempts', header: 'Tries' }),
    col.accessor('priority', { id: 'priority', header: 'Priority' }),
    col.accessor((j) => j.timestamp ?? '', { id: 'time', header: 'Time (db)' }),
    col.accessor('error_message', {
      id: 'error',
      header: 'Error',
      cell: (c) => (
        <span className="error-cell" title={c.getValue()}>
          {c.getValue()}
        </span>
      ),
    }),
  ];
}

function SelectBox({ job }: { job: JobView }) {
  const id = jobId(job);
  const on = useJobsUi((s) => s.selected.has(id));
  const toggle = useJobsUi((s) => s.toggle);
  return (
    <input
      type="checkbox"
      aria-label={`Select ${job.table_name} ${formatKey(job.key)}`}
      checked={on}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => toggle(id, e.target.checked)}
    />
  );
}

/** Ticks the rows loaded on screen (the header's checkbox). */
function SelectPage() {
  return <span className="visually-hidden">Select</span>;
}

/**
 * The jobs matching the filters as a virtualized table: only the pages in view are fetched, each
 * under its own query key, so a `jobs.changed` event refetches what is on screen and nothing else.
 */
export function JobsTable({
  connectionId,
  classNames,
}: {
  connectionId: string;
  classNames: ReadonlyMap<string, string>;
}) {
  const filters = useJobsUi((s) => s.filters);
  const setFilters = useJobsUi((s) => s.setFilters);
  const openJob = useJobsUi((s) => s.openJob);
  const open = useJobsUi((s) => s.open);
  const scrollRef = useRef<HTMLDivElement>(null);
  const base = useMemo(() => listInput(connectionId, filters), [connectionId, filters]);
  const [count, setCount] = useState(0);

  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const pageIndexes = useMemo(() => {
    const set = new Set<number>([items.length ? Math.floor(items[0]!.index / PAGE_SIZE) : 0]);
    for (const it of items) set.add(Math.floor(it.index / PAGE_SIZE));
    return [...set].sort((a, b) => a - b);
  }, [items]);
  const pages = useApiQueries(
    'jobs.list',
    pageIndexes.map((p) => ({ ...base, offset: p * PAGE_SIZE, limit: PAGE_SIZE })),
    { placeholderData: keepPreviousData },
  );
  const firstLoaded = pages.find((p) => p.data);
  const total = firstLoaded?.data?.total ?? (pages.every((p) => p.isError) ? 0 : count);
  useEffect(() => setCount(total), [total]);
  const setListReady = useJobsUi((s) => s.setListReady);
  const ready = firstLoaded !== undefined || pages.some((p) => p.isError);
  useEffect(() => {
    if (ready) setListReady(true);
  }, [ready, setListReady]);
  const isFresh = pages.every((p) => !p.isPlaceholderData);

  const byIndex = (i: number): JobView | undefined => {
    const p = Math.floor(i / PAGE_SIZE);
    const q = pages[pageIndexes.indexOf(p)];
    return q?.data?.jobs[i - p * PAGE_SIZE];
  };
  // a stable array while the pages' data is the same: a new `data` each render would make TanStack
  // Table reset its state during render, and render again, without end
  const pageData = pages.map((p) => p.data);
  const loaded = useMemo(() => pageData.flatMap((d) => d?.jobs ?? []), pageData);
  const cols = useMemo(() => columns(classNames), [classNames]);
  const table = useReactTable({
    data: loaded,
    columns: cols,
    getRowId: (j) => jobId(j),
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    autoResetPageIndex: false,
    autoResetExpanded: false,
  });
  const error = pages.find((p) => p.isError)?.error;

  const sortBy = (id: string) => {
    const by = SORTS[id];
    if (!by) return;
    setFilters({ sort: { by, desc: filters.sort.by === by ? !filters.sort.desc : false } });
  };

  return (
    <div
      className="jobs-table"
      role="table"
      aria-label="Jobs"
      aria-rowcount={total}
      data-total={total}
      data-fresh={isFresh}
    >
      <div className="jobs-row jobs-head" role="row">
        {table.getHeaderGroups()[0]!.headers.map((h) => {
          const by = SORTS[h.id];
          const sorted = by && filters.sort.by === by ? (filters.sort.desc ? 'descending' : 'ascending') : undefined;
          return (
            <div
              key={h.id}
              role="columnheader"
              aria-sort={sorted ?? (by ? 'none' : undefined)}
              className={`cell cell-${h.id}`}
            >
              {by ? (
                <button type="button" className="sort-button" onClick={() => sortBy(h.id)}>
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}
                </button>
              ) : (
                flexRender(h.column.columnDef.header, h.getContext())
              )}
            </div>
          );
        })}
      </div>
      {error && <ErrorMessage error={error.data} />}
      {!error && total === 0 && firstLoaded && (
        <p className="jobs-none">
          No jobs match. Jobs appear here once a populate reserves keys, or when they fail or are ignored; clear the
          filters to see all of them.
        </p>
      )}
      {!firstLoaded && !error && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Loading jobs…
        </p>
      )}
      <div ref={scrollRef} className="jobs-scroll" role="rowgroup">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const job = byIndex(it.index);
            if (!job)
              return (
                <div
                  key={it.key}
                  className="jobs-row jobs-row-loading"
                  role="row"
                  style={{ transform: `translateY(${it.start}px)` }}
                >
                  <div role="cell" className="cell faint">
                    …
                  </div>
                </div>
              );
            const id = jobId(job);
            const row = table.getRow(id);
            const status = shownStatus(job);
            return (
              <div
                key={it.key}
                className={`jobs-row${openJob === id ? ' is-open' : ''}`}
                role="row"
                tabIndex={0}
                aria-selected={openJob === id}
                data-job={id}
                data-status={status}
                style={{ transform: `translateY(${it.start}px)` }}
                onClick={() => open(id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    open(id);
                  }
                }}
              >
                {row.getVisibleCells().map((c) => (
                  <div key={c.id} role="cell" className={`cell cell-${c.column.id}`}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
