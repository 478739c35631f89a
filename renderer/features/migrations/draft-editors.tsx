import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { AppErrorData } from '../../../shared/errors';
import { ErrorMessage } from '../../components/error-message';
import type { MigrationDraftTable } from '../../stores/workbench-slice';
import { changeTableName, type DraftProblem } from './change-model';
import { DefinitionEditor } from './definition-editor';

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

/** One editor per drafted table, each with its own problems (the parser's, the draft's, the planner's). */
export function DraftEditors({
  draft,
  tables,
  problems,
  planError,
  onEdit,
}: {
  draft: MigrationDraftTable[];
  tables: readonly TableInfo[];
  problems: DraftProblem[];
  planError: AppErrorData | null;
  onEdit(next: MigrationDraftTable[]): void;
}) {
  return draft.map((entry, i) => {
    const t = tables.find((x) => x.full_name === entry.table);
    const mine = problems.filter((p) => p.table === entry.table);
    const fromPlanner = t ? plannerProblem(planError, t) : null;
    if (!t)
      return (
        <ErrorMessage
          key={entry.table}
          error={{ code: 'NOT_FOUND', message: `${entry.table} is not in the pipeline any more.` }}
          action={
            <button type="button" className="btn btn-small" onClick={() => onEdit(draft.filter((_, j) => j !== i))}>
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
        onChange={(next) => onEdit(draft.map((d, j) => (j === i ? next : d)))}
        onRemove={() => onEdit(draft.filter((_, j) => j !== i))}
      />
    );
  });
}

/** Where the definitions stand, and Plan (aria-disabled: pressing it still lists what is open). */
export function PlanBar({
  drafted,
  problems,
  busy,
  onPlan,
}: {
  drafted: number;
  /** Problems to show (0 until the user tried to plan). */
  problems: number;
  busy: boolean;
  onPlan(): void;
}) {
  return (
    <div className="mig-bar">
      <span className="muted" role="status">
        {drafted === 0
          ? 'Add a table to change, or open a table in the designer and choose “Apply with a migration…”.'
          : problems > 0
            ? `${problems} ${problems === 1 ? 'problem' : 'problems'} to fix before planning`
            : 'Planning reads the database and changes nothing.'}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-primary"
        aria-disabled={drafted === 0 || problems > 0 || undefined}
        aria-busy={busy || undefined}
        onClick={onPlan}
      >
        {busy && <span className="spinner" aria-hidden="true" />}
        {busy ? 'Planning…' : 'Plan the migration'}
      </button>
    </div>
  );
}
