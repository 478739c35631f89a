import { describe, expect, it } from 'vitest';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import {
  buildGraph,
  edgeKey,
  renameLabel,
  schemaNodeId,
  schemaOf,
  searchTables,
  type TableNodeData,
} from '../../../renderer/features/pipeline/graph-model';
import { carryOver, toFlowEdges, toFlowNodes } from '../../../renderer/features/pipeline/flow-elements';
import { pipelineLayoutKey } from '../../../renderer/features/pipeline/layout-store';
import { expectedFixture } from '../../support/fixture';

/** The real DataJoint fixture's expected model, as pipeline.inspect returns it. */
function fixturePipeline(): PipelineInfo {
  return { dialect: 'mysql', schemas: expectedFixture().schemas } as PipelineInfo;
}

describe('buildGraph on the DataJoint reference fixture', () => {
  const info = fixturePipeline();
  const graph = buildGraph(info);

  it('draws every table as a node with its tier and class name', () => {
    const want = Object.values(info.schemas).flatMap((s) =>
      s.tables.map((t) => ({ key: `${s.database}.${t.table_name}`, tier: t.tier, className: t.class_name })),
    );
    expect(
      graph.nodes.map((n) => ({
        key: n.key,
        tier: (n as TableNodeData).tier,
        className: (n as TableNodeData).className,
      })),
    ).toEqual(want);
  });

  it('draws every foreign key as one edge parent -> child with data-primary, even two to the same parent', () => {
    const want = Object.values(info.schemas).flatMap((s) =>
      s.tables.flatMap((t) =>
        t.foreign_keys.map((fk) => ({ edge: `${s.database}.${t.table_name}->${fk.parent}`, primary: fk.primary })),
      ),
    );
    expect(graph.edges.map((e) => ({ edge: e.data.dataEdge, primary: e.data.primary }))).toEqual(want);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
    const pair = graph.edges.filter((e) => e.data.dataEdge === 'djref_ephys.session_pair->djref_ephys.session');
    expect(pair.map((e) => [e.source, e.target, e.data.lane, e.data.lanes])).toEqual([
      ['djref_ephys.session', 'djref_ephys.session_pair', 0, 2],
      ['djref_ephys.session', 'djref_ephys.session_pair', 1, 2],
    ]);
    expect(pair.map((e) => e.data.rename)).toEqual([
      ".proj(ref_subject='subject_id', ref_session='session_idx')",
      ".proj(cmp_subject='subject_id', cmp_session='session_idx')",
    ]);
  });

  it('leaves out tables of hidden tiers and of schemas not chosen, with their edges', () => {
    const g = buildGraph(info, { schemas: ['djref_ephys'], hiddenTiers: ['Part'], collapsed: [] });
    expect(g.nodes.every((n) => n.key.startsWith('djref_ephys.') && (n as TableNodeData).tier !== 'Part')).toBe(true);
    expect(g.nodes).toHaveLength(7);
    // Session -> lab.subject is gone with the lab schema; nothing points at a missing node
    const keys = new Set(g.nodes.map((n) => n.key));
    expect(g.edges.every((e) => keys.has(e.source) && keys.has(e.target))).toBe(true);
  });

  it('collapses a schema into one node where FKs into it meet, once per pair', () => {
    const g = buildGraph(info, { schemas: null, hiddenTiers: [], collapsed: ['djref_lab'] });
    const lab = g.nodes.find((n) => n.key === schemaNodeId('djref_lab'));
    expect(lab).toMatchObject({ kind: 'schema', tableCount: 5, rowCount: 3 + 4 + 2 + 4 + 34 });
    expect(g.nodes.filter((n) => n.key.startsWith('djref_lab.'))).toEqual([]);
    const intoLab = g.edges.filter((e) => e.source === 'schema:djref_lab');
    // Session references Subject and Experimenter: one edge from the collapsed schema
    expect(intoLab.map((e) => [e.target, e.data.primary])).toEqual([['djref_ephys.session', null]]);
    expect(g.edges.some((e) => e.source === e.target)).toBe(false);
  });

  it('searches class and table names, case-insensitively', () => {
    expect(searchTables(graph, 'SPIKE')).toEqual([
      'djref_ephys.__spike_detection',
      'djref_ephys.__spike_detection__unit',
    ]);
    expect(searchTables(graph, '#rig')).toEqual(['djref_ephys.#rig']);
    expect(searchTables(graph, '  ')).toEqual([]);
  });
});

describe('edge keys and rename labels', () => {
  it('finds the schema of a table key, dots in the schema name included', () => {
    expect(schemaOf('lab.#rig')).toBe('lab');
    expect(schemaOf('my.lab.subject')).toBe('my.lab');
  });

  it('names an edge child -> parent as ARCHITECTURE §10 fixes it', () => {
    expect(edgeKey('ephys.session', 'lab.subject')).toBe('ephys.session->lab.subject');
  });

  it("writes a rename as DataJoint’s .proj(new='old'), nothing for a plain FK", () => {
    expect(renameLabel({ aliased: true, attr_map: { animal: 'subject_id', session: 'session' } })).toBe(
      ".proj(animal='subject_id')",
    );
    expect(renameLabel({ aliased: false, attr_map: { subject_id: 'subject_id' } })).toBeNull();
  });
});

describe('React Flow elements', () => {
  const graph = buildGraph(fixturePipeline());

  it('puts the fixed hooks and the class name on each table node', () => {
    const nodes = toFlowNodes(graph, {
      positions: {},
      moved: undefined,
      progress: undefined,
      matches: null,
      selected: null,
    });
    const subject = nodes.find((n) => n.id === 'djref_lab.subject')!;
    expect(subject.domAttributes).toEqual({ 'data-table': 'djref_lab.subject', 'data-tier': 'Manual' });
    expect(subject.ariaLabel).toBe('Subject');
    expect(subject.ariaRole).toBe('button');
  });

  it("highlights a migration's affected tables and fades the others, unless a search is on", () => {
    const base = { positions: {}, moved: undefined, progress: undefined, selected: null };
    const affected = new Set(['djref_lab.subject']);
    const nodes = toFlowNodes(graph, { ...base, matches: null, affected });
    const subject = nodes.find((n) => n.id === 'djref_lab.subject')!;
    const other = nodes.find((n) => n.type === 'table' && n.id !== 'djref_lab.subject')!;
    expect(subject.domAttributes).toMatchObject({ 'data-affected': 'true' });
    expect(subject.data).toMatchObject({ affected: true, match: 'none' });
    expect(other.data).toMatchObject({ affected: false, match: 'dimmed' });
    expect(other.domAttributes).not.toHaveProperty('data-affected');
    const searched = toFlowNodes(graph, { ...base, matches: new Set([other.id]), affected });
    expect(searched.find((n) => n.id === other.id)!.data).toMatchObject({ match: 'match' });
    // a jobs plan labels its tables; a label of a table not highlighted is not drawn
    const badges = { 'djref_lab.subject': '+3 jobs', [other.id]: 'x' };
    const labelled = toFlowNodes(graph, { ...base, matches: null, affected, badges });
    expect(labelled.find((n) => n.id === 'djref_lab.subject')!.data).toMatchObject({ note: '+3 jobs' });
    expect(labelled.find((n) => n.id === other.id)!.data).not.toHaveProperty('note');
  });

  it('prefers a dragged position over the layout, and marks search matches', () => {
    const nodes = toFlowNodes(graph, {
      positions: { 'djref_lab.subject': { x: 1, y: 2 }, 'djref_lab.experimenter': { x: 3, y: 4 } },
      moved: { 'djref_lab.subject': { x: 50, y: 60 } },
      progress: undefined,
      matches: new Set(['djref_lab.subject']),
      selected: 'djref_lab.subject',
    });
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get('djref_lab.subject')).toMatchObject({
      position: { x: 50, y: 60 },
      selected: true,
      data: { match: 'match' },
    });
    expect(byId.get('djref_lab.experimenter')).toMatchObject({
      position: { x: 3, y: 4 },
      selected: false,
      data: { match: 'dimmed' },
    });
  });

  it('keeps every edge (none culled), not focusable', () => {
    const edges = toFlowEdges(graph);
    expect(edges).toHaveLength(graph.edges.length);
    expect(edges.every((e) => e.type === 'fk' && e.focusable === false)).toBe(true);
  });
});

describe('pipelineLayoutKey', () => {
  it('is one key per connection URL and set of schemas, whatever their order', () => {
    expect(pipelineLayoutKey('mysql://h', ['b', 'a'])).toBe(pipelineLayoutKey('mysql://h', ['a', 'b']));
    expect(pipelineLayoutKey('mysql://h', ['a'])).not.toBe(pipelineLayoutKey('mysql://h', ['a', 'b']));
    expect(pipelineLayoutKey('mysql://h', ['a'])).not.toBe(pipelineLayoutKey('sqlite:/x', ['a']));
  });
});

describe('carryOver', () => {
  const graph = buildGraph(fixturePipeline());
  const inputs = { positions: {}, moved: undefined, progress: undefined, matches: null, selected: null };

  it('keeps the same object for unchanged nodes, and the measured size of changed ones', () => {
    const first = toFlowNodes(graph, inputs).map((n) => ({ ...n, measured: { width: 100, height: 40 } }));
    const next = toFlowNodes(graph, { ...inputs, selected: 'djref_lab.subject' });
    const kept = carryOver(first, next);
    const changed = kept.filter((n, i) => n !== first[i]);
    expect(changed.map((n) => n.id)).toEqual(['djref_lab.subject']);
    expect(changed[0]).toMatchObject({ selected: true, measured: { width: 100, height: 40 } });
  });
});
