import { classNameOf, isHiddenTable } from '../model/naming';
import { closest, queryError } from './errors';
import type { ClassResolver } from './expression-parser';

/**
 * Resolves the class names of query expressions to tables, by DataJoint's naming rules:
 * `Subject` -> `subject`, `Recording.Channel` -> `_recording__channel`, and `schema.Class` when
 * the same class exists in several schemas (then the bare name is ambiguous, and says so).
 */

/** A table the resolver may name. */
export interface NamedTable {
  schema: string;
  table_name: string;
}

/** A resolver over the given tables (hidden `~` tables are never query operands). */
export function classResolver(tables: readonly NamedTable[]): ClassResolver {
  const byClass = new Map<string, NamedTable[]>();
  const schemas = new Set<string>();
  for (const t of tables) {
    if (isHiddenTable(t.table_name)) continue;
    schemas.add(t.schema);
    const name = classNameOf(t.table_name);
    byClass.set(name, [...(byClass.get(name) ?? []), t]);
  }
  return (path, pos) => {
    const full = path.join('.');
    const matches = byClass.get(full) ?? [];
    if (matches.length === 1) return { schema: matches[0]!.schema, table: matches[0]!.table_name };
    if (matches.length > 1) {
      const options = matches.map((m) => `${m.schema}.${full}`);
      throw queryError(`"${full}" is ambiguous: it exists in ${matches.length} schemas.`, {
        pos,
        expected: options,
        hint: `Write ${options.join(' or ')}.`,
      });
    }
    if (path.length >= 2 && schemas.has(path[0]!)) {
      const rest = path.slice(1).join('.');
      const inSchema = (byClass.get(rest) ?? []).filter((m) => m.schema === path[0]);
      if (inSchema.length === 1) return { schema: inSchema[0]!.schema, table: inSchema[0]!.table_name };
      throw unknown(
        rest,
        pos,
        [...byClass.entries()].filter(([, ts]) => ts.some((t) => t.schema === path[0])).map(([c]) => c),
        `in schema ${path[0]}`,
      );
    }
    throw unknown(full, pos, [...byClass.keys()], schemas.size ? `in ${[...schemas].join(', ')}` : 'in this database');
  };
}

function unknown(name: string, pos: number, classes: string[], where: string) {
  const guess = closest(name, classes);
  const listed = classes.length > 30 ? `${classes.slice(0, 30).join(', ')}, ...` : classes.join(', ');
  return queryError(`There is no table class "${name}" ${where}.`, {
    pos,
    expected: classes.slice(0, 100),
    hint: guess
      ? `Did you mean ${guess}?`
      : classes.length
        ? `Classes: ${listed}.`
        : 'This database has no tables yet.',
  });
}
