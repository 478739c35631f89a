import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo } from 'react';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { useTableProgress } from '../../api/table-progress';
import { useAppStore } from '../../stores/use-app-store';
import { NODE_TYPES } from './diagram-nodes';
import { DiagramToolbar } from './diagram-toolbar';
import { EDGE_TYPES } from './fk-edge';
import { toFlowEdges, type FlowNode } from './flow-elements';
import { LayoutStatusLine } from './layout-status';
import { pipelineLayoutKey, useLayoutMemory } from './layout-store';
import {
  useDesignerHandOffs,
  useFlowNodes,
  usePendingPlacement,
  useSearch,
  useViewGraph,
  useViewportFollow,
} from './use-diagram';
import { useDiagramLayout } from './use-layout';

const MINIMAP_COLOURS: Record<string, string> = {
  Manual: '#5cb85c',
  Lookup: '#9aa0a8',
  Imported: '#5b7fd6',
  Computed: '#e0603f',
  Part: '#c5c9cf',
};

function minimapColour(n: FlowNode): string {
  return n.type === 'table' ? (MINIMAP_COLOURS[n.data.tier ?? ''] ?? '#c5c9cf') : '#7d8798';
}

interface DiagramProps {
  /** The pipeline to draw (only the chosen schemas when the user chose some). */
  info: PipelineInfo;
  /** Every schema of the connection, for the schema menu. */
  catalog: PipelineInfo;
  /** False while `catalog` holds only the chosen schemas (the full list is read on "Show all"). */
  catalogComplete: boolean;
  onCatalogWanted(): void;
  connectionId: string;
  connectionUrl: string;
  /** Embedded in another page (the migration plan): no toolbar, no drag-to-design. */
  compact?: boolean;
}

function Diagram(props: DiagramProps) {
  const { info, catalog, catalogComplete, connectionId, connectionUrl } = props;
  const { graph, schemas } = useViewGraph(info);
  const layout = useDiagramLayout(graph);
  const layoutKey = pipelineLayoutKey(connectionUrl, schemas);
  const moved = useLayoutMemory((s) => s.moved[layoutKey]);
  const remember = useLayoutMemory((s) => s.move);
  const progress = useTableProgress(connectionId).data;
  const selected = useAppStore((s) => s.pipeline.selected);
  const selectTable = useAppStore((s) => s.selectTable);
  const toggleCollapsed = useAppStore((s) => s.toggleCollapsed);
  const search = useSearch(graph);
  usePendingPlacement(graph, layoutKey);
  const highlight = useAppStore((s) => s.workbench.highlight);
  const highlightTables = useAppStore((s) => s.highlightTables);
  const highlightNote = useAppStore((s) => s.workbench.highlightNote);
  const badges = useAppStore((s) => s.workbench.highlightBadges);
  const affected = useMemo(() => (highlight.length ? new Set(highlight) : null), [highlight]);

  const { nodes, onNodesChange } = useFlowNodes(graph, {
    positions: layout.positions,
    moved,
    progress,
    matches: search.matches,
    selected,
    affected,
    badges,
  });
  const edges = useMemo(() => toFlowEdges(graph), [graph]);
  useViewportFollow(layout.revision, selected, search.current);
  const { onConnectEnd, newTable } = useDesignerHandOffs(schemas);
  // stable on purpose: React Flow calls a new onSelectionChange at once with its current selection,
  // which would reopen a panel just closed
  const onSelectionChange = useCallback(
    ({ nodes: chosen }: { nodes: FlowNode[] }) => {
      if (chosen.length === 1 && chosen[0]!.type === 'table') selectTable(chosen[0]!.id);
    },
    [selectTable],
  );

  return (
    <div className="diagram">
      {!props.compact && (
        <DiagramToolbar
          info={catalog}
          complete={catalogComplete}
          onCatalogWanted={props.onCatalogWanted}
          connectionUrl={connectionUrl}
          search={search}
          layoutKey={layoutKey}
          onNewTable={newTable}
        />
      )}
      {!props.compact && affected && (
        <p className="diagram-highlight" role="status">
          {affected.size} tables highlighted: {highlightNote ?? 'the migration being planned rebuilds them.'}
          <button type="button" className="btn btn-small btn-quiet" onClick={() => highlightTables([])}>
            Clear highlight
          </button>
        </p>
      )}
      <div className="diagram-canvas">
        <ReactFlow<FlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onNodeClick={(_, node) => (node.type === 'schema' ? toggleCollapsed(node.data.schema) : selectTable(node.id))}
          onSelectionChange={onSelectionChange}
          onPaneClick={() => selectTable(null)}
          onNodeDragStop={(_, node) => remember(layoutKey, node.id, node.position)}
          onConnectEnd={onConnectEnd}
          isValidConnection={() => false}
          nodesConnectable={!props.compact}
          minZoom={0.05}
          maxZoom={2.5}
          fitView
          colorMode="system"
          selectNodesOnDrag={false}
          proOptions={{ hideAttribution: true }}
          ariaLabelConfig={{ 'node.a11yDescription.default': 'Press Enter to open the table, arrow keys to move it.' }}
        >
          <Background gap={24} size={1} />
          <Controls position="bottom-left" aria-label="Zoom and fit" />
          {!props.compact && (
            <MiniMap<FlowNode> pannable zoomable nodeColor={minimapColour} ariaLabel="Overview of the whole pipeline" />
          )}
        </ReactFlow>
        {graph.nodes.length === 0 && (
          <p className="diagram-status" role="status">
            No table to show: choose schemas or tiers above.
          </p>
        )}
        <LayoutStatusLine status={layout.status} error={layout.error} tables={graph.nodes.length} />
      </div>
    </div>
  );
}

/** The live diagram of a pipeline: pan, zoom, search, filter; clicking a table selects it. */
export function PipelineDiagram(props: DiagramProps) {
  return (
    <ReactFlowProvider>
      <Diagram {...props} />
    </ReactFlowProvider>
  );
}
