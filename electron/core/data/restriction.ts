import type { Restriction } from '../../../shared/api/schemas/data';
import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { checkValue } from '../../../shared/model/value-rules';
import type { CompiledSql, SqlDialect } from '../../../shared/sql/dialect';
import { toDbValue, type BlobCodec } from './values';

/**
 * A dict (all attributes equal) or a list of dicts (any of them) -> a WHERE condition with bound
 * values. Attribute names are checked against the heading; values are checked and converted as
 * for an insert. An empty list matches nothing, as in DataJoint. Long lists of one-attribute
 * dicts become `IN (...)`, and other lists a balanced OR, so thousands of keys stay within
 * SQLite's expression depth limit.
 */
export function restrictionSql(
  dialect: SqlDialect,
  table: TableInfo,
  restriction: Restriction | undefined,
  alias?: string,
  blobs?: BlobCodec,
): CompiledSql {
  if (restriction === undefined) return { sql: '1=1', params: [] };
  const dicts = Array.isArray(restriction) ? restriction : [restriction];
  if (dicts.length === 0) return { sql: '1=0', params: [] };
  const col = (n: string) => (alias ? `${alias}.${dialect.quoteIdent(n)}` : dialect.quoteIdent(n));
  const bind = (name: string, value: unknown) => {
    const attr = attributeOf(table, name);
    const checked = checkValue({ ...attr, nullable: true }, value);
    if (!checked.ok)
      throw appError('VALIDATION', `${table.full_name}: restriction on "${name}" ${checked.reason}.`, {
        details: { table: table.full_name, attribute: name, reason: checked.reason },
      });
    return toDbValue(attr, checked.value, dialect, blobs);
  };
  const values = dicts.reduce((n, d) => n + Object.keys(d).length, 0);
  const maxParams = dialect.values.maxParams;
  if (maxParams !== null && values > maxParams) {
    throw appError(
      'VALIDATION',
      `${table.full_name}: a restriction of ${values} values is more than ${dialect.label} binds in one query (${maxParams}).`,
      {
        details: { table: table.full_name },
        hint: 'Restrict by fewer keys at a time.',
      },
    );
  }
  const single = singleAttribute(dicts);
  if (single && dicts.length > 1) {
    return {
      sql: `${col(single)} IN (${dicts.map(() => '?').join(', ')})`,
      params: dicts.map((d) => bind(single, d[single])),
    };
  }
  const terms = dicts.map((dict): CompiledSql => {
    const params: unknown[] = [];
    const parts = Object.entries(dict).map(([name, value]) => {
      attributeOf(table, name);
      if (value === null) return `${col(name)} IS NULL`;
      params.push(bind(name, value));
      return `${col(name)} = ?`;
    });
    return { sql: parts.length ? `(${parts.join(' AND ')})` : '1=1', params };
  });
  return balancedOr(terms);
}

/** The one attribute every dict names (with a non-null value), or null. */
function singleAttribute(dicts: readonly Record<string, unknown>[]): string | null {
  const keys = Object.keys(dicts[0] ?? {});
  if (keys.length !== 1) return null;
  const name = keys[0]!;
  return dicts.every((d) => d[name] !== null && d[name] !== undefined && Object.keys(d).length === 1 && name in d)
    ? name
    : null;
}

function attributeOf(table: TableInfo, name: string): AttributeInfo {
  const attr = table.attributes.find((a) => a.name === name);
  if (attr) return attr;
  throw appError('VALIDATION', `${table.full_name} has no attribute "${name}" to restrict by.`, {
    details: { table: table.full_name, attribute: name },
    hint: `Attributes: ${table.attributes.map((a) => a.name).join(', ')}.`,
  });
}

/** OR of the terms as a balanced tree: depth log2(n) instead of n. */
function balancedOr(terms: readonly CompiledSql[]): CompiledSql {
  if (terms.length === 1) return terms[0]!;
  const mid = terms.length >> 1;
  const left = balancedOr(terms.slice(0, mid));
  const right = balancedOr(terms.slice(mid));
  return { sql: `(${left.sql} OR ${right.sql})`, params: [...left.params, ...right.params] };
}
