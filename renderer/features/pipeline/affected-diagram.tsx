import { useApiQuery } from '../../api/hooks';
import { selectCurrentConnection } from '../../stores/selectors';
import { useAppStore } from '../../stores/use-app-store';
import { PipelineDiagram } from './pipeline-diagram';

/**
 * The pipeline diagram for another page (the migration plan): the whole pipeline, no toolbar,
 * with the tables of `workbench.highlight` drawn highlighted and the others faded.
 */
export function AffectedDiagram({ connectionId }: { connectionId: string }) {
  const q = useApiQuery('pipeline.inspect', { connectionId, populate: false });
  const connection = useAppStore(selectCurrentConnection);
  if (!q.data) return null;
  return (
    <PipelineDiagram
      compact
      info={q.data}
      catalog={q.data}
      catalogComplete
      onCatalogWanted={() => {}}
      connectionId={connectionId}
      connectionUrl={connection?.url ?? connectionId}
    />
  );
}
