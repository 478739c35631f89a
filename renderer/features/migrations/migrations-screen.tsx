import type { ReactNode } from 'react';
import { useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';
import { HistoryTable } from './history-table';
import { MigrationWizard } from './migration-wizard';

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
          <em>Apply with a migration…</em>.
        </li>
        <li>Read the plan and its risks, then try it with a dry run on copies: nothing is changed.</li>
        <li>Apply it and read the verification.</li>
      </ol>
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
  return (
    <div className="page migrations-page">
      <div className="page-head">
        <div>
          <h1>Migrations</h1>
          <p>Change tables that already hold data, with a plan, a dry run, verification and rollback.</p>
        </div>
      </div>
      {history.data && migrations.length === 0 && !drafting && <MigrationsIntro />}
      {inspect.isPending && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the pipeline…
        </p>
      )}
      {inspect.error && (
        <ErrorMessage
          error={toErrorData(inspect.error)}
          action={
            <button type="button" className="btn btn-small" onClick={() => void inspect.refetch()}>
              Try again
            </button>
          }
        />
      )}
      {inspect.data && <MigrationWizard connectionId={connectionId} info={inspect.data} diagram={diagram} />}
      <section className="card mig-history-card" aria-labelledby="mig-history-title">
        <h2 id="mig-history-title">History</h2>
        {history.isPending && (
          <p className="loading-line" role="status">
            <span className="spinner" aria-hidden="true" /> Reading the migration history…
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
          <p className="empty-note">No migration has been applied to this database yet.</p>
        )}
        {migrations.length > 0 && <HistoryTable connectionId={connectionId} migrations={migrations} />}
      </section>
    </div>
  );
}
