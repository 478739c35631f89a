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
