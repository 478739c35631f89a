import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { ErrorMessage } from '../../components/error-message';
import { TierBadge } from '../../components/tier-badge';
import { useApiQuery } from '../../api/hooks';
import { toErrorData } from '../../lib/app-errors';
import { useAppStore } from '../../stores/use-app-store';
import { AttributeTable } from './attribute-table';
import { DataPreview } from './data-preview';
import { ForeignKeyList } from './foreign-key-list';
import { tableKey } from './graph-model';
import { ConventionsLabel } from '../../components/conventions-label';

/** The table `key` names in `info`, or null. */
export function findTable(info: PipelineInfo, key: string | null): TableInfo | null {
  if (key === null) return null;
  for (const schema of Object.values(info.schemas)) {
    const t = schema.tables.find((x) => tableKey(schema.database, x.table_name) === key);
    if (t) return t;
  }
  return null;
}

function Definition({ connectionId, table }: { connectionId: string; table: TableInfo }) {
  const q = useApiQuery('table.describe', { connectionId, schema: table.schema, table: table.table_name });
  if (q.isPending) return <p className="muted">Reading the definition…</p>;
  if (q.isError) return <ErrorMessage error={toErrorData(q.error)} />;
  return <pre className="code-block definition">{q.data.definition}</pre>;
}

/** The selected table: heading, foreign keys, definition and a few rows, with the ways on (browse, edit). */
export function TablePanel({ info, connectionId }: { info: PipelineInfo; connectionId: string }) {
  const key = useAppStore((s) => s.pipeline.selected);
  const selectTable = useAppStore((s) => s.selectTable);
  const browseTable = useAppStore((s) => s.browseTable);
  const openDesigner = useAppStore((s) => s.openDesigner);
  const table = findTable(info, key);
  if (!table || key === null) return null;
  const classOf = (k: string) => findTable(info, k)?.class_name ?? null;
  const hidden = table.attributes.filter((a) => a.hidden).length;
  return (
    <aside className="table-panel" aria-labelledby="panel-title">
      <div className="details-head">
        <div className="details-title">
          <h2 id="panel-title">{table.class_name}</h2>
          <TierBadge tier={table.tier} />
          <button
            type="button"
            className="btn btn-small panel-close"
            aria-label="Close"
            onClick={() => selectTable(null)}
          >
            ×
          </button>
        </div>
        <span className="details-sub">
          {key} · {table.row_count.toLocaleString('en-US')} {table.row_count === 1 ? 'row' : 'rows'} ·{' '}
          <ConventionsLabel conventions={info.schemas[table.schema]?.conventions ?? '0.14'} />
        </span>
        {table.table_comment && <p className="details-comment">{table.table_comment}</p>}
        {table.master && <p className="muted">Part of {classOf(table.master) ?? table.master}</p>}
        <div className="panel-actions">
          <button type="button" className="btn btn-small btn-primary" onClick={() => browseTable(key)}>
            Browse data
          </button>
          <button
            type="button"
            className="btn btn-small"
            aria-label={`Edit ${key}`}
            onClick={() => openDesigner({ mode: 'edit', table: key, schema: table.schema })}
          >
            Edit
          </button>
        </div>
      </div>
      <section aria-labelledby="attrs-title">
        <h3 id="attrs-title">Attributes</h3>
        <AttributeTable attributes={table.attributes} />
        {hidden > 0 && (
          <p className="faint">
            {hidden} hidden {hidden === 1 ? 'attribute' : 'attributes'} not shown.
          </p>
        )}
      </section>
      <section aria-labelledby="fks-title">
        <h3 id="fks-title">Foreign keys</h3>
        <ForeignKeyList foreignKeys={table.foreign_keys} classOf={classOf} />
      </section>
      <section aria-labelledby="definition-title">
        <h3 id="definition-title">Definition</h3>
        <Definition connectionId={connectionId} table={table} />
      </section>
      <section aria-labelledby="preview-title">
        <h3 id="preview-title">Data</h3>
        <DataPreview connectionId={connectionId} table={table} />
      </section>
    </aside>
  );
}
