import { useMemo } from 'react';
import type { ClusterJob } from '../../../shared/api/schemas/cluster';
import { useApiMutation, useApiQuery } from '../../api/hooks';

const FINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'OUT_OF_MEMORY',
  'DEADLINE',
  'GONE',
]);

/** Per table: how many keys the scheduler has in each state. */
function tally(jobs: readonly ClusterJob[]): [string, Map<string, number>][] {
  const out = new Map<string, Map<string, number>>();
  for (const j of jobs) {
    const t = `${j.schema}.${j.table_name}`;
    const m = out.get(t) ?? new Map<string, number>();
    m.set(j.state, (m.get(j.state) ?? 0) + 1);
    out.set(t, m);
  }
  return [...out];
}

/**
 * Keys handed to the lab's cluster scheduler (`populate --backend slurm|k8s`), with the
 * scheduler's own states (PENDING, RUNNING, FAILED, TIMEOUT ...) and logs; cancelling one reaches
 * `scancel`. Shown only when there are any; re-read every few seconds while some are unfinished,
 * since a scheduler announces nothing.
 */
export function ClusterPanel({ connectionId }: { connectionId: string }) {
  const q = useApiQuery(
    'cluster.jobs',
    { connectionId },
    { refetchInterval: (query) => (query.state.data?.jobs.some((j) => !FINAL.has(j.state)) ? 5000 : false) },
  );
  const cancel = useApiMutation('jobs.cancel');
  const jobs = useMemo(() => q.data?.jobs ?? [], [q.data]);
  const open = useMemo(() => jobs.filter((j) => !FINAL.has(j.state)).slice(0, 200), [jobs]);
  const failed = useMemo(
    () => jobs.filter((j) => j.state !== 'COMPLETED' && FINAL.has(j.state) && j.state !== 'CANCELLED'),
    [jobs],
  );
  if (jobs.length === 0) return null;
  return (
    <section className="cluster-panel" aria-labelledby="cluster-panel-title">
      <h2 id="cluster-panel-title">At the cluster scheduler</h2>
      <ul className="cluster-tally">
        {tally(jobs).map(([table, states]) => (
          <li key={table} data-cluster-table={table}>
            <strong>{table}</strong>{' '}
            {[...states].map(([state, n]) => (
              <span key={state} className={`cluster-state cluster-${state.toLowerCase()}`}>
                {n} {state.toLowerCase()}
              </span>
            ))}
          </li>
        ))}
      </ul>
      {[...open, ...failed.slice(0, 50)].length > 0 && (
        <table className="cluster-jobs">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Key</th>
              <th scope="col">Scheduler job</th>
              <th scope="col">State</th>
              <th scope="col">Log</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...open, ...failed.slice(0, 50)].map((j) => (
              <tr
                key={`${j.schema}.${j.table_name}:${j.key_hash}`}
                data-cluster-job={j.external_id}
                data-state={j.state}
              >
                <td>{`${j.schema}.${j.table_name}`}</td>
                <td>
                  <code>{JSON.stringify(j.key)}</code>
                </td>
                <td>
                  {j.backend} {j.external_id}
                </td>
                <td>{j.state}</td>
                <td className="faint">{j.log_path}</td>
                <td>
                  {!FINAL.has(j.state) && (
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      aria-label={`Cancel ${j.backend} job ${j.external_id}`}
                      disabled={cancel.isPending}
                      onClick={() =>
                        cancel.mutate(
                          { connectionId, schema: j.schema, table: j.table_name, key_hashes: [j.key_hash] },
                          { onSettled: () => void q.refetch() },
                        )
                      }
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cancel.isError && <p className="error-text">{cancel.error.message}</p>}
    </section>
  );
}
