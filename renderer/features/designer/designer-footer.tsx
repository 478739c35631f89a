import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { useAppStore } from '../../stores/use-app-store';
import { DropTable } from './drop-table';

/** The SQL the connection's engine would run, once the definition checks out. */
export function DdlPreview({
  ddl,
  dialect,
  busy,
  ready,
}: {
  ddl: string[];
  dialect?: string;
  busy: boolean;
  ready: boolean;
}) {
  return (
    <section className="designer-section" aria-label="SQL preview">
      <div className="designer-section-head">
        <h3>SQL {dialect ? `for ${dialect === 'mysql' ? 'MySQL / MariaDB' : 'SQLite'}` : ''}</h3>
        {busy && <span className="spinner" aria-hidden="true" />}
      </div>
      {ready && ddl.length > 0 ? (
        <pre className="code-block designer-ddl" data-ddl="">
          {ddl.join(';\n\n')};
        </pre>
      ) : (
        <p className="faint">
          The statements appear here once the definition checks out. Nothing is written until you create the table.
        </p>
      )}
    </section>
  );
}

/** New table: where the checks stand, Cancel and Create (a submit, so Enter in a field creates too). */
export function CreateFooter({
  status,
  canCreate,
  busy,
  onClose,
}: {
  status: string;
  canCreate: boolean;
  busy: boolean;
  onClose(): void;
}) {
  return (
    <div className="designer-actions">
      <span className="muted designer-status" role="status">
        {status}
      </span>
      <span className="spacer" />
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      {/* aria-disabled, not disabled: pressing it still shows every problem still open */}
      <button
        type="submit"
        className="btn btn-primary"
        aria-disabled={!canCreate || undefined}
        aria-busy={busy || undefined}
      >
        {busy && <span className="spinner" aria-hidden="true" />}
        {busy ? 'Creating…' : 'Create table'}
      </button>
    </div>
  );
}

/** Existing table: drop (with its cascade preview), close, or hand the edit to the migration wizard. */
export function EditFooter({
  connectionId,
  table,
  definition,
  changed,
  onClose,
  onDropped,
}: {
  connectionId: string;
  table: TableInfo;
  /** The edited definition; null while the text does not parse. */
  definition: string | null;
  /** True when the definition differs from the declared one. */
  changed: boolean;
  onClose(): void;
  onDropped(): void;
}) {
  const openMigration = useAppStore((s) => s.openMigration);
  const why = definition === null ? 'Fix the definition first' : !changed ? 'Change the definition first' : null;
  return (
    <div className="designer-actions">
      <DropTable connectionId={connectionId} schema={table.schema} table={table.table_name} onDropped={onDropped} />
      <span className="spacer" />
      {why && <span className="muted designer-status">{why}</span>}
      <button type="button" className="btn" onClick={onClose}>
        Close
      </button>
      <button
        type="button"
        className="btn btn-primary"
        disabled={why !== null}
        onClick={() => definition !== null && openMigration({ table: table.full_name, definition })}
      >
        Apply with a migration…
      </button>
    </div>
  );
}
