import { useState } from 'react';
import type { ApiError } from '../../../shared/api/client';
import { useApiMutation } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { targetsOf, type JobTarget } from './job-query';

type Verb = 'retry' | 'ignore' | 'cancel' | 'priority';

/** Retry, ignore, cancel and prioritise a set of jobs (one call per table); reports how many changed. */
export function useJobActions(connectionId: string) {
  const retry = useApiMutation('jobs.retry');
  const ignore = useApiMutation('jobs.ignore');
  const cancel = useApiMutation('jobs.cancel');
  const priority = useApiMutation('jobs.setPriority');
  const [result, setResult] = useState<{ verb: Verb; count: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (verb: Verb, targets: JobTarget[], prio = 0) => {
    setBusy(true);
    setError(null);
    setResult(null);
    let count = 0;
    try {
      for (const t of targets) {
        const input = { connectionId, ...t };
        if (verb === 'retry') count += (await retry.mutateAsync(input)).count;
        if (verb === 'ignore') count += (await ignore.mutateAsync(input)).count;
        if (verb === 'cancel') count += (await cancel.mutateAsync(input)).count;
        if (verb === 'priority') count += (await priority.mutateAsync({ ...input, priority: prio })).count;
      }
      setResult({ verb, count });
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, result, error };
}

const DONE_WORDS: Record<Verb, string> = {
  retry: 'sent back to the queue',
  ignore: 'ignored',
  cancel: 'cancelled',
  priority: 'reprioritised',
};

/** What the last action did, or why it failed. */
export function ActionResult({ state }: { state: ReturnType<typeof useJobActions> }) {
  if (state.error) return <ErrorMessage error={state.error.data} />;
  if (!state.result) return null;
  return (
    <p className="action-result" role="status">
      {state.result.count} {state.result.count === 1 ? 'job' : 'jobs'} {DONE_WORDS[state.result.verb]}.
    </p>
  );
}

/** The bar over the list when jobs are ticked: retry, ignore, cancel, priority. */
export function SelectionBar({
  connectionId,
  selected,
  onClear,
}: {
  connectionId: string;
  selected: ReadonlySet<string>;
  onClear: () => void;
}) {
  const actions = useJobActions(connectionId);
  const [prio, setPrio] = useState(10);
  const targets = targetsOf(selected);
  const act = (verb: Verb) => void actions.run(verb, targets, prio).then(onClear);
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selected jobs">
      <span>
        <strong>{selected.size}</strong> selected
      </span>
      <button type="button" className="btn btn-small" disabled={actions.busy} onClick={() => act('retry')}>
        Retry
      </button>
      <button type="button" className="btn btn-small" disabled={actions.busy} onClick={() => act('ignore')}>
        Ignore
      </button>
      <button type="button" className="btn btn-small" disabled={actions.busy} onClick={() => act('cancel')}>
        Cancel
      </button>
      <label className="inline-field">
        Priority{' '}
        <input
          className="input input-narrow"
          type="number"
          value={prio}
          onChange={(e) => setPrio(Math.trunc(Number(e.target.value) || 0))}
        />
      </label>
      <button type="button" className="btn btn-small" disabled={actions.busy} onClick={() => act('priority')}>
        Set priority
      </button>
      <button type="button" className="btn btn-small btn-quiet" onClick={onClear}>
        Clear selection
      </button>
      <ActionResult state={actions} />
    </div>
  );
}
