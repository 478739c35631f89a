import type { SchemaInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { TierBadge } from '../../components/tier-badge';
import { tableKey } from '../../stores/pipeline-slice';
import { useAppStore } from '../../stores/use-app-store';
import { orderForDisplay } from './table-order';

const formatCount = (n: number) => n.toLocaleString();

function TableRow({ schema, table }: { schema: string; table: TableInfo }) {
  const key = tableKey(schema, table.table_name);
  const isSelected = useAppStore((s) => s.pipeline.selected === key);
  const selectTable = useAppStore((s) => s.selectTable);
  const classes = ['table-row', isSelected ? 'selected' : '', table.tier === 'Part' ? 'part' : '']
    .filter(Boolean)
    .join(' ');
  return (
    // the row is a large click target for the mouse; the button is the keyboard and screen-reader entry
    <tr className={classes} onClick={() => selectTable(key)}>
      <td className="class-cell" title={`${table.class_name} (${table.table_name})`}>
        <button
          type="button"
          className="table-entry"
          data-table={key}
          {...(table.tier ? { 'data-tier': table.tier } : {})}
          aria-current={isSelected ? 'true' : undefined}
          onClick={(e) => {
            e.stopPropagation();
            selectTable(key);
          }}
        >
          {table.class_name}
        </button>
        <span className="table-name">{table.table_name}</span>
      </td>
      <td className="tier-cell">
        <TierBadge tier={table.tier} />
      </td>
      <td className="num">{formatCount(table.row_count)}</td>
      <td className="comment" title={table.table_comment || undefined}>
        {table.table_comment}
      </td>
    </tr>
  );
}

/** One schema: its tables in dependency order, parts indented under their masters. */
export function SchemaTables({ schema }: { schema: SchemaInfo }) {
  const headingId = `schema-${schema.database}`;
  const n = schema.tables.length;
  return (
    <section className="card schema" aria-labelledby={headingId}>
      <div className="schema-head">
        <h2 id={headingId}>{schema.database}</h2>
        <span className="count">{n === 1 ? '1 table' : `${n} tables`}</span>
      </div>
      {n === 0 ? (
        <p className="schema-empty">This schema has no tables yet.</p>
      ) : (
        <table className="grid table-list">
          <colgroup>
            <col className="col-class" />
            <col className="col-tier" />
            <col className="col-rows" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Class and table name</th>
              <th scope="col">Tier</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            {orderForDisplay(schema.tables).map((t) => (
              <TableRow key={t.table_name} schema={schema.database} table={t} />
            ))}
          </tbody>
        </table>
      )}
      {schema.hidden_tables.length > 0 && (
        <p className="schema-foot">Hidden tables: {schema.hidden_tables.join(', ')}</p>
      )}
    </section>
  );
}
