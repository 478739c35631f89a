import type { TableInfo } from '../../../shared/api/schemas/pipeline';

/** What the row buttons open. */
export type PanelKind = 'insert' | 'edit' | 'import' | 'delete';

interface RowActionsProps {
  table: TableInfo;
  /** Imported/Computed (or a part of one): rows come from populate. */
  auto: boolean;
  allowDirect: boolean;
  onAllowDirect: (on: boolean) => void;
  hasSelection: boolean;
  onOpen: (panel: PanelKind) => void;
}

/**
 * Insert, import, edit and delete for a table. Auto-populated tables are written by hand only
 * after the user opts into DataJoint's `allow_direct_insert`; deleting their rows (to compute
 * them again) is allowed, as in DataJoint.
 */
export function RowActions({ table, auto, allowDirect, onAllowDirect, hasSelection, onOpen }: RowActionsProps) {
  const canWrite = !auto || allowDirect;
  const needsRow = hasSelection ? undefined : 'Select a row first';
  return (
    <>
      {auto && (
        <label className="check direct-insert" title="DataJoint's allow_direct_insert=True">
          <input type="checkbox" checked={allowDirect} onChange={(e) => onAllowDirect(e.target.checked)} />
          Allow direct insert ({table.tier === 'Part' ? 'part of an auto-populated table' : table.tier}: rows normally
          come from populate)
        </label>
      )}
      {canWrite && (
        <>
          <button type="button" className="btn btn-small btn-primary" onClick={() => onOpen('insert')}>
            Insert row
          </button>
          <button type="button" className="btn btn-small" onClick={() => onOpen('import')}>
            Import file…
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={!hasSelection}
            title={needsRow}
            onClick={() => onOpen('edit')}
          >
            Edit row
          </button>
        </>
      )}
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={!hasSelection}
        title={needsRow}
        onClick={() => onOpen('delete')}
      >
        Delete row…
      </button>
    </>
  );
}
