import type { AttributeInfo } from '../api/schemas/pipeline';

/** How Joinery handles an attribute's values, derived from its DataJoint and SQL types. */
export type AttributeKind =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'string'
  | 'enum'
  | 'date'
  | 'datetime'
  | 'time'
  | 'year'
  | 'uuid'
  | 'json'
  | 'blob'
  | 'attach'
  | 'external'
  /** DataJoint 2.x: raw bytes (`bytes`, or a `longblob` without a codec marker). */
  | 'bytes'
  /** DataJoint 2.x: a store-backed codec (`<blob@store>`...); the column holds JSON metadata. */
  | 'stored'
  | 'unsupported';

/** The kind of an attribute; `json_text` marks MariaDB's longtext-with-json_valid json columns. */
export function attributeKind(
  a: Pick<
    AttributeInfo,
    'datajoint_type' | 'sql_type' | 'uuid' | 'is_external' | 'is_attachment' | 'is_blob' | 'json' | 'adapter'
  > & { json_text?: boolean; codec?: string | null; store?: string | null },
): AttributeKind {
  if (a.codec) return codecKind(a.codec, a.store ?? null);
  if (a.is_external) return 'external';
  if (a.uuid) return 'uuid';
  if (a.is_attachment) return 'attach';
  if (a.adapter) return 'unsupported';
  if (a.is_blob) return 'blob';
  if (a.json || a.json_text) return 'json';
  const t = a.datajoint_type.toLowerCase();
  if (/^int(8|16|32|64)$/.test(t)) return 'integer';
  if (/^float(32|64)$/.test(t)) return 'float';
  if (t === 'bytes' || /^(tiny|medium|long)?blob$/.test(t)) return 'bytes';
  if (/^(tiny|small|medium|big)?int\b|^integer\b|^serial\b/.test(t)) return 'integer';
  if (/^bool(ean)?$/.test(t)) return 'integer';
  if (/^(float|double|real)\b/.test(t)) return 'float';
  if (/^(decimal|numeric)\b/.test(t)) return 'decimal';
  if (/^enum\(/.test(t)) return 'enum';
  if (/^(var)?char\(|^(tiny|medium|long)?text$/.test(t)) return 'string';
  if (t === 'date') return 'date';
  if (/^(datetime|timestamp)\b/.test(t)) return 'datetime';
  if (/^time\b/.test(t)) return 'time';
  if (/^year\b/.test(t)) return 'year';
  return 'unsupported';
}

/** A 2.x codec's kind: in-table `<blob>` and `<attach>`, store-backed ones, and plugin codecs Joinery cannot write. */
function codecKind(codec: string, store: string | null): AttributeKind {
  if (store !== null) return 'stored';
  if (codec === 'blob') return 'blob';
  if (codec === 'attach') return 'attach';
  return 'unsupported';
}

/** Inclusive range of an integer SQL type (`int unsigned` -> [0, 4294967295]). */
export function integerRange(sqlType: string): { min: bigint; max: bigint } {
  const t = sqlType.toLowerCase();
  const unsigned = /\bunsigned\b/.test(t) || /^serial/.test(t);
  const bits = /^tinyint|^bool/.test(t)
    ? 8
    : /^smallint/.test(t)
      ? 16
      : /^mediumint/.test(t)
        ? 24
        : /^bigint|^serial/.test(t)
          ? 64
          : 32;
  return unsigned
    ? { min: 0n, max: (1n << BigInt(bits)) - 1n }
    : { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n };
}

/** Values allowed by `enum('a','b')`. */
export function enumValues(sqlType: string): string[] {
  const body = /^enum\((.*)\)$/is.exec(sqlType.trim())?.[1] ?? '';
  const out: string[] = [];
  for (const m of body.matchAll(/'((?:[^'\\]|''|\\.)*)'|"((?:[^"\\]|""|\\.)*)"/g)) {
    out.push((m[1] ?? m[2] ?? '').replaceAll("''", "'").replaceAll('""', '"').replace(/\\(.)/g, '$1'));
  }
  return out;
}

/** Length limit of `varchar(n)` / `char(n)`, or null. */
export function charLength(sqlType: string): number | null {
  const m = /^(?:var)?char\((\d+)\)/i.exec(sqlType);
  return m ? Number(m[1]) : null;
}

/** Precision and scale of `decimal(p,s)` (MySQL's default is decimal(10,0)). */
export function decimalShape(sqlType: string): { precision: number; scale: number; unsigned: boolean } {
  const m = /^(?:decimal|numeric)(?:\((\d+)(?:,\s*(\d+))?\))?/i.exec(sqlType);
  return { precision: Number(m?.[1] ?? 10), scale: Number(m?.[2] ?? 0), unsigned: /\bunsigned\b/i.test(sqlType) };
}

/**
 * Whether an attribute is a `bool`: marked so (DataJoint 2.x, 2.x's `_singleton`) or spelled
 * tinyint(1), as `bool` is declared on MySQL and as the PostgreSQL catalog spells a boolean.
 */
export function isBoolAttribute(a: Pick<AttributeInfo, 'datajoint_type' | 'sql_type'>): boolean {
  return a.datajoint_type === 'bool' || /^tinyint\(1\)/i.test(a.sql_type);
}
