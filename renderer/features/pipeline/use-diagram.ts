import { applyNodeChanges, useReactFlow, type FinalConnectionState, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { useLayoutStore } from '../../stores/layout-store';
import { useAppStore } from '../../stores/use-app-store';
import { carryOver, toFlowNodes, type FlowNode, type NodeInputs } from './flow-elements';
import { useLayoutMemory } from './layout-store';
import { buildGraph, schemaOf, searchTables, visibleSchemas, type DiagramGraph } from './graph-model';
import { nodeSize } from './layout';

/** The graph to draw for the user's current view (schemas, tiers, collapsed schemas). */
export function useViewGraph(info: PipelineInfo): { graph: DiagramGraph; schemas: string[] } {
  const schemas = useAppStore((s) => s.pipeline.schemas);
  const hiddenTiers = useAppStore((s) => s.pipeline.hiddenTiers);
  const collapsed = useAppStore((s) => s.pipeline.collapsed);
  return useMemo(() => {
    const view = { schemas, hiddenTiers, collapsed };
    return { graph: buildGraph(info, view), schemas: visibleSchemas(info, view) };
  }, [info, schemas, hiddenTiers, collapsed]);
}

/** Search state: the query, its matches, and the match in focus (Enter moves to the next). */
export function useSearch(graph: DiagramGraph) {
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

/** React Flow's nodes for the graph, rebuilt when their inputs change, moved by React Flow while dragged. */
export function useFlowNodes(graph: DiagramGraph, inputs: NodeInputs) {
  const { positions, moved, progress, matches, selected, affected, badges } = inputs;
  const derived = useMemo(
    () => toFlowNodes(graph, { positions, moved, progress, matches, selected, affected, badges }),
    [graph, positions, moved, progress, matches, selected, affected, badges],
  );
  // state adjusted while rendering (not in an effect): the first commit already holds every node, so
  // React mounts them with their container instead of inserting 500 nodes one by one into an empty one
  const [nodes, setNodes] = useState<FlowNode[]>(derived);
  const [from, setFrom] = useState(derived);
  if (from !== derived) {
    setFrom(derived);
    setNodes((previous) => carryOver(previous, derived));
  }
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)),
    [],
  );
  return { nodes, onNodesChange };
}

/** Fits each new layout into view, brings the selected table and the search's match into view. */
export function useViewportFollow(revision: string, selected: string | null, match: string | null): void {
  const flow = useReactFlow();
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.25 }));
    return () => cancelAnimationFrame(frame);
  }, [revision, flow]);
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
    if (match) void flow.fitView({ nodes: [{ id: match }], maxZoom: 1.25, duration: 250 });
  }, [match, flow]);
}

/** The two ways from the diagram to the designer: dropping a drag from a table, and "New table". */
export function useDesignerHandOffs(schemas: readonly string[]) {
  const flow = useReactFlow();
  const openDesigner = useAppStore((s) => s.openDesigner);
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
  return { onConnectEnd, newTable };
}

/** Shows the chosen schemas (null: all) and remembers the choice for this database. */
export function useShowSchemas(connectionUrl: string) {
  const showSchemas = useAppStore((s) => s.showSchemas);
  const chooseSchemas = useLayoutMemory((s) => s.chooseSchemas);
  return useCallback(
    (schemas: string[] | null) => {
      showSchemas(schemas);
      chooseSchemas(connectionUrl, schemas);
    },
    [connectionUrl, showSchemas, chooseSchemas],
  );
}

/**
 * A table the designer created from a drag lands where the drag was dropped: its point (left by the
 * designer) becomes the node's remembered position, centred on the point, once the node exists.
 */
export function usePendingPlacement(graph: DiagramGraph, layoutKey: string): void {
  const pending = useLayoutStore((s) => s.pendingPositions);
  const take = useLayoutStore((s) => s.takePendingPosition);
  const remember = useLayoutMemory((s) => s.move);
  useEffect(() => {
    for (const n of graph.nodes) {
      if (!pending[n.key]) continue;
      const point = take(n.key)!;
      const { width, height } = nodeSize(n);
      remember(layoutKey, n.key, { x: Math.round(point.x - width / 2), y: Math.round(point.y - height / 2) });
    }
  }, [graph, pending, take, remember, layoutKey]);
}
