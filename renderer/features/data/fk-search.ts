import type { ForeignKeyInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { classPath } from './grid-query';

/**
 * The query an FK picker sends: the parent's rows whose key attributes contain the typed text
 * (`Parent & "concat(a, ' ', b) LIKE '%text%'"`). Characters with meaning in the condition
 * language are dropped from the search text, which is a search box, not a query.
 */
export function parentSearchQuery(
  parent: Pick<TableInfo, 'schema' | 'class_name' | 'primary_key'>,
  text: string,
): string {
  const base = classPath(parent.schema, parent.class_name);
  const needle = text.replace(/['"\\%_]/g, '').trim();
  if (!needle || parent.primary_key.length === 0) return base;
  const keys = parent.primary_key.join(", ' ', ");
  return `${base} & "concat(${keys}) LIKE '%${needle}%'"`;
}

/** The child's values for a chosen parent row (child attribute <- parent attribute of the FK). */
export function childValues(
  fk: Pick<ForeignKeyInfo, 'attr_map'>,
  parentRow: Record<string, unknown>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fk.attr_map).map(([child, parent]) => [
      child,
      parentRow[parent] == null ? '' : String(parentRow[parent]),
    ]),
  );
}
