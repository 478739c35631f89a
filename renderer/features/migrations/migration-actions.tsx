import type { MigrationRecord } from '../../../shared/api/schemas/migration';
import { useApiMutation } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { ConfirmAction } from './confirm-action';

/** States a rollback can still undo (the old tables are kept, or the copies are still there). */
const ROLLBACK_STATES: readonly MigrationRecord['state'][] = [
  'planned',
  'shadows',
  'copying',
  'verified',
  'swapped',
  'done',
  'failed',
];

/** True when the migration can still be rolled back. */
export function canRollBack(m: MigrationRecord): boolean {
  return ROLLBACK_STATES.includes(m.state);
}

/**
 * Roll back (the old tables come back, the new ones go) and Discard (the kept old tables are
 * dropped: no rollback after that), each behind its own confirmation.
 */
export function MigrationActions({
  connectionId,
  record,
  compact,
}: {
  connectionId: string;
  record: MigrationRecord;
  /** In a list row: short texts. */
  compact?: boolean;
}) {
  const rollback = useApiMutation('migration.rollback');
  const discard = useApiMutation('migration.discard');
  const error = rollback.error ?? discard.error;
  const tables =
    record.tables.length <= 3 ? record.tables.join(', ') : `${record.tables.length} tables of ${record.schema}`;
  if (!canRollBack(record) && record.state !== 'done') return null;
  return (
    <div className="mig-actions" data-migration-actions={record.id}>
      {canRollBack(record) && (
        <ConfirmAction
          label={compact ? `Roll back ${record.id}` : 'Roll back…'}
          question={
            record.state === 'done' || record.state === 'swapped'
              ? `Put the old tables back in place (${tables}), with their rows as they were before the migration? The migrated tables are dropped; this is refused if rows were added to or deleted from them since.`
              : `Drop the copies this unfinished migration made? The tables in use stay as they are.`
          }
          confirmLabel="Roll back"
          busy={rollback.isPending}
          onConfirm={() => rollback.mutate({ connectionId, id: record.id })}
        />
      )}
      {record.state === 'done' && (
        <ConfirmAction
          label={compact ? `Discard old tables of ${record.id}` : 'Discard old tables…'}
          question="Drop the old tables kept for rollback? After this the migration cannot be rolled back."
          confirmLabel="Discard old tables"
          danger
          busy={discard.isPending}
          onConfirm={() => discard.mutate({ connectionId, id: record.id })}
        />
      )}
      {error && <ErrorMessage error={toErrorData(error)} />}
    </div>
  );
}
