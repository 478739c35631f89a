import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { ActionResult, useJobActions } from './job-actions';
import { signatureFragment } from './job-query';
import { useJobsUi } from './jobs-store';

/**
 * Failed jobs grouped by error signature, largest first: one fix, then "Retry all" sends the whole
 * group back to the queue (its keys are fetched at that moment, so new failures of the group count too).
 */
export function ErrorGroupsPanel({ connectionId }: { connectionId: string }) {
  // after the list's first rows: grouping every failure is the slower read
  const listReady = useJobsUi((s) => s.listReady);
  const groups = useApiQuery('jobs.errorGroups', { connectionId }, { enabled: listReady });
  const setFilters = useJobsUi((s) => s.setFilters);
  const actions = useJobActions(connectionId);
  if (groups.isError) return <ErrorMessage error={groups.error.data} />;
  const none = !groups.data || groups.data.groups.length === 0;
  // after "Retry all" the group is gone, but what the action did stays in view
  if (none && !actions.result && !actions.error) return null;
  const act = async (verb: 'retry' | 'ignore', signature: string) => {
    const one = await api.call('jobs.errorGroups', { connectionId, signature });
    const targets = (one.groups[0]?.tables ?? []).map((t) => ({
      schema: t.schema,
      table: t.table_name,
      key_hashes: t.key_hashes ?? [],
    }));
    await actions.run(verb, targets);
  };
  return (
    <section className="error-groups" aria-labelledby="error-groups-title">
      <h3 id="error-groups-title">Errors by cause</h3>
      <ActionResult state={actions} />
      {none && <p className="faint">No failed jobs left.</p>}
      <ul hidden={none}>
        {(groups.data?.groups ?? []).map((g) => (
          <li
            key={g.signature}
            className="error-group"
            data-error-group={g.signature}
            data-count={g.count}
            data-tables={g.tables.map((t) => `${t.schema}.${t.table_name}`).join(' ')}
          >
            <div className="error-group-text">
              <span className="error-count">{g.count}×</span>
              <code className="error-signature">{g.signature || '(no message)'}</code>
              <span className="faint">
                in {g.tables.map((t) => `${t.schema}.${t.table_name} (${t.count})`).join(', ')} · e.g. {g.sample}
              </span>
            </div>
            <div className="error-group-actions">
              <button
                type="button"
                className="btn btn-small btn-quiet"
                onClick={() => setFilters({ statuses: ['error'], errorText: signatureFragment(g.signature) })}
              >
                Show
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={actions.busy}
                onClick={() => void act('retry', g.signature)}
                aria-label={`Retry all ${g.count} jobs failing with ${g.signature}`}
              >
                Retry all
              </button>
              <button
                type="button"
                className="btn btn-small btn-quiet"
                disabled={actions.busy}
                onClick={() => void act('ignore', g.signature)}
                aria-label={`Ignore all ${g.count} jobs failing with ${g.signature}`}
              >
                Ignore all
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
