import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type FinalConnectionState,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { useTableProgress } from '../../api/table-progress';
import { useAppStore } from '../../stores/use-app-store';
import { NODE_TYPES } from './diagram-nodes';
import { DiagramToolbar } from './diagram-toolbar';
import { EDGE_TYPES } from './fk-edge';
import { carryOver, toFlowEdges, toFlowNodes, type FlowNode } from './flow-elements';
import { buildGraph, schemaOf, searchTables, visibleSchemas, type DiagramGraph } from './graph-model';
import { LayoutStatusLine } from './layout-status';
import { pipelineLayoutKey, useLayoutMemory } from './layout-store';
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

/** The graph to draw for the user's current view (schemas, tiers, collapsed schemas). */
function useViewGraph(info: PipelineInfo): { graph: DiagramGraph; schemas: string[] } {
  const schemas = useAppStore((s) => s.pipeline.schemas);
  const hiddenTiers = useAppStore((s) => s.pipeline.hiddenTiers);
  const collapsed = useAppStore((s) => s.pipeline.collapsed);
  return useMemo(() => {
    const view = { schemas, hiddenTiers, collapsed };
    return { graph: buildGraph(info, view), schemas: visibleSchemas(info, view) };
  }, [info, schemas, hiddenTiers, collapsed]);
}

/** Search state: the query, its matches, and the match in focus (Enter moves to the next). */
function useSearch(graph: DiagramGraph) {
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const found = useMemo(() => searchTables(graph, query), [graph, query]);
  const matches = useMemo(() => (query.trim() === '' ? null : new Set(found)), [found, query]);
  const current = found.length ? found[cursor % found.length]! : null;
  return {
    query,
    setQuery: (q: string) => {
      setQuery(q);
      setCursor(0);
    },
    next: () => setCursor((c) => c + 1),
    found,
    matches,
    current,
  };
}

interface DiagramProps {
  info: PipelineInfo;
  connectionId: string;
  connectionUrl: string;
}

function Diagram({ info, connectionId, connectionUrl }: DiagramProps) {
  const { graph, schemas } = useViewGraph(info);
  const layout = useDiagramLayout(graph);
  const layoutKey = pipelineLayoutKey(connectionUrl, schemas);
  const moved = useLayoutMemory((s) => s.moved[layoutKey]);
  const remember = useLayoutMemory((s) => s.move);
  const progress = useTableProgress(connectionId).data;
  const selected = useAppStore((s) => s.pipeline.selected);
  const selectTable = useAppStore((s) => s.selectTable);
  const toggleCollapsed = useAppStore((s) => s.toggleCollapsed);
  const openDesigner = useAppStore((s) => s.openDesigner);
  const search = useSearch(graph);
  const flow = useReactFlow();

  const derived = useMemo(
    () => toFlowNodes(graph, { positions: layout.positions, moved, progress, matches: search.matches, selected }),
    [graph, layout.positions, moved, progress, search.matches, selected],
  );
  const edges = useMemo(() => toFlowEdges(graph), [graph]);
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  useEffect(() => setNodes((previous) => carryOver(previous, derived)), [derived]);
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)),
    [],
  );

  // a new layout (the quick one, then ELK's) is fitted into view once its nodes are drawn
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.25 }));
    return () => cancelAnimationFrame(frame);
  }, [layout.revision, flow]);
  // the panel narrows the canvas: bring the chosen table into view, keeping the zoom
  useEffect(() => {
    if (selected === null) return;
    const frame = requestAnimationFrame(() => {
      const node = flow.getInternalNode(selected);
      if (!node) return;
      const { x, y } = node.internals.positionAbsolute;
      const { width = 0, height = 0 } = node.measured;
      void flow.setCenter(x + width / 2, y + height / 2, { zoom: flow.getZoom(), duration: 200 });
    });
    return () => cancelAnimationFrame(frame);
  }, [selected, flow]);
  useEffect(() => {
    if (search.current) void flow.fitView({ nodes: [{ id: search.current }], maxZoom: 1.25, duration: 250 });
  }, [search.current, flow]);

  // stable on purpose: React Flow calls a new onSelectionChange at once with its current selection,
  // which would reopen a panel just closed
  const onSelectionChange = useCallback(
    ({ nodes: chosen }: { nodes: FlowNode[] }) => {
      if (chosen.length === 1 && chosen[0]!.type === 'table') selectTable(chosen[0]!.id);
    },
    [selectTable],
  );
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || state.fromNode.type !== 'table') return;
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const position = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      const parent = state.fromNode.id;
      openDesigner({ mode: 'create', parent, schema: schemaOf(parent), position });
    },
    [flow, openDesigner],
  );

  const newTable = () => {
    const box = document.querySelector('.react-flow')?.getBoundingClientRect();
    const position = box
      ? flow.screenToFlowPosition({ x: box.x + box.width / 2, y: box.y + box.height / 2 })
      : undefined;
    openDesigner({ mode: 'create', ...(schemas[0] ? { schema: schemas[0] } : {}), ...(position ? { position } : {}) });
  };

  return (
    <div className="diagram">
      <DiagramToolbar info={info} search={search} layoutKey={layoutKey} onNewTable={newTable} />
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
          nodesConnectable
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
          <MiniMap<FlowNode> pannable zoomable nodeColor={minimapColour} ariaLabel="Overview of the whole pipeline" />
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
