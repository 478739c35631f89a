import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../../components/error-message';
import { useAppStore } from '../../stores/use-app-store';
import { PipelineEmpty } from './pipeline-empty';
import { SchemaTables } from './schema-tables';
import { TableDetails } from './table-details';

function summary(schemas: number, tables: number): string {
  return `${schemas} ${schemas === 1 ? 'schema' : 'schemas'}, ${tables} ${tables === 1 ? 'table' : 'tables'}`;
}

/** The schemas and tables of the open connection, and the selected table's heading. */
export function PipelineScreen({ connectionId }: { connectionId: string }) {
  const pipeline = useAppStore(
    useShallow((s) => ({
      connectionId: s.pipeline.connectionId,
      status: s.pipeline.status,
      info: s.pipeline.info,
      error: s.pipeline.error,
    })),
  );
  const loadPipeline = useAppStore((s) => s.loadPipeline);
  useEffect(() => {
    void loadPipeline(connectionId);
  }, [connectionId, loadPipeline]);

  const isMine = pipeline.connectionId === connectionId;
  const info = isMine ? pipeline.info : null;
  const schemas = info ? Object.values(info.schemas) : [];
  const tableCount = schemas.reduce((n, s) => n + s.tables.length, 0);
  const isLoading = !isMine || pipeline.status === 'loading';
  const refresh = () => void loadPipeline(connectionId, { force: true });

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Pipeline</h1>
          <p>{info ? summary(schemas.length, tableCount) : 'Schemas and tables of the open database.'}</p>
        </div>
        <button type="button" className="btn btn-small" onClick={refresh} disabled={isLoading}>
          {isLoading && info ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {isMine && pipeline.status === 'error' && pipeline.error && (
        <ErrorMessage
          error={pipeline.error}
          action={
            <button type="button" className="btn btn-small" onClick={refresh}>
              Try again
            </button>
          }
        />
      )}
      {isLoading && !info && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the schemas and tables…
        </p>
      )}
      {info && schemas.length === 0 && <PipelineEmpty dialect={info.dialect} />}
      {info && schemas.length > 0 && (
        <div className="pipeline-layout">
          <div className="schemas">
            {schemas.map((s) => (
              <SchemaTables key={s.database} schema={s} />
            ))}
          </div>
          <TableDetails />
        </div>
      )}
    </div>
  );
}
