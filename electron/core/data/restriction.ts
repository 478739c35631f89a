import type { Restriction } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { checkValue } from '../../../shared/model/value-rules';
import type { CompiledSql, SqlDialect } from '../../../shared/sql/dialect';
import { toDbValue, type BlobCodec } from './values';

/**
 * A dict (all attributes equal) or a list of dicts (any of them) -> a WHERE condition with bound
 * values. Attribute names are checked against the heading; values are checked and converted as
 * for an insert. An empty list matches nothing, as in DataJoint.
 */
export function restrictionSql(dialect: SqlDialect, table: TableInfo, restriction: Restriction | undefined, alias?: string, blobs?: BlobCodec): CompiledSql {
  if (restriction === undefined) return { sql: '1=1', params: [] };
  const dicts = Array.isArray(restriction) ? restriction : [restriction];
  if (dicts.length === 0) return { sql: '1=0', params: [] };
  const params: unknown[] = [];
  const col = (n: string) => (alias ? `${alias}.${dialect.quoteIdent(n)}` : dialect.quoteIdent(n));
  const terms = dicts.map((dict) => {
    const parts = Object.entries(dict).map(([name, value]) => {
      const attr = table.attributes.find((a) => a.name === name);
      if (!attr) {
        throw appError('VALIDATION', `${table.full_name} has no attribute "${name}" to restrict by.`, {
          details: { table: table.full_name, attribute: name }, hint: `Attributes: ${table.attributes.map((a) => a.name).join(', ')}.`,
        });
      }
      if (value === null) return `${col(name)} IS NULL`;
      const checked = checkValue({ ...attr, nullable: true }, value);
      if (!checked.ok) throw appError('VALIDATION', `${table.full_name}: restriction on "${name}" ${checked.reason}.`, { details: { table: table.full_name, attribute: name } });
      params.push(toDbValue(attr, checked.value, dialect.name, blobs));
      return `${col(name)} = ?`;
    });
    return parts.length ? `(${parts.join(' AND ')})` : '1=1';
  });
  return { sql: terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`, params };
}
