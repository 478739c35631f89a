import { useEffect, useRef, useState } from 'react';
import type { SampleCreated } from '../../../shared/api/schemas/designer';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { toErrorData } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';

/**
 * First run: on a database without schemas, offer the sample pipeline (one click: tables, rows
 * and a Docker task); the diagram's empty state below it offers the designer and the CLI. Renders nothing once the database has schemas,
 * except the outcome of a sample it just built (with its populate).
 */
export function SampleOffer({ connectionId, onCreated }: { connectionId: string; onCreated?(): void }) {
  const inspect = useApiQuery('pipeline.inspect', { connectionId, populate: false }, { retry: 2 });
  const [created, setCreated] = useState<SampleCreated | null>(null);
  const create = useApiMutation('pipeline.createSample', {
    onSuccess: (out) => {
      setCreated(out);
      onCreated?.();
    },
  });
  if (created)
    return (
      <SampleCreatedCard
        connectionId={connectionId}
        created={created}
        onPopulated={onCreated}
        onDone={() => setCreated(null)}
      />
    );
  if (!inspect.data || Object.keys(inspect.data.schemas).length > 0) return null;
  return (
    <section className="card sample-offer" aria-labelledby="sample-offer-title">
      <h2 id="sample-offer-title">Start with a sample pipeline</h2>
      <p>
        This database is empty. The sample builds a small pipeline in the schema <code>sample</code>:{' '}
        <span className="tier tier-Manual">Subject</span> and <span className="tier tier-Manual">Session</span>{' '}
        (Manual), <span className="tier tier-Lookup">Rig</span> (Lookup) and{' '}
        <span className="tier tier-Computed">SessionScore</span> (Computed), with a few subjects and sessions.
        SessionScore&apos;s task runs the local image <code>lab/busybox:1</code> in Docker, so you can watch a populate
        right away.
      </p>
      {create.error && <ErrorMessage error={toErrorData(create.error)} />}
      <div className="sample-offer-actions">
        <BusyButton
          variant="primary"
          busy={create.isPending}
          busyText="Creating the sample…"
          onClick={() => create.mutate({ connectionId })}
        >
          Create sample pipeline
        </BusyButton>
      </div>
      <p className="faint">Or start with your own tables: the designer and the command line are below.</p>
    </section>
  );
}

function SampleCreatedCard({
  connectionId,
  created,
  onPopulated,
  onDone,
}: {
  connectionId: string;
  created: SampleCreated;
  onPopulated?(): void;
  onDone(): void;
}) {
  const browseTable = useAppStore((s) => s.browseTable);
  const populate = useApiMutation('jobs.populate');
  const populateId = populate.data?.populateId;
  const status = useApiQuery(
    'jobs.populateStatus',
    { populateId: populateId ?? '-' },
    {
      enabled: !!populateId,
      refetchInterval: (q) =>
        q.state.data && q.state.data.state !== 'running' && q.state.data.state !== 'stopping' ? false : 1000,
    },
  );
  const s = status.data;
  const counts = s?.tables.find((t) => t.full_name === created.computed);
  const running = !!populateId && (!s || s.state === 'running' || s.state === 'stopping');
  const ended = !!populateId && !!s && !running;
  // once per run: the callback may be a new function on every render of the page
  const notify = useRef(onPopulated);
  notify.current = onPopulated;
  useEffect(() => {
    if (ended) notify.current?.();
  }, [ended]);
  return (
    <section className="card sample-offer" aria-labelledby="sample-done-title" data-sample="created">
      <h2 id="sample-done-title">Sample pipeline created</h2>
      <div className="message message-success" role="status">
        <span>
          Schema <code>{created.schema}</code>: {created.tables.length} tables and {created.rows} rows. SessionScore has
          4 keys waiting to be computed.
        </span>
      </div>
      {!populateId && (
        <p>
          Populate it now: each session becomes one job, run in a <code>lab/busybox:1</code> container that writes its
          score to <code>/joinery/out/result.json</code>.
        </p>
      )}
      {populate.error && <ErrorMessage error={toErrorData(populate.error)} />}
      {status.error && <ErrorMessage error={toErrorData(status.error)} />}
      {populateId && (
        <p role="status" aria-live="polite" data-populate-state={s?.state ?? 'starting'}>
          {running && <span className="spinner" aria-hidden="true" />}{' '}
          {running
            ? `Populating SessionScore… ${counts?.done ?? 0} done${counts?.failed ? `, ${counts.failed} failed` : ''}`
            : s?.state === 'finished' && !s.errors.length
              ? `Populate finished: ${counts?.done ?? 0} rows computed in Docker.`
              : `Populate ${s?.state ?? ''}: ${s?.message ?? ''} ${s?.errors[0]?.message ?? ''}`}
        </p>
      )}
      <div className="sample-offer-actions">
        {!populateId && (
          <BusyButton
            variant="primary"
            busy={populate.isPending}
            busyText="Starting…"
            onClick={() => populate.mutate({ connectionId, schema: created.schema, runner: 'docker' })}
          >
            Populate SessionScore
          </BusyButton>
        )}
        {ended && (
          <button type="button" className="btn btn-primary" onClick={() => browseTable(created.computed)}>
            See SessionScore&apos;s rows
          </button>
        )}
        <button type="button" className="btn" onClick={onDone} disabled={running}>
          {populateId && !running ? 'Done' : 'Close'}
        </button>
      </div>
    </section>
  );
}
