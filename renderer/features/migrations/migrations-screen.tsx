import type { ReactNode } from 'react';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';
import { HistoryTable } from './history-table';
import { MigrationWizard, Stepper } from './migration-wizard';
import { RunView } from './run-view';
import { useAttachedRun, type AttachedRun } from './use-attached-run';

/** What a migration is for and the two ways to start one; shown while the database has none. */
function MigrationsIntro() {
  return (
    <section className="card mig-intro" aria-labelledby="mig-intro-title" data-empty="">
      <h2 id="mig-intro-title">No migrations yet</h2>
      <p>
        A migration changes tables that already hold data: add an attribute to a primary key, rename or retype an
        attribute, add a foreign key, rename a table. Joinery copies the rows into new tables (tables that depend on the
        changed ones follow their new keys), checks counts and checksums, and swaps all of them in one step. The old
        tables are kept, so you can roll back until you discard them.
      </p>
      <ol>
        <li>
          Pick a table below and edit its definition, or on the Pipeline page open a table with <em>Edit</em> and choose{' '}
          <em>Apply with a migration…</em>
        </li>
        <li>Read the plan and its risks, then try it with a dry run on copies: nothing is changed.</li>
        <li>Apply it and read the verification.</li>
      </ol>
    </section>
  );
}

/** The wizard's last step: the run this page shows (started here, or found running on opening). */
function RunCard({ connectionId, attached }: { connectionId: string; attached: AttachedRun }) {
  const setDraft = useAppStore((s) => s.setMigrationDraft);
  const run = attached.run!;
  return (
    <section className="card mig-wizard" aria-labelledby="mig-wizard-title">
      <div className="mig-wizard-head">
        <h2 id="mig-wizard-title">Migration</h2>
        <Stepper at={4} />
      </div>
      <RunView
        key={run.id}
        connectionId={connectionId}
        id={run.id}
        tables={run.tables}
        live={attached.live}
        onResumed={(id) => attached.start(id, run.tables)}
        onNew={() => {
          attached.clear();
          setDraft([]);
        }}
      />
    </section>
  );
}

/**
 * The Migrations page: the wizard for a new migration and the history of this database's
 * migrations. `diagram` (composed in app.tsx) is the pipeline diagram, drawn next to the plan
 * with the affected tables highlighted.
 */
export function MigrationsScreen({ connectionId, diagram }: { connectionId: string; diagram?: ReactNode }) {
  const inspect = useApiQuery('pipeline.inspect', { connectionId, populate: false });
  const history = useApiQuery('migration.history', { connectionId });
  const drafting = useAppStore((s) => s.workbench.migrationDraft.length > 0);
  const migrations = history.data?.migrations ?? [];
  const attached = useAttachedRun(connectionId);
  const running = attached.run !== null && attached.live.running;
  return (
    <div className="page migrations-page">
      <div className="page-head">
        <div>
          <h1>Migrations</h1>
          <p>Change tables that already hold data, with a plan, a dry run, verification and rollback.</p>
        </div>
      </div>
      {history.data && migrations.length === 0 && !drafting && !attached.run && <MigrationsIntro />}
      {attached.run && <RunCard connectionId={connectionId} attached={attached} />}
      {!attached.run && inspect.isPending && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the pipeline…
        </p>
      )}
      {!attached.run && inspect.error && (
        <ErrorMessage
          error={toErrorData(inspect.error)}
          action={
            <button type="button" className="btn btn-small" onClick={() => void inspect.refetch()}>
              Try again
            </button>
          }
        />
      )}
      {!attached.run && inspect.data && (
        <MigrationWizard connectionId={connectionId} info={inspect.data} diagram={diagram} onStarted={attached.start} />
      )}
      <section className="card mig-history-card" aria-labelledby="mig-history-title">
        <h2 id="mig-history-title">History</h2>
        {history.isPending && (
          <p className="loading-line" role="status">
            <span className="spinner" aria-hidden="true" /> Reading the migration history…
            {running && ' (on SQLite it is ready when the running migration ends)'}
          </p>
        )}
        {history.error && (
          <ErrorMessage
            error={toErrorData(history.error)}
            action={
              <button type="button" className="btn btn-small" onClick={() => void history.refetch()}>
                Try again
              </button>
            }
          />
        )}
        {history.data && migrations.length === 0 && (
          <p className="empty-note">
            {running
              ? 'The migration above is the first of this database; it is listed here when it ends.'
              : 'No migration has been applied to this database yet.'}
          </p>
        )}
        {migrations.length > 0 && (
          <HistoryTable connectionId={connectionId} migrations={migrations} running={attached.runningIds} />
        )}
      </section>
    </div>
  );
}
