import type { MigrationChange, MigrationLiteral } from '../../../shared/api/schemas/migration';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import {
  parseDefinition,
  type AttributeItem,
  type DefinitionErrorDetails,
  type TableDefinition,
} from '../../../shared/model/definition';
import { isAppError } from '../../../shared/errors';
import type { MigrationDraftTable } from '../../stores/workbench-slice';

/**
 * The wizard's draft -> the fixed change file (`{table, definition, values, renames}`), checked
 * on the client first: a definition that does not parse is shown at its line:column and never
 * sent; a new primary-key attribute without a value or default is named before planning.
 */

/** A problem of one draft table, at a line:column of its definition when it has one. */
export interface DraftProblem {
  table: string;
  message: string;
  line?: number;
  column?: number;
}

/** A new attribute of the edited definition: the wizard asks for its value in the existing rows. */
export interface NewAttribute {
  name: string;
  inKey: boolean;
  /** A value is required: no default (DataJoint's `= null` is a default, so NOT NULL attributes only). */
  required: boolean;
  numeric: boolean;
  bool: boolean;
}

/** Parses a definition; the problem carries the parser's line and column. */
export function parseDraftDefinition(
  text: string,
): { definition: TableDefinition; problem: null } | { definition: null; problem: Omit<DraftProblem, 'table'> } {
  try {
    return { definition: parseDefinition(text), problem: null };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const d = (e.details ?? {}) as Partial<DefinitionErrorDetails>;
    const message = e.message.replace(/^Definition error at [^:]*: /, '');
    return { definition: null, problem: { message, line: d.line ?? 1, column: d.column ?? 1 } };
  }
}

/** `<schema>.<ClassName>` of a table, as the change file names it (parts: `Master.Part`). */
export function changeTableName(t: TableInfo): string {
  return `${t.schema}.${t.class_name}`;
}

/** Attributes the new definition declares itself that the table does not have (renamed ones excepted). */
export function newAttributes(
  definition: TableDefinition,
  table: TableInfo,
  renames: Record<string, string>,
): NewAttribute[] {
  const old = new Set(table.attributes.map((a) => a.name));
  const renamedTo = new Set(Object.values(renames));
  return definition.items
    .filter((i): i is AttributeItem => i.kind === 'attribute')
    .filter((a) => !old.has(a.name) && !renamedTo.has(a.name))
    .map((a) => ({
      name: a.name,
      inKey: a.inKey,
      required: a.default === null,
      numeric: ['integer', 'serial', 'decimal', 'float'].includes(a.type.kind),
      bool: a.type.kind === 'bool',
    }));
}

/** Attributes of the table that the new definition no longer declares (candidates for a rename). */
export function goneAttributes(definition: TableDefinition, table: TableInfo): string[] {
  const declared = new Set(
    definition.items.filter((i): i is AttributeItem => i.kind === 'attribute').map((a) => a.name),
  );
  // attributes brought by foreign keys are not written in the definition: only the table's own count
  const inherited = new Set(table.foreign_keys.flatMap((fk) => Object.keys(fk.attr_map)));
  return table.attributes.map((a) => a.name).filter((n) => !declared.has(n) && !inherited.has(n));
}

/** The typed text of a value as the literal the change file carries (numbers for numeric attributes). */
export function toLiteral(text: string, attr: NewAttribute): MigrationLiteral | { error: string } {
  const t = text.trim();
  if (attr.numeric) {
    const n = Number(t);
    return t !== '' && Number.isFinite(n) ? n : { error: `${attr.name} is a number: “${text}” is not one.` };
  }
  if (attr.bool) {
    if (/^(true|1|yes)$/i.test(t)) return true;
    if (/^(false|0|no)$/i.test(t)) return false;
    return { error: `${attr.name} is true or false: “${text}” is neither.` };
  }
  return text;
}

/** The change file of the draft, or the problems that keep it from being planned. */
export function draftToChanges(
  draft: readonly MigrationDraftTable[],
  tables: readonly TableInfo[],
): { changes: MigrationChange[]; problems: DraftProblem[] } {
  const changes: MigrationChange[] = [];
  const problems: DraftProblem[] = [];
  for (const d of draft) {
    const info = tables.find((t) => t.full_name === d.table);
    if (!info) {
      problems.push({
        table: d.table,
        message: `${d.table} is not in the pipeline any more; remove it from the list.`,
      });
      continue;
    }
    const parsed = parseDraftDefinition(d.definition);
    if (!parsed.definition) {
      problems.push({ table: d.table, ...parsed.problem });
      continue;
    }
    const renames = Object.fromEntries(Object.entries(d.renames).filter(([, to]) => to !== ''));
    const values: Record<string, MigrationLiteral> = {};
    for (const attr of newAttributes(parsed.definition, info, renames)) {
      const typed = d.values[attr.name] ?? '';
      if (typed.trim() === '') {
        if (attr.required)
          problems.push({
            table: d.table,
            message: attr.inKey
              ? `${attr.name} is new in the primary key: give the value it gets in the existing rows.`
              : `${attr.name} is new and has no default: give the value it gets in the existing rows, or a default in the definition (${attr.name} = … : type).`,
          });
        continue;
      }
      const literal = toLiteral(typed, attr);
      if (typeof literal === 'object' && literal !== null) problems.push({ table: d.table, message: literal.error });
      else values[attr.name] = literal;
    }
    changes.push({
      table: changeTableName(info),
      definition: d.definition,
      ...(Object.keys(values).length ? { values } : {}),
      ...(Object.keys(renames).length ? { renames } : {}),
    });
  }
  return { changes, problems };
}
