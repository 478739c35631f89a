import type { ForeignKeyInfo, TableInfo } from '../../../shared/api/schemas/pipeline';

/**
 * The query text the grid fetches: a table (joined with the parents the user ticked), restricted
 * by what the user typed in the restriction bar, in DataJoint's Python syntax. The restriction is
 * placed last, so the core's error position maps back to the bar's line:col.
 */

/** What the grid shows: a table of the pipeline, or a query expression typed by the user. */
export type GridSource =
  | { kind: 'table'; table: Pick<TableInfo, 'schema' | 'class_name' | 'foreign_keys'>; joins: readonly string[] }
  | { kind: 'query'; text: string };

/** The query text plus where the restriction starts in it (null when there is no restriction). */
export interface GridQuery {
  text: string;
  restriction: { start: number; source: string; quoted: boolean } | null;
}

/** `schema.Class` as the query language names a table (`lab.Session.Note` for a part). */
export function classPath(schema: string, className: string): string {
  return `${schema}.${className}`;
}

/** `<schema>.<class>` of a `schema.table_name` foreign key parent, found among `tables`. */
export function parentClassPath(
  parent: string,
  tables: readonly Pick<TableInfo, 'full_name' | 'schema' | 'class_name'>[],
): string | null {
  const bare = parent.replaceAll('`', '').replaceAll('"', '');
  const t = tables.find((x) => x.full_name.replaceAll('`', '').replaceAll('"', '') === bare);
  return t ? classPath(t.schema, t.class_name) : null;
}

/** The operand joining a parent: renamed foreign keys project the parent's key onto the child's names. */
export function parentOperand(fk: Pick<ForeignKeyInfo, 'attr_map' | 'aliased'>, parentPath: string): string {
  if (!fk.aliased) return parentPath;
  const renames = Object.entries(fk.attr_map)
    .filter(([child, parent]) => child !== parent)
    .map(([child, parent]) => `${child}='${parent}'`);
  return renames.length ? `${parentPath}.proj(..., ${renames.join(', ')})` : parentPath;
}

/**
 * A restriction as the user types it: DataJoint's operand (`'weight > 20'`, `{'sex': 'F'}`,
 * `Session`, `Not(...)`), or, for convenience, a bare condition (`weight > 20`): attribute names
 * are lower case in DataJoint, class names CamelCase, so text starting with a lower-case letter
 * is a condition and gets quoted.
 */
export function isBareCondition(text: string): boolean {
  const t = text.trimStart();
  return /^[a-z_]/.test(t) && !/^dj\s*\./.test(t);
}

function quoteCondition(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Builds the grid's query text from the base expression and the restriction bar's text. */
export function gridQueryText(base: string, restrictionText: string): GridQuery {
  const source = restrictionText.trim() === '' ? '' : restrictionText;
  if (source === '') return { text: base, restriction: null };
  const quoted = isBareCondition(source) && !source.includes('\n');
  const operand = quoted ? quoteCondition(source) : source;
  const head = `(${base}) & (`;
  return { text: `${head}${operand})`, restriction: { start: head.length, source, quoted } };
}

/** The base expression of a source: the table joined with the ticked parents, or the typed query. */
export function baseExpression(source: GridSource, parentOperands: readonly string[]): string {
  if (source.kind === 'query') return source.text.trim();
  const self = classPath(source.table.schema, source.table.class_name);
  return [self, ...parentOperands].join(' * ');
}

/**
 * Maps an error position in the query text back to the restriction bar (1-based line and column),
 * or null when the error is not inside the restriction (then it is about the table or the joins).
 */
export function restrictionLocation(q: GridQuery, position: number): { line: number; column: number } | null {
  const r = q.restriction;
  if (!r || position < r.start) return null;
  let offset = position - r.start;
  if (r.quoted) offset = unquotedOffset(r.source, offset);
  offset = Math.min(offset, r.source.length);
  const before = r.source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

// offset in the quoted operand -> offset in the user's text (opening quote and backslash escapes removed)
function unquotedOffset(source: string, quotedOffset: number): number {
  let q = 1;
  for (let i = 0; i < source.length; i++) {
    if (q >= quotedOffset) return i;
    q += source[i] === '\\' || source[i] === '"' ? 2 : 1;
  }
  return source.length;
}
