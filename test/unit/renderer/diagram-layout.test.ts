import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { buildGraph, type DiagramGraph } from '../../../renderer/features/pipeline/graph-model';
import {
  layoutSignature,
  nodeSize,
  positionsOf,
  quickLayout,
  toElkGraph,
  type Point,
} from '../../../renderer/features/pipeline/layout';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { expectedFixture } from '../../support/fixture';

const graph = buildGraph({ dialect: 'mysql', schemas: expectedFixture().schemas } as PipelineInfo);

/** Every edge goes down (parent above child) and no two nodes overlap. */
function checkPicture(g: DiagramGraph, at: Record<string, Point>) {
  for (const e of g.edges) expect(at[e.source]!.y, `${e.id}`).toBeLessThan(at[e.target]!.y);
  const boxes = g.nodes.map((n) => ({ key: n.key, ...at[n.key]!, ...nodeSize(n) }));
  for (const a of boxes)
    for (const b of boxes) {
      if (a.key >= b.key) continue;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `${a.key} overlaps ${b.key}`).toBe(true);
    }
}

describe('diagram layout', () => {
  it('the quick layout puts parents above children without overlaps', () => {
    checkPicture(graph, quickLayout(graph));
  });

  it("ELK's layered layout (as the worker runs it) does too, top-down", async () => {
    const laidOut = await new ELK().layout(toElkGraph(graph));
    checkPicture(graph, positionsOf({ children: laidOut.children ?? [] }));
  });

  it('hands ELK every node with its size and every edge', () => {
    const elk = toElkGraph(graph);
    expect(elk.children).toHaveLength(graph.nodes.length);
    expect(elk.edges).toHaveLength(graph.edges.length);
    expect(elk.layoutOptions['elk.direction']).toBe('DOWN');
  });

  it('changes its signature with the nodes and edges, not with row counts', () => {
    const more = buildGraph({
      dialect: 'mysql',
      schemas: JSON.parse(JSON.stringify(expectedFixture().schemas).replaceAll('"row_count":4', '"row_count":5')),
    } as PipelineInfo);
    expect(layoutSignature(more)).toBe(layoutSignature(graph));
    expect(layoutSignature({ ...graph, nodes: graph.nodes.slice(1) })).not.toBe(layoutSignature(graph));
  });

  it('draws ellipses for auto-populated tiers a little taller, parts small', () => {
    const size = (key: string) => nodeSize(graph.nodes.find((n) => n.key === key)!);
    expect(size('djref_ephys._recording').height).toBeGreaterThan(size('djref_ephys.session').height);
    expect(size('djref_ephys.session__note').height).toBeLessThan(size('djref_ephys.session').height);
  });
});
