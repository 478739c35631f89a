import type { MigrationRecord } from '../../../shared/api/schemas/migration';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { MigrationActions } from './migration-actions';
import { canResume, ResumeAction } from './resume-action';
import { TableProgress, Verification, type VerifyChecks } from './run-checks';
import type { LiveRun } from './use-attached-run';

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

/** Where a stopped migration stopped, in words. */
const STOPPED_AT: Record<MigrationRecord['state'], string> = {
  planned: 'before its copies were made',
  shadows: 'after making its copies, before copying rows',
  copying: 'while copying rows',
  verified: 'after verifying its copies, before the swap',
  swapped: 'right after the swap, before its final checks',
  done: '',
  rolled_back: '',
  discarded: '',
  failed: '',
};

/** What the latest `migration.progress` event says is happening (it may be ahead of the status read). */
const PHASE_TEXT: Record<string, string> = {
  shadows: 'Creating the copies…',
  copy: 'Copying rows…',
  verify: 'Verifying the copies…',
  swap: 'Swapping the tables…',
  done: 'Finishing…',
};

const FINAL: readonly string[] = ['done', 'rolled_back', 'discarded'];

/** Running, failed, stopped (not running, no error: the app or server stopped) or finished. */
function runPhase(record: MigrationRecord | undefined, running: boolean) {
  const state = record?.state ?? 'planned';
  const finished = FINAL.includes(state);
  // a migration that stopped keeps the journal state it reached, with its error
  const failed = state === 'failed' || (!finished && !running && !!record?.error);
  const stopped = !finished && !failed && !running && !!record;
  return { state, finished, failed, stopped, busy: !finished && !failed && !stopped };
}

/** The note on a migration that is not running and not finished: where it stopped, what to do. */
function StoppedNote({ state }: { state: MigrationRecord['state'] }) {
  return (
    <p className="message message-info mig-stopped" data-migration-stopped="">
      <span className="message-title">This migration stopped {STOPPED_AT[state]}; it is not running now.</span>
      <span>
        {state === 'swapped'
          ? 'The new tables are in use. '
          : state === 'planned'
            ? 'The tables in use are unchanged and nothing was copied yet. '
            : 'The tables in use are unchanged; its hidden copies are kept for the resume. '}
        Resume it to finish, or roll it back. (Joinery or its server was stopped while it ran. If another Joinery or{' '}
        <span className="mono">joinery migrate</span> is running it right now, wait for that instead.)
      </span>
    </p>
  );
}

/** A migration that was started: its state, progress per table, verification, and what to do next. */
export function RunView({
  connectionId,
  id,
  tables,
  live,
  onNew,
  onResumed,
}: {
  connectionId: string;
  id: string;
  /** The plan's tables (targets), known before the first status answer. */
  tables: string[];
  live: LiveRun;
  onNew(): void;
  onResumed(id: string): void;
}) {
  const status = useApiQuery('migration.status', { connectionId, id });
  // SQLite answers status only once its one migration transaction ends; the core's memory answers at once
  const record = status.data ?? live.active?.migration;
  const checks = (record?.checks ?? {}) as VerifyChecks;
  const { state, failed, stopped, busy } = runPhase(record, live.running);
  const phase = live.progress?.phase;
  return (
    <section
      className="mig-run"
      aria-label="Migration run"
      data-migration-id={id}
      data-migration-state={failed ? 'failed' : stopped ? 'stopped' : state}
    >
      <div className="mig-run-head">
        <h3>
          Migration <span className="mono">{id}</span>
        </h3>
        <span className={`mig-state mig-state-${state}`} role="status">
          {busy && <span className="spinner" aria-hidden="true" />}
          {failed
            ? `Failed (stopped at: ${state.replace('_', ' ')})`
            : stopped
              ? 'Stopped before its end'
              : busy && phase
                ? (PHASE_TEXT[phase] ?? STATE_TEXT[state])
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
      {busy && (
        <p className="muted mig-run-note">
          You can leave this page: the migration goes on, and this page shows it again when you come back.
        </p>
      )}
      {stopped && <StoppedNote state={state} />}
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
        <TableProgress
          tables={record?.tables.length ? record.tables : tables}
          progress={live.progress}
          checks={checks}
        />
      )}
      {record?.error && !busy && (
        <ErrorMessage
          error={{
            code: 'INTERNAL',
            message: record.error,
            hint:
              state === 'done'
                ? 'The migration itself finished.'
                : state === 'swapped'
                  ? 'The new tables are in use. Fix the cause, then resume to finish its checks, or roll back to put the old tables back.'
                  : 'The tables in use were not swapped. Fix the cause, then resume it, or roll back to drop the copies.',
          }}
        />
      )}
      {state !== 'rolled_back' && <Verification checks={checks} />}
      {(!busy || status.error) && (
        <div className="mig-run-foot">
          {canResume(live.active) && (
            <ResumeAction connectionId={connectionId} active={live.active} onResumed={onResumed} />
          )}
          {record && <MigrationActions connectionId={connectionId} record={record} />}
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={onNew}>
            Start another migration
          </button>
        </div>
      )}
    </section>
  );
}
