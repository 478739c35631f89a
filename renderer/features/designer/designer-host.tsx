import { useAppStore } from '../../stores/use-app-store';
import { TableDesigner } from './table-designer';

/** Shows the designer whenever the workbench holds a request for it (the diagram or "New table" asked). */
export function DesignerHost({ connectionId, onChanged }: { connectionId: string; onChanged?(): void }) {
  const request = useAppStore((s) => s.workbench.designer);
  const close = useAppStore((s) => s.closeDesigner);
  if (!request) return null;
  return (
    <TableDesigner
      key={`${request.mode}:${request.table ?? ''}:${request.parent ?? ''}`}
      connectionId={connectionId}
      request={request}
      onClose={close}
      onChanged={onChanged}
    />
  );
}

/** The "New table" entry point: opens the designer for a new table (in `schema` when given). */
export function NewTableButton({ schema }: { schema?: string }) {
  const openDesigner = useAppStore((s) => s.openDesigner);
  return (
    <button
      type="button"
      className="btn btn-small btn-primary"
      onClick={() => openDesigner({ mode: 'create', schema })}
    >
      New table
    </button>
  );
}

/** Opens the designer on the table selected on the Pipeline page (nothing when none is selected). */
export function EditTableButton() {
  const selected = useAppStore((s) => s.pipeline.selected);
  const openDesigner = useAppStore((s) => s.openDesigner);
  if (!selected) return null;
  return (
    <button type="button" className="btn btn-small" onClick={() => openDesigner({ mode: 'edit', table: selected })}>
      Edit {selected}
    </button>
  );
}
