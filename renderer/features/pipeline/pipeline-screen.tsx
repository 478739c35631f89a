import { useEffect } from 'react';
import { useApiQuery, useLiveWatch } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { selectCurrentConnection } from '../../stores/selectors';
import { useAppStore } from '../../stores/use-app-store';
import { PipelineDiagram } from './pipeline-diagram';
import { PipelineEmpty } from './pipeline-empty';
import { TablePanel } from './table-panel';

function summary(schemas: number, tables: number): string {
  return `${schemas} ${schemas === 1 ? 'schema' : 'schemas'}, ${tables} ${tables === 1 ? 'table' : 'tables'}`;
}

/**
 * The pipeline of the open connection as a live diagram. Rows and tables written by other clients
 * (the CLI, DataJoint Python) arrive through useLiveWatch's events, without a Refresh button.
 */
export function PipelineScreen({ connectionId }: { connectionId: string }) {
  const viewConnection = useAppStore((s) => s.viewConnection);
  const connection = useAppStore(selectCurrentConnection);
  useEffect(() => viewConnection(connectionId), [connectionId, viewConnection]);
  // the start of `npm run bench -- diagram-500`'s figure (opening the diagram -> every node drawn)
  useEffect(() => void performance.mark('joinery:pipeline-opened'), []);
  // every schema once (for the schema menu); then, when the user chose a few, only those are read
  // and refreshed: a lab's server may hold many other databases
  const chosen = useAppStore((s) => s.pipeline.schemas);
  const q = useApiQuery('pipeline.inspect', { connectionId }, { enabled: chosen === null });
  const part = useApiQuery(
    'pipeline.inspect',
    { connectionId, schemas: chosen ?? [] },
    { enabled: chosen !== null && chosen.length > 0 },
  );
  const info = chosen === null ? q.data : (part.data ?? q.data);
  // watching starts once the first picture is in (its first poll would slow the first inspect down),
  // and covers only the schemas shown when the user chose a few
  useLiveWatch(q.data ? connectionId : null, 2000, chosen ?? undefined);

  const schemas = q.data ? Object.values(q.data.schemas) : [];
  const tableCount = schemas.reduce((n, s) => n + s.tables.length, 0);
  return (
    <div className="page page-diagram">
      <div className="page-head">
        <div>
          <h1>Pipeline</h1>
          <p>{q.data ? summary(schemas.length, tableCount) : 'Schemas and tables of the open database.'}</p>
        </div>
        {(q.isFetching || part.isFetching) && q.data && (
          <span className="faint" role="status">
            Updating…
          </span>
        )}
      </div>
      {q.isPending && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the schemas and tables…
        </p>
      )}
      {q.isError && (
        <ErrorMessage
          error={toErrorData(q.error)}
          action={
            <button type="button" className="btn btn-small" onClick={() => void q.refetch()}>
              Try again
            </button>
          }
        />
      )}
      {q.data && tableCount === 0 && (
        <PipelineEmpty
          dialect={q.data.dialect}
          schemas={schemas.map((s) => s.database)}
          connectionUrl={connection?.url ?? ''}
        />
      )}
      {q.data && tableCount > 0 && (
        <div className="diagram-layout">
          <PipelineDiagram
            info={info ?? q.data}
            catalog={q.data}
            connectionId={connectionId}
            connectionUrl={connection?.url ?? connectionId}
          />
          <TablePanel info={info ?? q.data} connectionId={connectionId} />
        </div>
      )}
    </div>
  );
}
