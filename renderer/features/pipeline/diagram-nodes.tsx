import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { TableProgress } from '../../api/table-progress';
import type { SchemaNodeData, TableNodeData } from './graph-model';
import { nodeSize } from './layout';

/** A table node's data as drawn: the table plus live progress and search state. */
export interface TableNodeView extends TableNodeData {
  progress?: TableProgress;
  match: 'none' | 'match' | 'dimmed';
  /** Part of the migration being planned, or of the jobs plan shown. */
  affected?: boolean;
  /** What the highlight means for this table (e.g. "+12 jobs"). */
  note?: string;
}
export type TableFlowNode = Node<TableNodeView, 'table'>;
export type SchemaFlowNode = Node<SchemaNodeData, 'schema'>;

// one formatter for every node: toLocaleString builds a new one per call (measurable over 500 nodes)
const NUMBER = new Intl.NumberFormat('en-US');
const count = (n: number) => NUMBER.format(n);
const rows = (n: number) => `${count(n)} ${n === 1 ? 'row' : 'rows'}`;

/** Pending / running / error counts of an auto-populated table (nothing when all is done), and the highlight's note. */
function Badges({ p, note }: { p: TableProgress | undefined; note: string | undefined }) {
  if (!p && !note) return null;
  return (
    <span className="dj-badges">
      {note && (
        <span className="dj-badge dj-badge-note" data-note={note}>
          {note}
        </span>
      )}
      {p && p.pending > 0 && (
        <span className="dj-badge dj-badge-pending" title={`${count(p.pending)} keys waiting to be populated`}>
          {count(p.pending)} pending
        </span>
      )}
      {p && p.running + p.reserved > 0 && (
        <span className="dj-badge dj-badge-running" title="Keys being computed now">
          {count(Math.max(p.running, p.reserved))} running
        </span>
      )}
      {p && p.error > 0 && (
        <span className="dj-badge dj-badge-error" title={`${count(p.error)} keys failed; see Jobs`}>
          {count(p.error)} error
        </span>
      )}
    </span>
  );
}

/**
 * One table in dj.Diagram's style: Manual green and Lookup grey rectangles, Imported blue and Computed
 * red ellipses, Part small plain text. The React Flow wrapper carries the data-table hooks.
 */
export const TableNode = memo(function TableNode({ data, selected }: NodeProps<TableFlowNode>) {
  const size = nodeSize(data);
  const auto = data.tier === 'Imported' || data.tier === 'Computed';
  const classes = ['dj-node', `dj-${data.tier ?? 'none'}`, selected ? 'is-selected' : '', `is-${data.match}`];
  if (data.affected) classes.push('is-affected');
  return (
    <div className={classes.join(' ')} style={{ width: size.width, minHeight: size.height }}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="dj-name">{data.className}</span>
      {data.tier !== 'Part' && <span className="dj-meta">{rows(data.rowCount)}</span>}
      <Badges p={auto ? data.progress : undefined} note={data.note} />
      <Handle
        type="source"
        position={Position.Bottom}
        title={`Drag to empty space to design a new child of ${data.className}`}
      />
    </div>
  );
});

/** A collapsed schema: one node standing for its tables; clicking it opens the schema again. */
export const SchemaNode = memo(function SchemaNode({ data, selected }: NodeProps<SchemaFlowNode>) {
  const size = nodeSize(data);
  return (
    <div
      className={`dj-schema-node${selected ? ' is-selected' : ''}`}
      style={{ width: size.width, height: size.height }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="dj-name">{data.schema}</span>
      <span className="dj-meta">
        {data.tableCount} {data.tableCount === 1 ? 'table' : 'tables'} · {rows(data.rowCount)} · collapsed
      </span>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

export const NODE_TYPES = { table: TableNode, schema: SchemaNode };
