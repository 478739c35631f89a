import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { attributeKind } from '../../../shared/model/attribute-kind';
import { PyDate, PyDateTime, PyTimedelta } from '../data/python/datetime';
import type { PyScalar } from '../data/python/str';
import { PyDecimal, PyFloat, PyUuid } from '../data/python/values';
import { keyHash } from '../data/key-hash';
import type { Row } from '../db/driver';

/**
 * key_hash of a key given as canonical values: each value becomes the Python object pymysql
 * would fetch for its column (float, Decimal, date, timedelta, UUID...), so the hash equals
 * the one DataJoint Python computes for the same key.
 */
export function hashCanonicalKey(key: Row, table: Pick<TableInfo, 'attributes'>): string {
  const py: Record<string, PyScalar> = {};
  for (const [name, value] of Object.entries(key)) {
    const attr = table.attributes.find((a) => a.name === name);
    py[name] = attr ? toPython(attr, value) : (value as PyScalar);
  }
  return keyHash(py);
}

/** One canonical key value as the Python object pymysql would fetch for its column. */
export function toPython(attr: AttributeInfo, value: unknown): PyScalar {
  if (value === null || value === undefined) return null;
  switch (attributeKind(attr)) {
    case 'integer':
      return typeof value === 'string' ? BigInt(value) : (value as number);
    case 'float':
      return new PyFloat(Number(value));
    case 'decimal':
      return new PyDecimal(String(value));
    case 'date':
      return PyDate.parse(String(value));
    case 'datetime':
      return PyDateTime.parse(String(value).replace(' ', 'T'));
    case 'time':
      return PyTimedelta.parseMysqlTime(String(value));
    case 'uuid':
      return PyUuid.parse(String(value));
    default:
      return value as PyScalar;
  }
}
