import { TierBadge } from '../../components/tier-badge';
import { selectSelectedTable } from '../../stores/selectors';
import { useAppStore } from '../../stores/use-app-store';
import { AttributeTable } from './attribute-table';
import { ForeignKeyList } from './foreign-key-list';

/** The selected table's heading and foreign keys; a hint when nothing is selected. */
export function TableDetails() {
  const table = useAppStore(selectSelectedTable);
  if (!table) {
    return (
      <aside className="card details details-empty" aria-label="Table details">
        <strong>No table selected</strong>
        <span>Select a table to see its attributes and foreign keys.</span>
      </aside>
    );
  }
  const hidden = table.attributes.filter((a) => a.hidden).length;
  return (
    <aside className="card details" aria-labelledby="details-title">
      <div className="details-head">
        <div className="details-title">
          <h2 id="details-title">{table.class_name}</h2>
          <TierBadge tier={table.tier} />
        </div>
        <span className="details-sub">
          {table.schema}.{table.table_name} · {table.row_count.toLocaleString()}{' '}
          {table.row_count === 1 ? 'row' : 'rows'}
        </span>
        {table.table_comment && <p className="details-comment">{table.table_comment}</p>}
        {table.master && <p className="muted">Part of {table.master}</p>}
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
        <ForeignKeyList foreignKeys={table.foreign_keys} />
      </section>
    </aside>
  );
}
