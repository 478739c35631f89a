import type { TableInfo } from '../../shared/api/schemas/pipeline';
import {
  type ParentHeading,
  parentFromResolved,
  parseDefinition,
  type ResolvedTable,
  resolveDefinition,
  type TableDefinition,
} from '../../shared/model/definition';
import { expectedFixture } from './fixture';

/**
 * The DataJoint reference fixture's tables declared with Joinery's own parser and resolver, in
 * dependency order, so tests can compare the result with what DataJoint 0.14.9 declared.
 */

/** One fixture table: DataJoint's ground truth next to Joinery's reading of its definition. */
export interface DeclaredFixtureTable {
  expected: TableInfo & { definition_declared: string; declare_sql: string; definition_described: string };
  definition: TableDefinition;
  resolved: ResolvedTable;
}

/** Every table of the fixture in topological order; `schemaOf` renames the databases (djref_lab -> ...). */
export function declareFixtureTables(schemaOf: (fixtureSchema: string) => string = (s) => s): DeclaredFixtureTable[] {
  const fixture = expectedFixture();
  const byName = new Map<string, DeclaredFixtureTable['expected']>();
  for (const schema of Object.values<{ tables: DeclaredFixtureTable['expected'][] }>(fixture.schemas)) {
    for (const t of schema.tables) byName.set(t.full_name, t);
  }
  // class names are unique across the fixture's two schemas, as in the Python context that declared them
  const parents = new Map<string, ParentHeading>();
  const out: DeclaredFixtureTable[] = [];
  for (const fullName of fixture.dependency_graph.topological_order as string[]) {
    const expected = byName.get(fullName)!;
    const definition = parseDefinition(expected.definition_declared, { table: expected.class_name });
    const resolved = resolveDefinition(definition, {
      schema: schemaOf(expected.schema),
      tableName: expected.table_name,
      master: expected.class_name.includes('.') ? expected.class_name.split('.')[0] : undefined,
      lookup: (ref) => parents.get(ref.name),
    });
    parents.set(expected.class_name, parentFromResolved(resolved));
    out.push({ expected, definition, resolved });
  }
  return out;
}

/** The fixture's schemas with the hidden tables DataJoint made in each (`~external_<store>`, `~log`, `~jobs`). */
export function fixtureHiddenTables(): Array<{ schema: string; tables: string[] }> {
  const fixture = expectedFixture();
  return Object.values<{ database: string; hidden_tables: string[] }>(fixture.schemas).map((s) => ({
    schema: s.database,
    tables: s.hidden_tables,
  }));
}
