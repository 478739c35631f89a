import type { TableInfo } from '../api/schemas/pipeline';
import type { CompiledSql, SqlDialect } from './dialect';

/**
 * DataJoint's default key source of an auto-populated table: the join of its primary parents,
 * each projected onto its primary key under the child's attribute names (renamed foreign keys
 * projected back), so one row = one make() call = one job.
 */
export interface KeySource {
  /** Attributes of a key, in the child's names and heading order. */
  attributes: string[];
  /** SELECT DISTINCT of the keys, with columns named as `attributes`. */
  select: CompiledSql;
}

/** Builds the key source; `lookup` finds a parent's TableInfo by its full name. Null when the table has no primary parent. */
export function keySource(
  dialect: SqlDialect,
  table: TableInfo,
  lookup: (fullName: string) => TableInfo | undefined,
): KeySource | null {
  const parents = table.foreign_keys.filter((fk) => fk.primary);
  if (parents.length === 0) return null;
  const q = (s: string) => dialect.quoteIdent(s);
  const seen = new Map<string, string>(); // child attribute -> alias of the first source holding it
  const from: string[] = [];
  parents.forEach((fk, i) => {
    const parent = lookup(fk.parent);
    if (!parent) throw new Error(`parent ${fk.parent} of ${table.full_name} is not loaded`);
    const alias = `k${i}`;
    const [schema, name] = splitFullName(fk.parent);
    // every parent primary-key attribute, renamed to the child's name where the FK renames it
    const toChild = new Map(Object.entries(fk.attr_map).map(([child, par]) => [par, child]));
    const cols = parent.primary_key.map((pk) => `${q(pk)} AS ${q(toChild.get(pk) ?? pk)}`);
    const sub = `(SELECT DISTINCT ${cols.join(', ')} FROM ${dialect.qualify(schema, name)}) AS ${q(alias)}`;
    const shared = parent.primary_key.map((pk) => toChild.get(pk) ?? pk).filter((c) => seen.has(c));
    const on = shared.map((c) => `${q(seen.get(c)!)}.${q(c)} = ${q(alias)}.${q(c)}`);
    from.push(i === 0 ? sub : on.length ? `JOIN ${sub} ON ${on.join(' AND ')}` : `CROSS JOIN ${sub}`);
    for (const pk of parent.primary_key) {
      const c = toChild.get(pk) ?? pk;
      if (!seen.has(c)) seen.set(c, alias);
    }
  });
  const order = table.attributes.map((a) => a.name).filter((n) => seen.has(n));
  const attributes = [...order, ...[...seen.keys()].filter((n) => !order.includes(n))];
  const select = `SELECT DISTINCT ${attributes.map((c) => `${q(seen.get(c)!)}.${q(c)} AS ${q(c)}`).join(', ')} FROM ${from.join(' ')}`;
  return { attributes, select: { sql: select, params: [] } };
}

/** Keys of the key source that are not yet in the table (DataJoint's `key_source - table`). */
export function pendingKeys(dialect: SqlDialect, table: TableInfo, ks: KeySource): CompiledSql {
  const q = (s: string) => dialect.quoteIdent(s);
  const on = ks.attributes.map((c) => `t.${q(c)} = ks.${q(c)}`).join(' AND ');
  return {
    sql: `SELECT ks.* FROM (${ks.select.sql}) AS ks WHERE NOT EXISTS (SELECT 1 FROM ${dialect.qualify(table.schema, table.table_name)} AS t WHERE ${on})`,
    params: ks.select.params,
  };
}

/** `schema.table` -> [schema, table] (table names may not contain dots; schemas never do). */
export function splitFullName(fullName: string): [string, string] {
  const i = fullName.indexOf('.');
  return [fullName.slice(0, i), fullName.slice(i + 1)];
}
