import { useEffect, useState } from 'react';
import type { JobListStatus } from '../../../shared/api/schemas/jobs';
import { STATUS_LABEL } from './job-format';
import { NO_FILTERS, useJobsUi } from './jobs-store';

const STATUSES: JobListStatus[] = ['running', 'reserved', 'waiting', 'error', 'ignore', 'cancel', 'failed'];

/** A text box that tells the store only when typing pauses, so each keystroke is not a query. */
function DebouncedInput({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text), 250);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <input
        className="input"
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
      />
    </label>
  );
}

/** Filters of the Jobs view: status, table, worker, time range, text in the error. */
export function JobFiltersBar({ tables }: { tables: readonly { key: string; className: string }[] }) {
  const filters = useJobsUi((s) => s.filters);
  const setFilters = useJobsUi((s) => s.setFilters);
  const toggle = (st: JobListStatus) =>
    setFilters({
      statuses: filters.statuses.includes(st) ? filters.statuses.filter((x) => x !== st) : [...filters.statuses, st],
    });
  const setWorker = (worker: string) => setFilters({ worker });
  const setErrorText = (errorText: string) => setFilters({ errorText });
  const isFiltered = JSON.stringify({ ...filters, sort: null }) !== JSON.stringify({ ...NO_FILTERS, sort: null });
  return (
    <div className="job-filters" role="search" aria-label="Filter jobs">
      <div className="status-chips" role="group" aria-label="Status">
        {STATUSES.map((st) => (
          <button
            key={st}
            type="button"
            className={`chip status-${st}`}
            aria-pressed={filters.statuses.includes(st)}
            onClick={() => toggle(st)}
          >
            {STATUS_LABEL[st]}
          </button>
        ))}
      </div>
      <label className="filter">
        <span className="filter-label">Table</span>
        <select className="input" value={filters.table} onChange={(e) => setFilters({ table: e.target.value })}>
          <option value="">Every table</option>
          {tables.map((t) => (
            <option key={t.key} value={t.key}>
              {t.className} ({t.key})
            </option>
          ))}
        </select>
      </label>
      <DebouncedInput label="Worker or host" value={filters.worker} onChange={setWorker} placeholder="exact name" />
      <DebouncedInput label="Error contains" value={filters.errorText} onChange={setErrorText} placeholder="text" />
      <label className="filter">
        <span className="filter-label">From (database time)</span>
        <input
          className="input"
          type="datetime-local"
          value={filters.from}
          onChange={(e) => setFilters({ from: e.target.value })}
        />
      </label>
      <label className="filter">
        <span className="filter-label">To</span>
        <input
          className="input"
          type="datetime-local"
          value={filters.to}
          onChange={(e) => setFilters({ to: e.target.value })}
        />
      </label>
      {isFiltered && (
        <button
          type="button"
          className="btn btn-small btn-quiet"
          onClick={() => setFilters({ ...NO_FILTERS, sort: filters.sort })}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
