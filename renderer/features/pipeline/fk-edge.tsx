import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FkEdgeData } from './graph-model';

export type FkFlowEdge = Edge<FkEdgeData, 'fk'>;

/**
 * A foreign key as dj.Diagram draws it: solid when it is part of the child's primary key, dashed
 * when secondary; a renamed FK (`.proj(new='old')`) carries an orange dot showing the rename on hover.
 * The <g> carries the fixed hooks data-edge and data-primary (ARCHITECTURE §10).
 */
export const FkEdge = memo(function FkEdge(props: EdgeProps<FkFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd } = props;
  // several FKs between the same two tables (SessionPair -> Session twice) are drawn side by side
  const dx = data ? (data.lane - (data.lanes - 1) / 2) * 16 : 0;
  const [path, labelX, labelY] = getBezierPath({
    sourceX: sourceX + dx,
    sourceY,
    targetX: targetX + dx,
    targetY,
    sourcePosition,
    targetPosition,
  });
  if (!data) return null;
  const collapsed = data.primary === null;
  const hooks = collapsed
    ? { 'data-schema-edge': data.dataEdge }
    : { 'data-edge': data.dataEdge, 'data-primary': String(data.primary) };
  const kind = collapsed ? 'dj-edge-schema' : data.primary ? 'dj-edge-primary' : 'dj-edge-secondary';
  return (
    <g className={`dj-edge ${kind}${data.rename ? ' dj-edge-renamed' : ''}`} {...hooks}>
      <BaseEdge path={path} markerEnd={markerEnd} />
      {data.rename && (
        <g className="dj-rename" transform={`translate(${labelX} ${labelY})`}>
          <title>{`Renamed: ${data.rename}`}</title>
          <circle r={6} className="dj-rename-dot" />
          <text className="dj-rename-label" x={10} y={4}>
            {data.rename}
          </text>
        </g>
      )}
    </g>
  );
});

export const EDGE_TYPES = { fk: FkEdge };
