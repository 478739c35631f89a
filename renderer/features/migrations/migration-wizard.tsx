import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MigrationPlanView } from '../../../shared/api/schemas/migration';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { useApiMutation } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import type { MigrationDraftTable } from '../../stores/workbench-slice';
import { useAppStore } from '../../stores/use-app-store';
import { draftToChanges } from './change-model';
import { DraftEditors, PlanBar } from './draft-editors';
import { PlanStage } from './plan-stage';
import { TablePicker } from './table-picker';

const STEPS = ['Definitions', 'Plan', 'Dry run on copies', 'Apply and verify'] as const;

/** The wizard's position: 1 editing, 2 planned, 3 dry-run done, 4 started. */
export function Stepper({ at }: { at: number }) {
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
  onStarted,
}: {
  connectionId: string;
  info: PipelineInfo;
  diagram?: ReactNode;
  /** Apply started migration `id` of these new tables: the page shows its run from now on. */
  onStarted(id: string, tables: string[]): void;
}) {
  const draft = useAppStore((s) => s.workbench.migrationDraft);
  const setDraft = useAppStore((s) => s.setMigrationDraft);
  const highlight = useAppStore((s) => s.highlightTables);
  const tables = useMemo(() => Object.values(info.schemas).flatMap((s) => s.tables), [info]);
  const { changes, problems } = useMemo(() => draftToChanges(draft, tables), [draft, tables]);
  const plan = useApiMutation('migration.plan');
  const [dryDone, setDryDone] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const engine = info.dialect === 'sqlite' ? 'sqlite' : 'mysql';
  const stage = dryDone ? 3 : plan.data ? 2 : 1;
  // a highlight left from a plan shown before (kept for the Pipeline page) has no plan here any more
  useEffect(() => highlight([]), [highlight]);

  const resetResults = () => {
    plan.reset();
    setDryDone(false);
    highlight([]);
  };
  const edit = (next: MigrationDraftTable[]) => {
    setDraft(next);
    resetResults();
  };
  const makePlan = () => {
    setAttempted(true);
    if (problems.length > 0 || changes.length === 0) return;
    plan.mutate({ connectionId, changes }, { onSuccess: (p) => highlight(affectedKeys(p)) });
  };
  const planError = plan.error ? toErrorData(plan.error) : null;

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
      <DraftEditors
        draft={draft}
        tables={tables}
        problems={problems.filter((p) => attempted || p.line !== undefined)}
        planError={planError}
        onEdit={edit}
      />
      {stage === 1 && (
        <PlanBar
          drafted={draft.length}
          problems={attempted ? problems.length : 0}
          busy={plan.isPending}
          onPlan={makePlan}
        />
      )}
      {planError && (
        <ErrorMessage
          error={{ ...planError, message: `The plan could not be made: ${planError.message}` }}
          action={<span className="muted">Nothing was written. Fix the definition or the values above.</span>}
        />
      )}
      {plan.data && (
        <PlanStage
          connectionId={connectionId}
          changes={changes}
          plan={plan.data}
          engine={engine}
          diagram={diagram}
          onBack={resetResults}
          onDryRun={() => setDryDone(true)}
          onStarted={(id) => onStarted(id, plan.data?.tables.map((t) => t.target) ?? [])}
        />
      )}
    </section>
  );
}
