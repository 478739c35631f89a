import { useTableProgress, type TableProgress } from '../../api/table-progress';
import { ErrorMessage } from '../../components/error-message';
import { TierBadge } from '../../components/tier-badge';
import { ProgressBar } from './progress-bar';
import type { PopulateScope } from './populate-dialog';

/** Sums of every table's counts, for the overall bar. */
function overall(tables: readonly TableProgress[]) {
  const sum = (k: keyof TableProgress) => tables.reduce((n, t) => n + Number(t[k]), 0);
  return {
    done: sum('done'),
    pending: sum('pending'),
    reserved: sum('reserved'),
    running: sum('running'),
    waiting: sum('waiting'),
    error: sum('error'),
    ignored: sum('ignored'),
    total: sum('total'),
  };
}

function Numbers({ t }: { t: Omit<TableProgress, 'key' | 'hasTask' | 'schema' | 'tableName' | 'className' | 'tier'> }) {
  return (
    <span className="progress-numbers">
      <span className="num-done">{t.done} done</span>
      <span>{t.pending} pending</span>
      {t.reserved > 0 && <span>{t.reserved} reserved</span>}
      {t.running > 0 && <span className="num-running">{t.running} running</span>}
      {t.waiting > 0 && <span>{t.waiting} waiting</span>}
      {t.error > 0 && <span className="num-error">{t.error} error</span>}
      {t.ignored > 0 && <span>{t.ignored} ignored</span>}
    </span>
  );
}

/** Where every Imported/Computed table stands, with the overall bar and Populate per table. */
export function ProgressPanel({
  connectionId,
  onPopulate,
}: {
  connectionId: string;
  onPopulate: (scope: PopulateScope, table?: TableProgress) => void;
}) {
  const progress = useTableProgress(connectionId);
  if (progress.isPending)
    return (
      <p className="loading-line" role="status">
        <span className="spinner" aria-hidden="true" /> Counting the keys of every table…
      </p>
    );
  if (progress.isError)
    return (
      <ErrorMessage
        error={progress.error.data}
        action={
          <button type="button" className="btn btn-small" onClick={() => void progress.refetch()}>
            Try again
          </button>
        }
      />
    );
  const tables = [...progress.data.values()];
  if (tables.length === 0)
    return (
      <div className="jobs-empty">
        <h2>No Imported or Computed tables yet</h2>
        <p>
          Jobs come from Imported and Computed tables: declare one in the Pipeline screen, give it a task (
          <code>joinery task set</code>), and its pending keys appear here.
        </p>
      </div>
    );
  const all = overall(tables);
  return (
    <section aria-labelledby="progress-title" className="jobs-section">
      <div className="section-head">
        <h2 id="progress-title">Pipeline progress</h2>
        <button type="button" className="btn btn-primary btn-small" onClick={() => onPopulate('all')}>
          Populate pipeline…
        </button>
      </div>
      <div className="progress-overall">
        <span className="progress-label">
          All tables: {all.done} of {all.total} keys computed
          {all.total > 0 ? ` (${Math.floor((100 * all.done) / all.total)}%)` : ''}
        </span>
        <ProgressBar counts={all} />
      </div>
      <ul className="progress-list" aria-label="Progress per table">
        {tables.map((t, i) => (
          <li key={t.key} className="progress-row">
            {(i === 0 || tables[i - 1]!.schema !== t.schema) && <h3 className="progress-schema">{t.schema}</h3>}
            <div className="progress-name">
              <span className="class-name">{t.className}</span>
              <TierBadge tier={t.tier} />
              <span className="table-name">{t.key}</span>
            </div>
            <ProgressBar counts={t} progressKey={t.key} />
            <Numbers t={t} />
            <div className="progress-actions">
              {t.hasTask ? (
                <>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onPopulate('table', t)}
                    aria-label={`Populate ${t.className}`}
                  >
                    Populate
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    onClick={() => onPopulate('subtree', t)}
                    aria-label={`Populate ${t.className} and everything downstream`}
                  >
                    + downstream
                  </button>
                </>
              ) : (
                <span
                  className="faint"
                  title={`joinery task set --schema ${t.schema} --table ${t.className} --file task.json`}
                >
                  No task yet
                </span>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
