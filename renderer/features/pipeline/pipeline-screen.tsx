import { useEffect, useState } from 'react';
import { useApiQuery, useLiveWatch } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { selectCurrentConnection } from '../../stores/selectors';
import { useAppStore } from '../../stores/use-app-store';
import { PipelineDiagram } from './pipeline-diagram';
import { PipelineEmpty } from './pipeline-empty';
import { TablePanel } from './table-panel';
import { useLayoutMemory } from './layout-store';
import { useShowSchemas } from './use-diagram';

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
  const connectionUrl = connection?.url ?? connectionId;
  // the schemas chosen last time for this database (remembered across reloads)
  const remembered = useLayoutMemory((s) => s.chosenSchemas[connectionUrl]) ?? null;
  const viewFor = useAppStore((s) => s.pipeline.connectionId);
  const current = useAppStore((s) => s.pipeline.schemas);
  const chosen = viewFor === connectionId ? current : remembered;
  // `remembered` seeds a fresh view only; later choices go through useShowSchemas
  useEffect(() => viewConnection(connectionId, remembered), [connectionId, viewConnection, remembered]);
  // the start of `npm run bench -- diagram-500`'s figure (opening the diagram -> every node drawn)
  useEffect(() => void performance.mark('joinery:pipeline-opened'), []);
  // every schema once (for the schema menu); then, when the user chose a few, only those are read
  // and refreshed: a lab's server may hold many other databases
  // with schemas chosen, the full list is read only when the schema menu is opened
  const [wantCatalog, setWantCatalog] = useState(false);
  // populate: false: the badges come from jobs.pending (useTableProgress), so inspect skips a key
  // source query per auto-populated table; the other screens ask the same, sharing this cache entry
  const q = useApiQuery(
    'pipeline.inspect',
    { connectionId, populate: false },
    { enabled: chosen === null || wantCatalog },
  );
  const part = useApiQuery(
    'pipeline.inspect',
    { connectionId, schemas: chosen ?? [], populate: false },
    { enabled: chosen !== null && chosen.length > 0 },
  );
  const info =
    chosen === null ? q.data : chosen.length === 0 && q.data ? { ...q.data, schemas: {} } : (part.data ?? q.data);
  const showSchemas = useShowSchemas(connectionUrl);
  // watching starts once the first picture is in (its first poll would slow the first inspect down),
  // and covers only the schemas shown when the user chose a few
  useLiveWatch(q.data ? connectionId : null, 2000, chosen ?? undefined);

  const catalog = q.data ?? info;
  const schemas = catalog ? Object.values(catalog.schemas) : [];
  const tableCount = schemas.reduce((n, s) => n + s.tables.length, 0);
  return (
    <div className="page page-diagram">
      <div className="page-head">
        <div>
          <h1>Pipeline</h1>
          <p>{catalog ? summary(schemas.length, tableCount) : 'Schemas and tables of the open database.'}</p>
        </div>
        {(q.isFetching || part.isFetching) && catalog && (
          <span className="faint" role="status">
            Updating…
          </span>
        )}
      </div>
      {!catalog && !q.isError && !part.isError && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the schemas and tables…
        </p>
      )}
      {(q.isError || part.isError) && (
        <ErrorMessage
          error={toErrorData(q.error ?? part.error)}
          action={
            <>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void (chosen === null ? q.refetch() : part.refetch())}
              >
                Try again
              </button>
              {chosen !== null && (
                <button type="button" className="btn btn-small" onClick={() => showSchemas(null)}>
                  Show all schemas
                </button>
              )}
            </>
          }
        />
      )}
      {catalog && tableCount === 0 && chosen === null && (
        <PipelineEmpty
          dialect={catalog.dialect}
          schemas={schemas.map((s) => s.database)}
          connectionUrl={connection?.url ?? ''}
        />
      )}
      {catalog && info && (tableCount > 0 || chosen !== null) && (
        <div className="diagram-layout">
          <PipelineDiagram
            info={info}
            catalog={catalog}
            catalogComplete={q.data !== undefined}
            onCatalogWanted={() => setWantCatalog(true)}
            connectionId={connectionId}
            connectionUrl={connectionUrl}
          />
          <TablePanel info={info} connectionId={connectionId} />
        </div>
      )}
    </div>
  );
}
