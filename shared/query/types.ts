import type { AttributeInfo } from '../api/schemas/pipeline';
import { attributeKind, decimalShape, enumValues } from '../model/attribute-kind';

/**
 * Types of values inside queries. Every attribute maps to one; every expression gets one; the
 * checker refuses comparisons and arithmetic that make no sense (a date against a number, a blob
 * against anything) instead of letting each engine guess differently.
 */
export type ValueKind =
  'integer' | 'decimal' | 'float' | 'string' | 'date' | 'datetime' | 'time' | 'uuid' | 'bool' | 'null' | 'opaque';

/** A value type; `scale` for decimals, `unsigned` for integers, `values` for enums. */
export interface ValueType {
  kind: ValueKind;
  scale?: number;
  unsigned?: boolean;
  values?: readonly string[];
}

/**
 * One attribute of a query result, with what decoding its values needs. Table attributes copy
 * their TableInfo fields; computed attributes get a type name derived from their expression.
 */
export type QueryAttribute = Pick<
  AttributeInfo,
  | 'name'
  | 'in_key'
  | 'nullable'
  | 'datajoint_type'
  | 'sql_type'
  | 'uuid'
  | 'is_blob'
  | 'is_external'
  | 'is_attachment'
  | 'json'
  | 'adapter'
> & {
  /** MariaDB json (longtext + json_valid); carried so decoding knows it is json. */
  json_text?: boolean;
  /** DataJoint 2.x: the attribute's origin; renames keep it, computed attributes have none. */
  lineage?: string;
};

/** A query heading: attributes in order and the primary key (attribute names). */
export interface QueryHeading {
  attributes: QueryAttribute[];
  primary_key: string[];
}

/** The value type of an attribute. */
export function typeOfAttribute(a: QueryAttribute): ValueType {
  switch (attributeKind(a)) {
    case 'integer':
      return { kind: 'integer', unsigned: /\bunsigned\b/i.test(a.sql_type) };
    case 'year':
      return { kind: 'integer' };
    case 'float':
      return { kind: 'float' };
    case 'decimal':
      return { kind: 'decimal', scale: decimalShape(a.sql_type).scale };
    case 'string':
      return { kind: 'string' };
    case 'enum':
      return { kind: 'string', values: enumValues(a.sql_type) };
    case 'date':
      return { kind: 'date' };
    case 'datetime':
      return { kind: 'datetime' };
    case 'time':
      return { kind: 'time' };
    case 'uuid':
      return { kind: 'uuid' };
    default:
      return { kind: 'opaque' };
  }
}

/** True for the numeric kinds (booleans count as numbers, as in MySQL and SQLite). */
export function isNumeric(t: ValueType): boolean {
  return t.kind === 'integer' || t.kind === 'decimal' || t.kind === 'float' || t.kind === 'bool';
}

/** Human name of a type, for error messages. */
export function describeType(t: ValueType): string {
  switch (t.kind) {
    case 'decimal':
      return `decimal (scale ${t.scale ?? 0})`;
    case 'string':
      return t.values ? `enum(${t.values.map((v) => `'${v}'`).join(',')})` : 'text';
    case 'opaque':
      return 'a blob, json or external value';
    case 'bool':
      return 'a condition (true/false)';
    default:
      return t.kind;
  }
}

/**
 * Whether values of the two types can be compared (joins, unions, `=`). Numbers compare with
 * numbers, text with text, each temporal type and uuid only with itself.
 */
export function comparable(a: ValueType, b: ValueType): boolean {
  if (a.kind === 'null' || b.kind === 'null') return a.kind !== 'opaque' && b.kind !== 'opaque';
  if (isNumeric(a) && isNumeric(b)) return true;
  return a.kind === b.kind && a.kind !== 'opaque';
}

/** The attribute description of a computed value of type `t`. */
export function computedAttribute(name: string, t: ValueType, nullable: boolean): QueryAttribute {
  const type = TYPE_NAMES[t.kind](t);
  return {
    name,
    in_key: false,
    nullable,
    datajoint_type: type,
    sql_type: type,
    uuid: t.kind === 'uuid',
    is_blob: false,
    is_external: false,
    is_attachment: false,
    json: false,
    adapter: null,
  };
}

const TYPE_NAMES: Record<ValueKind, (t: ValueType) => string> = {
  integer: (t) => (t.unsigned ? 'bigint unsigned' : 'bigint'),
  bool: () => 'bool',
  decimal: (t) => `decimal(65,${Math.min(t.scale ?? 0, 30)})`,
  float: () => 'double',
  string: () => 'text',
  null: () => 'text',
  date: () => 'date',
  datetime: () => 'datetime',
  time: () => 'time',
  uuid: () => 'binary(16)',
  opaque: () => 'longblob',
};
