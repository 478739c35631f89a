import type { TableProgress } from '../../api/table-progress';
import type { SchemaFlowNode, TableFlowNode } from './diagram-nodes';
import type { FkFlowEdge } from './fk-edge';
import type { DiagramGraph } from './graph-model';
import { nodeSize, type Point } from './layout';

export type FlowNode = TableFlowNode | SchemaFlowNode;

/** What the drawn nodes depend on besides the graph. */
export interface NodeInputs {
  positions: Record<string, Point>;
  moved: Record<string, Point> | undefined;
  progress: ReadonlyMap<string, TableProgress> | undefined;
  /** Keys matching the search; null when nothing is searched. */
  matches: ReadonlySet<string> | null;
  selected: string | null;
  /** Keys of tables a migration being planned affects (workbench.highlight); null: none. */
  affected?: ReadonlySet<string> | null;
  /** A label per highlighted table (workbench.highlightBadges). */
  badges?: Readonly<Record<string, string>>;
}

/** React Flow nodes for the graph: user-dragged positions first, then the layout's. */
export function toFlowNodes(graph: DiagramGraph, inputs: NodeInputs): FlowNode[] {
  return graph.nodes.map((n): FlowNode => {
    const position = inputs.moved?.[n.key] ?? inputs.positions[n.key] ?? { x: 0, y: 0 };
    const size = nodeSize(n);
    const common = { id: n.key, position, selected: n.key === inputs.selected, width: size.width, height: size.height };
    if (n.kind === 'schema') return { ...common, type: 'schema', data: n, ariaLabel: `Schema ${n.schema}, collapsed` };
    const affected = inputs.affected?.has(n.key) ?? false;
    // a search wins; otherwise a migration's affected tables stand out and the rest fade
    const match =
      inputs.matches !== null
        ? inputs.matches.has(n.key)
          ? 'match'
          : 'dimmed'
        : !inputs.affected || affected
          ? 'none'
          : 'dimmed';
    return {
      ...common,
      type: 'table',
      data: {
        ...n,
        match,
        affected,
        ...(affected && inputs.badges?.[n.key] ? { note: inputs.badges[n.key] } : {}),
        ...(inputs.progress?.get(n.key) ? { progress: inputs.progress.get(n.key)! } : {}),
      },
      ariaRole: 'button',
      ariaLabel: n.className,
      // the fixed hooks of ARCHITECTURE §10 on the element that carries the accessible name
      domAttributes: {
        'data-table': n.key,
        ...(n.tier ? { 'data-tier': n.tier } : {}),
        ...(affected ? { 'data-affected': 'true' } : {}),
      } as Record<string, string>,
    };
  });
}

/** React Flow edges for the graph, drawn by FkEdge. */
export function toFlowEdges(graph: DiagramGraph): FkFlowEdge[] {
  return graph.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'fk',
    data: e.data,
    focusable: false,
    selectable: false,
  }));
}

const shallowEqual = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/** True when `next` draws exactly like `old` (same place, selection and data). */
function drawsLike(old: FlowNode, next: FlowNode): boolean {
  return (
    old.type === next.type &&
    old.position.x === next.position.x &&
    old.position.y === next.position.y &&
    Boolean(old.selected) === Boolean(next.selected) &&
    shallowEqual(old.data, next.data)
  );
}

/**
 * Rebuilt nodes, keeping what React Flow learnt about each (its measured size) and the very same
 * object for a node that did not change, so a new row count redraws one node, not 500.
 */
export function carryOver(previous: readonly FlowNode[], next: FlowNode[]): FlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n] as const));
  return next.map((n) => {
    const old = before.get(n.id);
    if (!old) return n;
    if (drawsLike(old, n)) return old;
    return old.measured ? ({ ...n, measured: old.measured } as FlowNode) : n;
  });
}
