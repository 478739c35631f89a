import type { MigrationRecord } from '../../../shared/api/schemas/migration';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { MigrationActions } from './migration-actions';
import type { RunProgress } from './use-migration-progress';

const STATE_TEXT: Record<MigrationRecord['state'], string> = {
  planned: 'Starting…',
  shadows: 'Creating the copies…',
  copying: 'Copying rows…',
  verified: 'Verified; swapping…',
  swapped: 'Swapped; proving the foreign keys…',
  done: 'Done: the new tables are in use',
  rolled_back: 'Rolled back: the old tables are in use again',
  discarded: 'Done; the old tables were discarded',
  failed: 'Failed',
};

/** What the latest `migration.progress` event says is happening (it may be ahead of the status read). */
const PHASE_TEXT: Record<string, string> = {
  shadows: 'Creating the copies…',
  copy: 'Copying rows…',
  verify: 'Verifying the copies…',
  swap: 'Swapping the tables…',
  done: 'Finishing…',
};

interface VerifyChecks {
  verify?: { tables?: Record<string, { source: number; copied: number; checksum: string }>; orphans?: number };
  foreignKeys?: Record<string, string>;
  jobs?: { rewritten: number; dropped: number };
}

const n = (x: number) => x.toLocaleString('en-US');

/** The executor's proof of one table's foreign key, in words. */
function foreignKeyText(proof: string | undefined): string {
  if (proof === undefined) return 'no parent table';
  return proof === 'rejected orphan' ? 'enforced: an orphan insert was rejected' : proof;
}

/** Rows copied per table, from progress events while running, from the verification once done. */
function TableProgress({
  tables,
  progress,
  checks,
}: {
  tables: string[];
  progress?: RunProgress;
  checks: VerifyChecks;
}) {
  return (
    <ul className="mig-progress" aria-label="Progress per table">
      {tables.map((t) => {
        const verified = checks.verify?.tables?.[t];
        const p = verified ? { rows: verified.copied, total: verified.source } : progress?.tables[t];
        const pct = p ? (p.total > 0 ? Math.min(100, Math.round((100 * p.rows) / p.total)) : 100) : 0;
        return (
          <li key={t} data-migration-progress={t} data-rows={p?.rows ?? 0}>
            <span className="mono">{t}</span>
            <progress max={100} value={pct} aria-label={`${t} copied`} />
            <span className="faint">{p ? `${n(p.rows)} of ${n(p.total)} rows` : 'waiting'}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** What the executor proved: counts and checksums equal, no orphans, foreign keys enforcing. */
function Verification({ checks }: { checks: VerifyChecks }) {
  const tables = Object.entries(checks.verify?.tables ?? {});
  if (tables.length === 0) return null;
  return (
    <section className="mig-verify" aria-label="Verification" data-verified="">
      <h3>Verification</h3>
      <table className="mig-table-list">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Rows before</th>
            <th scope="col">Rows after</th>
            <th scope="col">Checksum of carried columns</th>
            <th scope="col">Foreign key</th>
          </tr>
        </thead>
        <tbody>
          {tables.map(([t, v]) => (
            <tr key={t} data-verify-table={t}>
              <td className="mono">{t}</td>
              <td className="num">{n(v.source)}</td>
              <td className="num">{n(v.copied)}</td>
              <td className="mono" title={`checksum ${v.checksum}`}>
                {v.source === v.copied ? 'equal' : 'differs'}
              </td>
              <td>{foreignKeyText(checks.foreignKeys?.[t])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {checks.verify?.orphans === 0 ? 'No row lost its parent. ' : ''}
        {checks.jobs ? `${n(checks.jobs.rewritten)} job records moved to the new keys.` : ''}
      </p>
    </section>
  );
}

/** A migration that was started: its state, progress per table, verification, and what to do next. */
export function RunView({
  connectionId,
  id,
  tables,
  progress,
  onNew,
}: {
  connectionId: string;
  id: string;
  /** The plan's tables (targets), known before the first status answer. */
  tables: string[];
  progress?: RunProgress;
  onNew(): void;
}) {
  const status = useApiQuery('migration.status', { connectionId, id });
  const record = status.data;
  const checks = (record?.checks ?? {}) as VerifyChecks;
  const state = record?.state ?? 'planned';
  const finished = ['done', 'rolled_back', 'discarded'].includes(state);
  // a migration that stopped keeps the journal state it reached, with its error
  const failed = state === 'failed' || (!finished && !!record?.error);
  const running = !finished && !failed;
  return (
    <section
      className="mig-run"
      aria-label="Migration run"
      data-migration-id={id}
      data-migration-state={failed ? 'failed' : state}
    >
      <div className="mig-run-head">
        <h3>
          Migration <span className="mono">{id}</span>
        </h3>
        <span className={`mig-state mig-state-${state}`} role="status">
          {running && <span className="spinner" aria-hidden="true" />}
          {failed
            ? `Failed (stopped at: ${state.replace('_', ' ')})`
            : running && progress
              ? (PHASE_TEXT[progress.phase] ?? STATE_TEXT[state])
              : STATE_TEXT[state]}
        </span>
      </div>
      {status.error && (
        <ErrorMessage
          error={toErrorData(status.error)}
          action={
            <button type="button" className="btn btn-small" onClick={() => void status.refetch()}>
              Read its state again
            </button>
          }
        />
      )}
      {state === 'done' && (
        <p className="message message-success">
          <span className="message-title">The migrated tables are in use, verified.</span>
          <span>The old tables are kept, so you can roll back until you discard them.</span>
        </p>
      )}
      {state === 'rolled_back' && (
        <p className="message message-info">
          <span className="message-title">Rolled back: the old tables and their rows are in use again.</span>
          <span>The migrated tables were dropped. Edit the definitions again to try another change.</span>
        </p>
      )}
      {state !== 'rolled_back' && (
        <TableProgress tables={record?.tables.length ? record.tables : tables} progress={progress} checks={checks} />
      )}
      {record?.error && (
        <ErrorMessage
          error={{
            code: 'INTERNAL',
            message: record.error,
            hint:
              state === 'done'
                ? 'The migration itself finished.'
                : 'The tables in use were not swapped. Roll back to drop the copies, fix the cause, then apply again.',
          }}
        />
      )}
      {state !== 'rolled_back' && <Verification checks={checks} />}
      {record && !running && (
        <div className="mig-run-foot">
          <MigrationActions connectionId={connectionId} record={record} />
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={onNew}>
            Start another migration
          </button>
        </div>
      )}
    </section>
  );
}
