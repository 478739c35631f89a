import { useEffect, useId, useRef, useState } from 'react';
import type { RunnerKind } from '../../../shared/api/schemas/jobs';
import { downstreamOf } from '../../../shared/model/graph';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import type { TableProgress } from '../../api/table-progress';
import { ErrorMessage } from '../../components/error-message';
import { useJobsUi } from './jobs-store';
import { parseRestriction } from './restriction';

/** What a populate covers: one table, a table and everything downstream, or the whole pipeline. */
export type PopulateScope = 'table' | 'subtree' | 'all';

const RUNNERS: ReadonlyArray<{ kind: RunnerKind; label: string }> = [
  { kind: 'docker', label: "Docker (the task's image; the container contract)" },
  { kind: 'process', label: "Process on the server (the task's command)" },
  { kind: 'inline', label: 'Inline functions registered in the server' },
];

/** The Populate dialog: scope, runner, workers and restriction; starting it returns at once (progress comes as events). */
export function PopulateDialog({
  connectionId,
  scope: initialScope,
  table,
  onClose,
}: {
  connectionId: string;
  scope: PopulateScope;
  table?: TableProgress;
  onClose: () => void;
}) {
  const titleId = useId();
  const [scope, setScope] = useState<PopulateScope>(initialScope);
  const [runner, setRunner] = useState<RunnerKind>('docker');
  const [workers, setWorkers] = useState(4);
  const [restriction, setRestriction] = useState('');
  const pipeline = useApiQuery('pipeline.inspect', { connectionId, populate: false }, { enabled: scope === 'subtree' });
  const start = useApiMutation('jobs.populate');
  const addPopulate = useJobsUi((s) => s.addPopulate);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const parsed = parseRestriction(restriction);
  const subtree =
    table && pipeline.data
      ? downstreamOf(
          Object.values(pipeline.data.schemas).flatMap((s) => s.tables),
          table.key,
        )
      : null;
  const label =
    scope === 'all'
      ? 'the whole pipeline'
      : scope === 'table'
        ? table!.className
        : `${table!.className} and downstream`;

  const submit = () => {
    if (parsed.error) return;
    const base = { connectionId, runner, workers, restriction: parsed.value };
    const input =
      scope === 'all'
        ? base
        : scope === 'table'
          ? { ...base, schema: table!.schema, table: table!.tableName }
          : { ...base, tables: subtree ?? [table!.key] };
    start.mutate(input, {
      onSuccess: (r) => {
        addPopulate({ id: r.populateId, connectionId, label });
        onClose();
      },
    });
  };

  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>Populate {label}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <fieldset className="field">
            <legend className="field-label">What to compute</legend>
            {table && (
              <>
                <label className="radio">
                  <input
                    ref={first}
                    type="radio"
                    name="scope"
                    checked={scope === 'table'}
                    onChange={() => setScope('table')}
                  />{' '}
                  {table.className} only
                </label>
                <label className="radio">
                  <input type="radio" name="scope" checked={scope === 'subtree'} onChange={() => setScope('subtree')} />{' '}
                  {table.className} and every table downstream of it
                  {scope === 'subtree' && subtree && <span className="faint"> ({subtree.length} tables)</span>}
                </label>
              </>
            )}
            <label className="radio">
              <input
                ref={table ? undefined : first}
                type="radio"
                name="scope"
                checked={scope === 'all'}
                onChange={() => setScope('all')}
              />{' '}
              The whole pipeline
            </label>
          </fieldset>
          <label className="field">
            <span className="field-label">Runner</span>
            <select className="input" value={runner} onChange={(e) => setRunner(e.target.value as RunnerKind)}>
              {RUNNERS.map((r) => (
                <option key={r.kind} value={r.kind}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Jobs at once</span>
            <input
              className="input"
              type="number"
              min={1}
              max={64}
              value={workers}
              onChange={(e) => setWorkers(Math.max(1, Math.min(64, Number(e.target.value) || 1)))}
            />
          </label>
          <label className="field">
            <span className="field-label">Restriction (optional)</span>
            <textarea
              className="input mono"
              rows={2}
              placeholder='{"subject_id": 1}'
              value={restriction}
              aria-invalid={parsed.error ? true : undefined}
              onChange={(e) => setRestriction(e.target.value)}
            />
            <span className="field-help">Only keys matching these attribute values (a list means any of them).</span>
            {parsed.error && (
              <span className="field-error" role="alert">
                {parsed.error}
              </span>
            )}
          </label>
          {start.error && <ErrorMessage error={start.error.data} />}
          <div className="modal-actions">
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={Boolean(parsed.error) || start.isPending || (scope === 'subtree' && !subtree)}
            >
              {start.isPending ? 'Starting…' : 'Start'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
