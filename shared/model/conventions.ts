/**
 * Which DataJoint version's conventions a schema follows. DataJoint 0.14 keeps a schema-wide
 * `~jobs` and `~log` and marks only special types in column comments; DataJoint 2.x keeps
 * `~lineage`, one `~~<table>` job queue per auto-populated table, and marks every column's type.
 */
export type Conventions = '0.14' | '2';

/** The 2.x core types (declare.py CORE_TYPES); a `:<codec>:` marker is 2.x too. */
const CORE_TYPE_MARKER =
  /^:(int8|int16|int32|int64|float32|float64|bool|bytes|json|date|datetime(\(\d\))?|decimal\(\d+,\s*\d+\)|char\(\d+\)|varchar\(\d+\)|enum\(.*\)|<[^>]+>):/s;

/** Hidden tables that only one version makes. */
const V2_TABLES = (name: string) => name === '~lineage' || name.startsWith('~~');
const V014_TABLES = (name: string) => name === '~jobs' || name === '~log' || name.startsWith('~external_');

/** Detects a schema's conventions from its table names and column comments (0.14 when nothing tells). */
export function detectConventions(
  tables: readonly { name: string; columns: readonly { comment: string }[] }[],
): Conventions {
  if (tables.some((t) => V2_TABLES(t.name))) return '2';
  if (tables.some((t) => V014_TABLES(t.name))) return '0.14';
  const marked = tables.some((t) => t.columns.some((c) => CORE_TYPE_MARKER.test(c.comment)));
  return marked ? '2' : '0.14';
}

/**
 * The conventions an existing schema commits new tables to, or null when it holds nothing that
 * tells (no DataJoint table, no `~lineage`): only then may a declaration choose. A schema with
 * tables but no 2.x sign is 0.14, even before its first `~jobs` exists.
 */
export function conventionsOfExisting(
  tables: readonly { name: string; columns: readonly { comment: string }[] }[],
): Conventions | null {
  const told = tables.some((t) => V2_TABLES(t.name) || V014_TABLES(t.name) || !t.name.startsWith('~'));
  return told ? detectConventions(tables) : null;
}

/**
 * Conventions of a schema Joinery creates when the user names none. DataJoint 2.x for new
 * schemas is the goal (issue 14); it stays 0.14 until Joinery's workers speak 2.x's `~~` job
 * queues, because a 2.x schema cannot be populated by Joinery before that.
 */
export const DEFAULT_CONVENTIONS: Conventions = '0.14';

/** A 2.x type marker's parts: `<blob@store>` -> codec `blob`, store `store`; core types have no codec. */
export function parseV2Type(type: string): { codec: string | null; store: string | null } {
  const m = /^<([a-z_][a-z0-9_]*)(?:@([a-z0-9_-]*))?>$/i.exec(type);
  if (!m) return { codec: null, store: null };
  return { codec: m[1]!, store: m[2] === undefined ? null : m[2] };
}
