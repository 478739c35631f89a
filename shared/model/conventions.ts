import { appError } from '../errors';

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
 * What a schema's DataJoint signs tell (its hidden tables, else 2.x type markers), or null when it
 * has none: a schema of plain tables says nothing about the database's DataJoint generation.
 */
export function conventionsSigned(
  tables: readonly { name: string; columns: readonly { comment: string }[] }[],
): Conventions | null {
  const signed = tables.some(
    (t) => V2_TABLES(t.name) || V014_TABLES(t.name) || t.columns.some((c) => CORE_TYPE_MARKER.test(c.comment)),
  );
  return signed ? detectConventions(tables) : null;
}

/** Conventions of the schemas of a database that holds no DataJoint schema yet: current DataJoint's. */
export const NEW_DATABASE_CONVENTIONS: Conventions = '2';

/**
 * Conventions of a schema Joinery creates when the user names none: those most of the database's
 * existing DataJoint schemas follow (a lab's pipeline stays one generation), 2.x on a tie or when
 * none tells. `told` holds what each existing schema tells ({@link conventionsOfExisting}).
 */
export function conventionsOfDatabase(told: readonly (Conventions | null)[]): Conventions {
  const v2 = told.filter((c) => c === '2').length;
  const v014 = told.filter((c) => c === '0.14').length;
  return v014 > v2 ? '0.14' : NEW_DATABASE_CONVENTIONS;
}

/** Reads a conventions setting (`JOINERY_CONVENTIONS`); a clear error for anything but 0.14 or 2. */
export function parseConventions(value: string, source: string): Conventions {
  if (value === '0.14' || value === '2') return value;
  throw appError('VALIDATION', `${source} is 0.14 or 2 (DataJoint's conventions for new schemas), not "${value}".`, {
    details: { field: source },
    hint: `Set ${source} to 0.14 or 2, or unset it to let each database decide.`,
  });
}

/** A 2.x type marker's parts: `<blob@store>` -> codec `blob`, store `store`; core types have no codec. */
export function parseV2Type(type: string): { codec: string | null; store: string | null } {
  const m = /^<([a-z_][a-z0-9_]*)(?:@([a-z0-9_-]*))?>$/i.exec(type);
  if (!m) return { codec: null, store: null };
  return { codec: m[1]!, store: m[2] === undefined ? null : m[2] };
}
