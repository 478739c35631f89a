import type { DiagramGraph, DiagramNodeData } from './graph-model';

/** A point in diagram coordinates (React Flow's, top-left of a node). */
export interface Point {
  x: number;
  y: number;
}

/** The size a node is drawn at; the layout reserves it, the node component keeps to it. */
export function nodeSize(n: DiagramNodeData): { width: number; height: number } {
  if (n.kind === 'schema') return { width: Math.max(160, n.schema.length * 8 + 60), height: 56 };
  const chars = n.className.length;
  if (n.tier === 'Part') return { width: Math.max(70, chars * 6.6 + 20), height: 26 };
  const ellipse = n.tier === 'Imported' || n.tier === 'Computed';
  return { width: Math.max(ellipse ? 150 : 96, chars * 7.6 + (ellipse ? 64 : 36)), height: ellipse ? 64 : 44 };
}

/** ELK's JSON graph, the subset the layout uses. */
export interface ElkGraph {
  id: string;
  layoutOptions: Record<string, string>;
  children: { id: string; width: number; height: number; x?: number; y?: number }[];
  edges: { id: string; sources: string[]; targets: string[] }[];
}

/** ELK's layered algorithm, top-down as dj.Diagram draws a pipeline (parents above children). */
export const LAYERED_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.componentComponent': '48',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  // measured on the 500-table bench pipeline: these three cut ELK's time by about 3x; the edges are
  // drawn by React Flow, so ELK's (costlier, orthogonal) edge routes are never used anyway
  'elk.layered.thoroughness': '1',
  'elk.layered.considerModelOrder.strategy': 'NONE',
  'elk.edgeRouting': 'POLYLINE',
};

/** The graph handed to the layout worker: every node with its size, every edge parent -> child. */
export function toElkGraph(graph: DiagramGraph): ElkGraph {
  const ids = new Set(graph.nodes.map((n) => n.key));
  return {
    id: 'root',
    layoutOptions: LAYERED_OPTIONS,
    children: graph.nodes.map((n) => ({ id: n.key, ...nodeSize(n) })),
    edges: graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

/** Node positions out of ELK's laid-out graph. */
export function positionsOf(laidOut: Pick<ElkGraph, 'children'>): Record<string, Point> {
  const out: Record<string, Point> = {};
  for (const c of laidOut.children) out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  return out;
}

/** A stable text for a graph's shape, so the layout reruns only when nodes or edges change (not row counts). */
export function layoutSignature(graph: DiagramGraph): string {
  return `${graph.nodes.map((n) => n.key).join('|')}#${graph.edges.map((e) => `${e.source}>${e.target}`).join('|')}`;
}

/** Messages between the diagram and its layout worker. */
export interface LayoutRequest {
  id: number;
  graph: ElkGraph;
}
export type LayoutResponse = { id: number; positions: Record<string, Point> } | { id: number; error: string };

/**
 * A first picture drawn at once, while ELK works in its worker: each node in the row of its longest
 * path from a root (parents above children), rows centred. O(nodes + edges), so 500 tables appear
 * immediately; ELK's layout (fewer crossings) replaces it when it arrives.
 */
export function quickLayout(graph: DiagramGraph): Record<string, Point> {
  const depth = new Map<string, number>(graph.nodes.map((n) => [n.key, 0] as const));
  const children = new Map<string, string[]>();
  const indegree = new Map<string, number>(graph.nodes.map((n) => [n.key, 0] as const));
  for (const e of graph.edges) {
    if (!depth.has(e.source) || !depth.has(e.target) || e.source === e.target) continue;
    children.set(e.source, [...(children.get(e.source) ?? []), e.target]);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  const queue = graph.nodes.map((n) => n.key).filter((k) => indegree.get(k) === 0);
  for (let i = 0; i < queue.length; i++) {
    const k = queue[i]!;
    for (const c of children.get(k) ?? []) {
      depth.set(c, Math.max(depth.get(c)!, depth.get(k)! + 1));
      indegree.set(c, indegree.get(c)! - 1);
      if (indegree.get(c) === 0) queue.push(c);
    }
  }
  const rows: DiagramNodeData[][] = [];
  for (const n of graph.nodes) (rows[depth.get(n.key)!] ??= []).push(n);
  // wide rows wrap, so 500 tables make a readable block rather than one endless line
  const maxWidth = Math.max(1600, Math.sqrt(graph.nodes.length) * 260);
  const out: Record<string, Point> = {};
  let y = 0;
  for (const row of rows) {
    if (!row) continue;
    for (const line of wrap(row, maxWidth)) {
      const widths = line.map((n) => nodeSize(n).width);
      let x = -(widths.reduce((a, b) => a + b + GAP_X, -GAP_X) / 2);
      line.forEach((n, i) => {
        out[n.key] = { x: Math.round(x), y };
        x += widths[i]! + GAP_X;
      });
      y += Math.max(...line.map((n) => nodeSize(n).height)) + GAP_Y;
    }
  }
  return out;
}

const GAP_X = 28;
const GAP_Y = 56;

/** Splits a row of nodes into lines no wider than `maxWidth`. */
function wrap(row: DiagramNodeData[], maxWidth: number): DiagramNodeData[][] {
  const lines: DiagramNodeData[][] = [[]];
  let width = 0;
  for (const n of row) {
    const w = nodeSize(n).width + GAP_X;
    if (width + w > maxWidth && lines.at(-1)!.length > 0) {
      lines.push([]);
      width = 0;
    }
    lines.at(-1)!.push(n);
    width += w;
  }
  return lines;
}
