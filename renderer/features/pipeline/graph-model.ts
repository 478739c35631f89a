import type { ForeignKeyInfo, PipelineInfo, TableInfo, Tier } from '../../../shared/api/schemas/pipeline';

/** A tier as the diagram filters it: DataJoint's five, plus `none` for names that follow no tier rule. */
export type TierFilterValue = Tier | 'none';
export const TIER_FILTER_VALUES: readonly TierFilterValue[] = [
  'Lookup',
  'Manual',
  'Imported',
  'Computed',
  'Part',
  'none',
];

/** A table drawn as a node. */
export interface TableNodeData extends Record<string, unknown> {
  kind: 'table';
  /** `<schema>.<table_name>`, also the node id and its `data-table`. */
  key: string;
  schema: string;
  tableName: string;
  className: string;
  tier: Tier | null;
  rowCount: number;
  comment: string;
}

/** A collapsed schema drawn as one node. */
export interface SchemaNodeData extends Record<string, unknown> {
  kind: 'schema';
  key: string;
  schema: string;
  tableCount: number;
  rowCount: number;
}

export type DiagramNodeData = TableNodeData | SchemaNodeData;

/** A foreign key drawn from the parent (source, above) to the child (target, below). */
export interface FkEdgeData extends Record<string, unknown> {
  /** `<child>-><parent>` (ARCHITECTURE §10), or `schema:<a>->schema:<b>` between collapsed schemas. */
  dataEdge: string;
  /** True when the FK is part of the child's primary key; null on a collapsed edge (many FKs). */
  primary: boolean | null;
  /** `.proj(new='old')` of a renamed FK, else null. */
  rename: string | null;
  nullable: boolean;
  /** Which of several FKs between the same two tables this is (0-based), and how many there are. */
  lane: number;
  lanes: number;
}

export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  data: FkEdgeData;
}

export interface DiagramGraph {
  nodes: DiagramNodeData[];
  edges: DiagramEdge[];
}

/** What the user chose to see: schemas (null: all), tiers shown, schemas collapsed to one node. */
export interface GraphView {
  schemas: readonly string[] | null;
  hiddenTiers: readonly TierFilterValue[];
  collapsed: readonly string[];
}

export const DEFAULT_VIEW: GraphView = { schemas: null, hiddenTiers: [], collapsed: [] };

/** The key of a table in the diagram, its `data-table` attribute and the workbench hand-offs. */
export function tableKey(schema: string, tableName: string): string {
  return `${schema}.${tableName}`;
}

/** The node id of a collapsed schema. */
export function schemaNodeId(schema: string): string {
  return `schema:${schema}`;
}

/** The `data-edge` value of a foreign key: `<child schema>.<child table>-><parent schema>.<parent table>`. */
export function edgeKey(child: string, parent: string): string {
  return `${child}->${parent}`;
}

/** `.proj(new='old', ...)` for a renamed foreign key (DataJoint's syntax), or null when nothing is renamed. */
export function renameLabel(fk: Pick<ForeignKeyInfo, 'attr_map' | 'aliased'>): string | null {
  const renamed = Object.entries(fk.attr_map).filter(([child, parent]) => child !== parent);
  if (renamed.length === 0) return null;
  return `.proj(${renamed.map(([child, parent]) => `${child}='${parent}'`).join(', ')})`;
}

const tierValue = (t: TableInfo): TierFilterValue => t.tier ?? 'none';

function tableNode(t: TableInfo, schema: string): TableNodeData {
  return {
    kind: 'table',
    key: tableKey(schema, t.table_name),
    schema,
    tableName: t.table_name,
    className: t.class_name,
    tier: t.tier,
    rowCount: t.row_count,
    comment: t.table_comment,
  };
}

/** The schemas of the pipeline the view shows, in the pipeline's order. */
export function visibleSchemas(info: PipelineInfo, view: GraphView): string[] {
  const all = Object.values(info.schemas).map((s) => s.database);
  return view.schemas === null ? all : all.filter((s) => view.schemas!.includes(s));
}

/**
 * The nodes and edges to draw for `view`: tables of the chosen schemas and tiers; a collapsed schema
 * becomes one node, and FKs into or out of it join at that node (one edge per pair of nodes).
 * FKs to tables not drawn (another schema not chosen, a hidden tier) are left out.
 */
export function buildGraph(info: PipelineInfo, view: GraphView = DEFAULT_VIEW): DiagramGraph {
  const nodes: DiagramNodeData[] = [];
  const nodeOf = new Map<string, string>(); // table key -> node id
  for (const name of visibleSchemas(info, view)) {
    const schema = info.schemas[name]!;
    const tables = schema.tables.filter((t) => !view.hiddenTiers.includes(tierValue(t)));
    if (view.collapsed.includes(name)) {
      const id = schemaNodeId(name);
      nodes.push({
        kind: 'schema',
        key: id,
        schema: name,
        tableCount: tables.length,
        rowCount: tables.reduce((n, t) => n + t.row_count, 0),
      });
      for (const t of tables) nodeOf.set(tableKey(name, t.table_name), id);
      continue;
    }
    for (const t of tables) {
      const node = tableNode(t, name);
      nodes.push(node);
      nodeOf.set(node.key, node.key);
    }
  }
  return { nodes, edges: buildEdges(info, nodeOf) };
}

function buildEdges(info: PipelineInfo, nodeOf: ReadonlyMap<string, string>): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  const collapsedPairs = new Set<string>();
  for (const schema of Object.values(info.schemas)) {
    for (const t of schema.tables) {
      const child = tableKey(schema.database, t.table_name);
      const target = nodeOf.get(child);
      if (target === undefined) continue;
      t.foreign_keys.forEach((fk, i) => {
        const source = nodeOf.get(fk.parent);
        if (source === undefined) return;
        if (source === fk.parent && target === child) {
          edges.push({
            id: `${edgeKey(child, fk.parent)}#${i}`,
            source,
            target,
            data: {
              dataEdge: edgeKey(child, fk.parent),
              primary: fk.primary,
              rename: renameLabel(fk),
              nullable: fk.nullable,
              lane: t.foreign_keys.slice(0, i).filter((f) => f.parent === fk.parent).length,
              lanes: t.foreign_keys.filter((f) => f.parent === fk.parent).length,
            },
          });
          return;
        }
        if (source === target) return;
        const pair = edgeKey(target, source);
        if (collapsedPairs.has(pair)) return;
        collapsedPairs.add(pair);
        edges.push({
          id: pair,
          source,
          target,
          data: { dataEdge: pair, primary: null, rename: null, nullable: false, lane: 0, lanes: 1 },
        });
      });
    }
  }
  return edges;
}

/** Keys of the tables whose class or table name contains `query` (case-insensitive), in drawing order. */
export function searchTables(graph: DiagramGraph, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  return graph.nodes
    .filter((n): n is TableNodeData => n.kind === 'table')
    .filter((n) => n.className.toLowerCase().includes(q) || n.key.toLowerCase().includes(q))
    .map((n) => n.key);
}

/** The schema part of a `<schema>.<table_name>` key (DataJoint table names never hold a dot). */
export function schemaOf(key: string): string {
  return key.slice(0, key.lastIndexOf('.'));
}
