import type { ActiveMigration } from '../../../shared/api/schemas/migration';
import { useApiMutation } from '../../api/hooks';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';

/** Journal states a resume continues from (the executor picks up where the journal says). */
const RESUMABLE: readonly string[] = ['planned', 'shadows', 'copying', 'verified', 'swapped'];

/** True when applying the migration's change again would finish it. */
export function canResume(active: ActiveMigration | undefined): active is ActiveMigration {
  return !!active && !active.running && RESUMABLE.includes(active.migration.state);
}

/** Resume: applies the stopped migration's own change again, which continues the same migration. */
export function ResumeAction({
  connectionId,
  active,
  onResumed,
}: {
  connectionId: string;
  active: ActiveMigration;
  onResumed(id: string): void;
}) {
  const apply = useApiMutation('migration.apply', { onSuccess: (r) => onResumed(r.id) });
  return (
    <>
      <BusyButton
        small
        variant="primary"
        busy={apply.isPending}
        busyText="Resuming…"
        onClick={() => apply.mutate({ connectionId, changes: active.changes })}
      >
        Resume the migration
      </BusyButton>
      {apply.error && <ErrorMessage error={toErrorData(apply.error)} />}
    </>
  );
}
