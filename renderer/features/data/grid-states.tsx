interface GridStatesProps {
  loading: boolean;
  queryBroken: boolean;
  empty: boolean;
  restricted: boolean;
  canWrite: boolean;
  auto: boolean;
}

/** The grid's loading, broken-query and empty states, each saying what to do next. */
export function GridStates({ loading, queryBroken, empty, restricted, canWrite, auto }: GridStatesProps) {
  if (loading)
    return (
      <p className="loading-line" role="status">
        <span className="spinner" aria-hidden="true" /> Loading rows…
      </p>
    );
  if (queryBroken)
    return (
      <div className="grid-empty" role="status">
        <strong>No rows are shown until the query is fixed.</strong>
        <span>
          {restricted
            ? 'Correct the restriction where the message points, or clear it.'
            : 'Correct the expression where the message points.'}
        </span>
      </div>
    );
  if (!empty) return null;
  const next = restricted
    ? 'Change or clear the restriction above.'
    : canWrite
      ? 'Use “Insert row” or “Import file…” to add some.'
      : auto
        ? 'Rows come from populate (joinery populate, or the Jobs page).'
        : 'Nothing to show.';
  return (
    <div className="grid-empty" role="status">
      <strong>{restricted ? 'No row matches this restriction.' : 'This table has no rows yet.'}</strong>
      <span>{next}</span>
    </div>
  );
}
