import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import { attributeKind, decimalShape } from '../../../shared/model/attribute-kind';
import { fraction, temporalPrecision, type AttachmentInput } from '../../../shared/model/value-rules';
import type { SqlDialect } from '../../../shared/sql/dialect';
import type { Row } from '../db/driver';
import { decodeAttachment, encodeAttachment } from './attachment';

/**
 * Canonical values (shared/model/value-rules.ts) <-> what each engine stores. The engines differ:
 * MySQL keeps uuids in binary(16) and json as text; SQLite keeps decimals as numbers and dates as
 * text. Reading normalises both to one form, so a fetch gives identical values on either engine.
 * Blobs go through the blob codec given by the caller, so this module stays free of it.
 */
export interface BlobCodec {
  encode(value: unknown): Buffer;
  decode(bytes: Buffer): unknown;
}

type Attr = Pick<
  AttributeInfo,
  'name' | 'datajoint_type' | 'sql_type' | 'uuid' | 'is_external' | 'is_attachment' | 'is_blob' | 'json' | 'adapter'
> & { json_text?: boolean };

/**
 * Why this engine cannot store a (checked, canonical) value exactly, or null. SQLite has signed
 * 64-bit integers and keeps decimals as doubles: rather than change a value silently, say so.
 */
export function engineLimit(attr: Attr, value: unknown, dialect: SqlDialect): string | null {
  if (typeof value !== 'string') return null;
  const { maxInteger, decimalDigits } = dialect.values;
  const kind = attributeKind(attr);
  if (kind === 'integer' && maxInteger !== null && BigInt(value) > maxInteger)
    return `${value} is larger than ${maxInteger}, the largest integer ${dialect.label} can store; use MySQL for bigint unsigned values this large`;
  if (kind === 'decimal' && decimalDigits !== null && significantDigits(value) > decimalDigits) {
    return `${value} has more than ${decimalDigits} significant digits, which ${dialect.label} cannot store exactly (it keeps decimals as doubles); use MySQL for this precision`;
  }
  return null;
}

function significantDigits(decimal: string): number {
  const digits = decimal.replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '');
  const frac = decimal.includes('.') ? decimal.slice(decimal.indexOf('.') + 1) : '';
  return digits.length - (frac.length - frac.replace(/0+$/, '').length);
}

/** A canonical value -> the parameter bound for this attribute. */
export function toDbValue(attr: Attr, value: unknown, dialect: SqlDialect, blobs?: BlobCodec): unknown {
  return value === null || value === undefined ? null : dbEncoder(attr, dialect, blobs)(value);
}

/** Turns one canonical value (never null) into what the engine binds. */
export type ValueEncoder = (value: unknown) => unknown;

const asIs: ValueEncoder = (v) => v;

/** The encoder of an attribute, worked out once for many rows. */
export function dbEncoder(attr: Attr, dialect: SqlDialect, blobs?: BlobCodec): ValueEncoder {
  switch (attributeKind(attr)) {
    case 'uuid':
      return (v) => Buffer.from(String(v).replaceAll('-', ''), 'hex');
    case 'json':
      return (v) => JSON.stringify(v);
    case 'blob':
      return (v) => {
        if (Buffer.isBuffer(v)) return v;
        if (!blobs) throw new Error(`no blob codec for ${attr.name}`);
        return blobs.encode(v);
      };
    case 'attach':
      return (v) => (Buffer.isBuffer(v) ? v : encodeAttachment(v as AttachmentInput));
    case 'bytes':
      return (v) =>
        v instanceof Uint8Array ? Buffer.from(v) : Buffer.from((v as { base64: string }).base64, 'base64');
    case 'integer':
      return dialect.values.bindIntegersAsBigInt ? (v) => (typeof v === 'string' ? BigInt(v) : v) : asIs;
    case 'datetime':
    case 'time': {
      const precision = temporalPrecision(attr.sql_type);
      return (v) => fitFraction(String(v), precision);
    }
    default:
      return asIs;
  }
}

/** Canonical temporal text (6 fractional digits) cut to the column's precision, as the column stores it. */
function fitFraction(text: string, precision: number): string {
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  return precision === 0 ? text.slice(0, dot) : text.slice(0, dot + 1 + precision);
}

/** Turns one stored value (never null) into its canonical form. */
export type ValueDecoder = (raw: unknown) => unknown;

/**
 * The decoder of an attribute, or null when the stored value already is canonical. With the
 * dialect known, decoders that would not change what that engine's driver gives are left out.
 */
export function valueDecoder(attr: Attr, blobs?: BlobCodec, dialect?: SqlDialect): ValueDecoder | null {
  switch (attributeKind(attr)) {
    case 'uuid':
      return (raw) => uuidText(raw as Buffer);
    case 'json':
    case 'stored': // a 2.x store-backed value: its JSON metadata (path, store, size...)
      return (raw) => (typeof raw === 'string' ? parseJson(raw) : raw);
    case 'blob':
      return blobs ? (raw) => blobs.decode(raw as Buffer) : null;
    case 'attach':
      return (raw) => decodeAttachment(raw as Buffer);
    // both drivers give numbers, or exact strings beyond 2^53, for every integer but bigint sums and the like
    case 'integer':
      return /^(bigint|serial)/i.test(attr.sql_type) ? canonicalInteger : null;
    case 'float':
      return isSingleFloat(attr.sql_type) ? singleFloat : dialect ? null : doubleFloat;
    // mysql2 gives decimals as exact text; SQLite as numbers
    case 'decimal':
      return dialect?.values.decimalsAsText ? null : decimalDecoder(decimalShape(attr.sql_type).scale);
    case 'datetime':
      return (raw) => canonicalDatetime(String(raw));
    case 'time':
      return (raw) => canonicalTime(String(raw));
    case 'year':
      return Number;
    default:
      return null;
  }
}

/** A stored value -> its canonical form. */
export function fromDbValue(attr: Attr, raw: unknown, blobs?: BlobCodec): unknown {
  if (raw === null || raw === undefined) return null;
  const decode = valueDecoder(attr, blobs);
  return decode ? decode(raw) : raw;
}

/** Where a cell failed to decode, for the caller to name the row. */
export class CellDecodeError extends Error {
  constructor(
    readonly attribute: string,
    readonly row: Row,
    readonly failure: unknown,
  ) {
    super(`cannot decode ${attribute}`);
  }
}

/**
 * Builds, once per result, an in-place decoder of raw rows for the given attributes (columns not
 * listed pass through). A value that cannot be decoded throws a {@link CellDecodeError}.
 */
export function rowDecoder(attrs: readonly Attr[], blobs?: BlobCodec, dialect?: SqlDialect): (row: Row) => Row {
  const steps: [string, ValueDecoder][] = [];
  for (const a of attrs) {
    const fn = valueDecoder(a, blobs, dialect);
    if (fn) steps.push([a.name, fn]);
  }
  return (row) => {
    for (const [name, fn] of steps) {
      const v = row[name];
      if (v === null || v === undefined) continue;
      try {
        row[name] = fn(v);
      } catch (e) {
        throw new CellDecodeError(name, row, e);
      }
    }
    return row;
  };
}

/** Decodes a copy of a whole result row for the given attributes (columns not listed pass through). */
export function decodeRow(attrs: readonly Attr[], raw: Row, blobs?: BlobCodec): Row {
  return rowDecoder(attrs, blobs)({ ...raw });
}

/** 16 bytes -> `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
export function uuidText(bytes: Buffer | Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function canonicalInteger(raw: unknown): unknown {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return raw >= MIN_SAFE && raw <= MAX_SAFE ? Number(raw) : raw.toString();
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : String(raw);
}

/** `float` (4 bytes) as MariaDB prints it: 6 significant digits, so SQLite's doubles read the same. */
function isSingleFloat(sqlType: string): boolean {
  const m = /^float(?:\((\d+)(?:,\s*\d+)?\))?/i.exec(sqlType);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 24);
}

function singleFloat(raw: unknown): number {
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(n) ? Number(Math.fround(n).toPrecision(6)) : n;
}

/** Decimals as exact text with all `scale` digits (`12.50`), whether the engine gave text or a number. */
export function decimalDecoder(scale: number): ValueDecoder {
  return (raw) => {
    if (typeof raw === 'string') return raw; // MySQL's exact text
    if (typeof raw === 'number') return decimalText(raw, scale);
    if (typeof raw === 'bigint') return scale ? `${raw}.${'0'.repeat(scale)}` : `${raw}`;
    return String(raw);
  };
}

function doubleFloat(raw: unknown): unknown {
  return typeof raw === 'string' ? Number(raw) : raw;
}

const POW10 = Array.from({ length: 31 }, (_, i) => 10 ** i);

/**
 * `n.toFixed(scale)` (without a sign on zero) for the doubles SQLite keeps decimals in, built
 * from an integer when the value is (within rounding) a multiple of 10^-scale: a fetch formats
 * every decimal of every row, and this is about twice as fast.
 */
export function decimalText(n: number, scale: number): string {
  const unit = POW10[scale] ?? 10 ** scale;
  const r = Math.round(n * unit);
  if (scale === 0 || !Number.isSafeInteger(r) || Math.abs(r / unit - n) > 1e-9 * Math.max(1, Math.abs(n))) {
    const text = n.toFixed(scale);
    return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
  }
  const digits = String(Math.abs(r)).padStart(scale + 1, '0');
  return `${r < 0 ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function canonicalDatetime(s: string): string {
  // `YYYY-MM-DD hh:mm:ss` (what both engines give for datetime(0)) already is canonical
  if (s.length === 19 && s.charCodeAt(10) === 32) return s;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(s);
  return m ? `${m[1]} ${m[2]}${fraction(m[3])}` : s;
}

function canonicalTime(s: string): string {
  const m = /^(-?\d+:\d{2}:\d{2})(?:\.(\d+))?$/.exec(s);
  return m ? `${m[1]}${fraction(m[2])}` : s;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // a legacy longtext value that is not JSON: show it as it is
  }
}
