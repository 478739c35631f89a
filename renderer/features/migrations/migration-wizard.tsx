import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MigrationPlanView } from '../../../shared/api/schemas/migration';
import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import type { AppErrorData } from '../../../shared/errors';
import { useApiMutation } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import type { MigrationDraftTable } from '../../stores/workbench-slice';
import { useAppStore } from '../../stores/use-app-store';
import { changeTableName, draftToChanges, type DraftProblem } from './change-model';
import { DefinitionEditor } from './definition-editor';
import { DryRunView } from './dry-run-view';
import { PlanView } from './plan-view';
import { RunView } from './run-view';
import { TablePicker } from './table-picker';
import { useMigrationProgress } from './use-migration-progress';

const STEPS = ['Definitions', 'Plan', 'Dry run on copies', 'Apply and verify'] as const;

/** The wizard's position: 1 editing, 2 planned, 3 dry-run done, 4 started. */
function Stepper({ at }: { at: number }) {
  return (
    <ol className="mig-stepper" aria-label="Steps of the migration">
      {STEPS.map((s, i) => (
        <li key={s} aria-current={i + 1 === at ? 'step' : undefined} className={i + 1 < at ? 'is-past' : undefined}>
          <span className="mig-step-no" aria-hidden="true">
            {i + 1}
          </span>
          {s}
        </li>
      ))}
    </ol>
  );
}

/** A planner error placed on the editor of the table it names, when it names one and a line. */
function plannerProblem(error: AppErrorData | null, info: TableInfo): DraftProblem | null {
  const d = error?.details ?? {};
  const named = typeof d.table === 'string' ? d.table : '';
  if (named !== changeTableName(info) && named !== info.full_name) return null;
  if (typeof d.line !== 'number') return null;
  return {
    table: info.full_name,
    message: error!.message.replace(/^Definition error at [^:]*: /, ''),
    line: d.line,
    column: typeof d.column === 'number' ? d.column : 1,
  };
}

/** Tables in the plan under their names now and after: what the diagram highlights. */
function affectedKeys(plan: MigrationPlanView): string[] {
  return [...new Set(plan.tables.flatMap((t) => (t.source ? [t.source, t.target] : [t.target])))];
}

/**
 * The migration wizard: pick tables (or arrive with the designer's edit), edit their definitions,
 * see the plan with its risks and SQL and the affected tables on the diagram, dry-run it on copies,
 * apply it with progress per table, read the verification, roll back or discard.
 */
export function MigrationWizard({
  connectionId,
  info,
  diagram,
}: {
  connectionId: string;
  info: PipelineInfo;
  diagram?: ReactNode;
}) {
  const draft = useAppStore((s) => s.workbench.migrationDraft);
  const setDraft = useAppStore((s) => s.setMigrationDraft);
  const highlight = useAppStore((s) => s.highlightTables);
  const navigate = useAppStore((s) => s.navigate);
  const tables = useMemo(() => Object.values(info.schemas).flatMap((s) => s.tables), [info]);
  const { changes, problems } = useMemo(() => draftToChanges(draft, tables), [draft, tables]);
  const plan = useApiMutation('migration.plan');
  const dry = useApiMutation('migration.dryRun');
  const apply = useApiMutation('migration.apply');
  const [consent, setConsent] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const progress = useMigrationProgress(connectionId);
  const engine = info.dialect === 'sqlite' ? 'sqlite' : 'mysql';
  const stage = runId ? 4 : dry.data ? 3 : plan.data ? 2 : 1;
  // a highlight left from a plan shown before (kept for the Pipeline page) has no plan here any more
  useEffect(() => highlight([]), [highlight]);

  const resetResults = () => {
    plan.reset();
    dry.reset();
    apply.reset();
    setConsent(false);
    highlight([]);
  };
  const edit = (next: MigrationDraftTable[]) => {
    setDraft(next);
    resetResults();
  };
  const startOver = () => {
    setRunId(null);
    setAttempted(false);
    edit([]);
  };
  const makePlan = () => {
    setAttempted(true);
    if (problems.length > 0 || changes.length === 0) return;
    plan.mutate({ connectionId, changes }, { onSuccess: (p) => highlight(affectedKeys(p)) });
  };
  const planError = plan.error ? toErrorData(plan.error) : null;

  if (runId)
    return (
      <section className="card mig-wizard" aria-labelledby="mig-wizard-title">
        <div className="mig-wizard-head">
          <h2 id="mig-wizard-title">Migration</h2>
          <Stepper at={4} />
        </div>
        <RunView
          connectionId={connectionId}
          id={runId}
          tables={plan.data?.tables.map((t) => t.target) ?? []}
          progress={progress[runId]}
          onNew={startOver}
        />
      </section>
    );

  return (
    <section className="card mig-wizard" aria-labelledby="mig-wizard-title">
      <div className="mig-wizard-head">
        <h2 id="mig-wizard-title">New migration</h2>
        <Stepper at={stage} />
      </div>
      <TablePicker
        connectionId={connectionId}
        tables={tables}
        taken={draft.map((d) => d.table)}
        onPicked={(table, definition) => edit([...draft, { table, definition, values: {}, renames: {} }])}
      />
      {draft.map((entry, i) => {
        const t = tables.find((x) => x.full_name === entry.table);
        const mine = problems.filter((p) => p.table === entry.table && (attempted || p.line !== undefined));
        const fromPlanner = t ? plannerProblem(planError, t) : null;
        if (!t)
          return (
            <ErrorMessage
              key={entry.table}
              error={{ code: 'NOT_FOUND', message: `${entry.table} is not in the pipeline any more.` }}
              action={
                <button type="button" className="btn btn-small" onClick={() => edit(draft.filter((_, j) => j !== i))}>
                  Remove it from the migration
                </button>
              }
            />
          );
        return (
          <DefinitionEditor
            key={entry.table}
            entry={entry}
            info={t}
            problems={fromPlanner ? [...mine, fromPlanner] : mine}
            onChange={(next) => edit(draft.map((d, j) => (j === i ? next : d)))}
            onRemove={() => edit(draft.filter((_, j) => j !== i))}
          />
        );
      })}
      {stage === 1 && (
        <div className="mig-bar">
          <span className="muted" role="status">
            {draft.length === 0
              ? 'Add a table to change, or open a table in the designer and choose “Apply with a migration…”.'
              : attempted && problems.length > 0
                ? `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} to fix before planning`
                : 'Planning reads the database and changes nothing.'}
          </span>
          <span className="spacer" />
          <button
            type="button"
            className="btn btn-primary"
            aria-disabled={draft.length === 0 || (attempted && problems.length > 0) || undefined}
            aria-busy={plan.isPending || undefined}
            onClick={makePlan}
          >
            {plan.isPending && <span className="spinner" aria-hidden="true" />}
            {plan.isPending ? 'Planning…' : 'Plan the migration'}
          </button>
        </div>
      )}
      {planError && (
        <ErrorMessage
          error={{ ...planError, message: `The plan could not be made: ${planError.message}` }}
          action={<span className="muted">Nothing was written. Fix the definition or the values above.</span>}
        />
      )}
      {plan.data && (
        <>
          <PlanView plan={plan.data} engine={engine} diagram={diagram} />
          {plan.data.lossy && (
            <label className="checkbox mig-consent">
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
              <div>
                <span>I understand that this migration loses the data listed above, and want to apply it anyway.</span>
              </div>
            </label>
          )}
          {dry.data && <DryRunView result={dry.data} />}
          {dry.error && (
            <ErrorMessage
              error={toErrorData(dry.error)}
              action={<span className="muted">The dry run changed nothing; its copies were dropped.</span>}
            />
          )}
          {apply.error && (
            <ErrorMessage
              error={toErrorData(apply.error)}
              action={
                /being populated/.test(apply.error.message) ? (
                  <button type="button" className="btn btn-small" onClick={() => navigate('jobs')}>
                    Open the Jobs page
                  </button>
                ) : undefined
              }
            />
          )}
          <div className="mig-bar">
            <button type="button" className="btn" onClick={resetResults}>
              Back to the definitions
            </button>
            <span className="spacer" />
            <button
              type="button"
              className="btn"
              disabled={dry.isPending || apply.isPending}
              aria-busy={dry.isPending || undefined}
              onClick={() => dry.mutate({ connectionId, changes })}
            >
              {dry.isPending && <span className="spinner" aria-hidden="true" />}
              {dry.isPending ? 'Copying and checking…' : dry.data ? 'Dry run again' : 'Dry run on copies'}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={(plan.data.lossy && !consent) || apply.isPending || dry.isPending}
              title={plan.data.lossy && !consent ? 'Tick the box above: this plan loses data' : undefined}
              onClick={() =>
                apply.mutate(
                  { connectionId, changes, allowDataLoss: plan.data!.lossy && consent },
                  { onSuccess: (r) => setRunId(r.id) },
                )
              }
            >
              {apply.isPending ? 'Starting…' : 'Apply the migration'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
