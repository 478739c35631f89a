import { useApiMutation, useApiQuery } from '../../api/hooks';
import { formatDuration } from './job-format';
import { useJobsUi } from './jobs-store';

function PopulateRow({ id, label, newest }: { id: string; label: string; newest: boolean }) {
  const status = useApiQuery('jobs.populateStatus', { populateId: id });
  const stop = useApiMutation('jobs.stop');
  const s = status.data;
  if (status.isError) return null; // forgotten by the server (finished long ago)
  if (!s) return null;
  const totals = s.tables.reduce(
    (a, t) => ({ done: a.done + t.done, failed: a.failed + t.failed, pending: a.pending + t.pending }),
    { done: 0, failed: 0, pending: 0 },
  );
  const live = s.state === 'running' || s.state === 'stopping';
  if (!live && !newest) return null;
  const elapsed = (s.ended ?? Date.now()) - s.started;
  return (
    <li className={`populate-run populate-${s.state}`} data-populate={id} data-state={s.state}>
      <span className="populate-label">
        Populate {label}: <strong>{s.state}</strong> · {totals.done} done · {totals.failed} failed · {totals.pending}{' '}
        pending · {formatDuration(elapsed)}
      </span>
      {s.message && <span className="faint">{s.message}</span>}
      {live && (
        <span className="populate-actions">
          <button
            type="button"
            className="btn btn-small"
            disabled={s.state === 'stopping' || stop.isPending}
            onClick={() => stop.mutate({ populateId: id, mode: 'finish' })}
          >
            Stop after running jobs
          </button>
          <button
            type="button"
            className="btn btn-small btn-quiet"
            disabled={stop.isPending}
            onClick={() => stop.mutate({ populateId: id, mode: 'release' })}
          >
            Stop now
          </button>
        </span>
      )}
    </li>
  );
}

/** The populates started from this window, with their tallies and Stop. */
export function PopulateRuns({ connectionId }: { connectionId: string }) {
  // the newest populate, whatever its state; older ones only while they run (finished ones answer null)
  const populates = useJobsUi((s) => s.populates).filter((p) => p.connectionId === connectionId);
  if (populates.length === 0) return null;
  return (
    <ul className="populate-runs" aria-label="Populates started here">
      {populates.map((p, i) => (
        <PopulateRow key={p.id} id={p.id} label={p.label} newest={i === 0} />
      ))}
    </ul>
  );
}
