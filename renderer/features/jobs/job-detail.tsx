import type { ReactNode } from 'react';
import type { JobView, RunInfo } from '../../../shared/api/schemas/jobs';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { ActionResult, useJobActions } from './job-actions';
import { formatBytes, formatDuration, formatKey, formatTime, shownStatus, STATUS_LABEL } from './job-format';

function parseId(id: string) {
  const colon = id.lastIndexOf(':');
  const full = id.slice(0, colon);
  const dot = full.indexOf('.');
  return { schema: full.slice(0, dot), table: full.slice(dot + 1), keyHash: id.slice(colon + 1) };
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The log of the job: live while it runs in this server, else the tail kept with its last attempt. */
function JobLog({ connectionId, job, runs }: { connectionId: string; job: JobView; runs: readonly RunInfo[] }) {
  const running = shownStatus(job) === 'running' || shownStatus(job) === 'cancel';
  const live = useApiQuery(
    'jobs.liveLog',
    { connectionId, schema: job.schema, table: job.table_name, key_hash: job.key_hash },
    { enabled: running },
  );
  const kept = runs.find((r) => r.log_tail)?.log_tail ?? null;
  const text = running && live.data?.tail ? live.data.tail : kept;
  return (
    <section aria-label="Log">
      <h4>
        Log{' '}
        <span className="faint">
          {running
            ? live.data?.running
              ? '(live)'
              : '(runs on another machine: its tail is kept when it ends)'
            : '(kept tail)'}
        </span>
      </h4>
      {text ? (
        <pre className="log-tail" tabIndex={0} aria-label="Job log">
          {text}
        </pre>
      ) : (
        <p className="faint">{running ? 'No output yet.' : 'No log was kept for this job.'}</p>
      )}
    </section>
  );
}

function RunsList({ runs }: { runs: readonly RunInfo[] }) {
  if (runs.length === 0) return <p className="faint">No attempt recorded by Joinery yet.</p>;
  return (
    <ol className="runs-list">
      {runs.map((r) => (
        <li key={`${r.run_id ?? 's'}-${r.attempt}-${r.ended}`}>
          <strong>Attempt {r.attempt}</strong>: {r.status} on {r.worker || '?'} ({r.runner}), {formatTime(r.started)},{' '}
          {formatDuration(r.ended - r.started)}
          {r.exit_code !== null && <>, exit code {r.exit_code}</>}
          {r.peak_memory !== null && <>, peak {formatBytes(r.peak_memory)}</>}
          {r.error_message && <div className="run-error">{r.error_message}</div>}
        </li>
      ))}
    </ol>
  );
}

/** Everything about one job: key, task, attempts, timings, worker, image, exit code, error, stack, log, provenance, rows. */
export function JobDetail({
  connectionId,
  id,
  className,
  onClose,
}: {
  connectionId: string;
  id: string;
  className?: string;
  onClose: () => void;
}) {
  const { schema, table, keyHash } = parseId(id);
  const ref = { connectionId, schema, table };
  const found = useApiQuery('jobs.list', {
    connectionId,
    schemas: [schema],
    table,
    key_hash: keyHash,
    with_stack: true,
    limit: 1,
  });
  const runs = useApiQuery('jobs.runs', { ...ref, key_hash: keyHash, limit: 20 });
  const prov = useApiQuery('jobs.provenance', { ...ref, key_hashes: [keyHash], limit: 1 });
  const task = useApiQuery('task.get', ref, { retry: false });
  const job = found.data?.jobs[0];
  const provenance = prov.data?.rows[0];
  const key = job?.key ?? provenance?.key ?? null;
  const rows = useApiQuery(
    'data.fetch',
    { ...ref, restriction: key ?? {}, limit: 20 },
    { enabled: key !== null && provenance !== undefined },
  );
  const actions = useJobActions(connectionId);
  const target = [{ schema, table, key_hashes: [keyHash] }];

  return (
    <aside className="job-detail card" aria-label="Job details">
      <div className="section-head">
        <h3>
          {className ?? table} <span className="mono faint">{formatKey(key)}</span>
        </h3>
        <button type="button" className="btn btn-small btn-quiet" onClick={onClose} aria-label="Close job details">
          Close
        </button>
      </div>
      {found.isError && <ErrorMessage error={found.error.data} />}
      {!job && found.data && !provenance && (
        <p className="faint">This job is gone: it finished, was retried or was removed by another client.</p>
      )}
      {job && (
        <div className="detail-actions">
          <span className={`status-badge status-${shownStatus(job)}`}>{STATUS_LABEL[shownStatus(job)]}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={actions.busy}
            onClick={() => void actions.run('retry', target)}
          >
            Retry
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={actions.busy}
            onClick={() => void actions.run('ignore', target)}
          >
            Ignore
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={actions.busy}
            onClick={() => void actions.run('cancel', target)}
          >
            Cancel
          </button>
          <ActionResult state={actions} />
        </div>
      )}
      <dl className="facts">
        <Fact label="Key">
          <span className="mono">{key ? JSON.stringify(key) : '–'}</span>
        </Fact>
        <Fact label="Key hash">
          <span className="mono">{keyHash}</span>
        </Fact>
        <Fact label="Task">
          {task.data
            ? `version ${task.data.version}: ${task.data.spec.image ?? task.data.spec.inline ?? (task.data.spec.command ?? []).join(' ')}`
            : 'no task stored'}
        </Fact>
        {job && (
          <>
            <Fact label="Attempts">
              {job.attempts} started, {job.failures} failed
            </Fact>
            <Fact label="Worker">{job.worker || job.host || '–'}</Fact>
            <Fact label="Reserved by">{job.user ? `${job.user} on ${job.host} (pid ${job.pid})` : '–'}</Fact>
            <Fact label="Since">{job.timestamp ?? formatTime(job.started)}</Fact>
            <Fact label="Priority">{job.priority}</Fact>
          </>
        )}
        {provenance && (
          <>
            <Fact label="Computed">
              {formatTime(provenance.started)}, took {formatDuration(provenance.ended - provenance.started)} on{' '}
              {provenance.worker} ({provenance.runner}){provenance.cached ? ', reused from the cache' : ''}
            </Fact>
            <Fact label="Image / code">
              <span className="mono">{provenance.code_hash}</span>
            </Fact>
            <Fact label="Task version">{provenance.task_version}</Fact>
            <Fact label="Inputs">
              <span className="mono">{provenance.input_fingerprint}</span>
            </Fact>
          </>
        )}
      </dl>
      {job?.error_message && (
        <section aria-label="Error">
          <h4>Error</h4>
          <pre className="error-text">{job.error_message}</pre>
          {job.error_stack && <pre className="error-stack">{job.error_stack}</pre>}
        </section>
      )}
      {job && <JobLog connectionId={connectionId} job={job} runs={runs.data?.runs ?? []} />}
      <section aria-label="Attempts">
        <h4>Attempts</h4>
        {runs.isError ? <ErrorMessage error={runs.error.data} /> : <RunsList runs={runs.data?.runs ?? []} />}
      </section>
      {rows.data && rows.data.rows.length > 0 && (
        <section aria-label="Rows it wrote">
          <h4>Rows it wrote</h4>
          <pre className="rows-written">{rows.data.rows.map((r) => JSON.stringify(r)).join('\n')}</pre>
        </section>
      )}
    </aside>
  );
}
