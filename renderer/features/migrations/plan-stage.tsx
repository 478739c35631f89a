import { useState, type ReactNode } from 'react';
import type { MigrationChange, MigrationPlanView } from '../../../shared/api/schemas/migration';
import { useApiMutation } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';
import { DryRunView } from './dry-run-view';
import { PlanView } from './plan-view';

interface Props {
  connectionId: string;
  changes: MigrationChange[];
  plan: MigrationPlanView;
  engine: 'mysql' | 'sqlite';
  diagram?: ReactNode;
  onBack(): void;
  onDryRun(): void;
  onStarted(id: string): void;
}

/**
 * The plan and what follows it: consent for a lossy plan, the dry run on copies and its result,
 * Apply (refusals such as a running job are shown with the way out), Back to the definitions.
 */
export function PlanStage({ connectionId, changes, plan, engine, diagram, onBack, onDryRun, onStarted }: Props) {
  const navigate = useAppStore((s) => s.navigate);
  const dry = useApiMutation('migration.dryRun', { onSuccess: onDryRun });
  const apply = useApiMutation('migration.apply', { onSuccess: (r) => onStarted(r.id) });
  const [consent, setConsent] = useState(false);
  const busy = dry.isPending || apply.isPending;
  return (
    <>
      <PlanView plan={plan} engine={engine} diagram={diagram} />
      {plan.lossy && (
        <label className="checkbox mig-consent">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
          <div>
            <span>I understand that this migration loses the data listed above, and want to apply it anyway.</span>
            {plan.changes.some((c) => c.kind === 'drop_attribute') && (
              <span className="mig-consent-hint">
                Renamed an attribute rather than dropped it? Go back to the definitions and choose its new name: its
                values are then kept.
              </span>
            )}
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
        <button type="button" className="btn" onClick={onBack}>
          Back to the definitions
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          disabled={busy}
          aria-busy={dry.isPending || undefined}
          onClick={() => dry.mutate({ connectionId, changes })}
        >
          {dry.isPending && <span className="spinner" aria-hidden="true" />}
          {dry.isPending ? 'Copying and checking…' : dry.data ? 'Dry run again' : 'Dry run on copies'}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={(plan.lossy && !consent) || busy}
          title={plan.lossy && !consent ? 'Tick the box above: this plan loses data' : undefined}
          onClick={() => apply.mutate({ connectionId, changes, allowDataLoss: plan.lossy && consent })}
        >
          {apply.isPending ? 'Starting…' : 'Apply the migration'}
        </button>
      </div>
    </>
  );
}
