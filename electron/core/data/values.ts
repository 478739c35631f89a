import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import type { Dialect } from '../../../shared/api/schemas/connection';
import { attributeKind } from '../../../shared/model/attribute-kind';
import { fraction } from '../../../shared/model/value-rules';
import type { Row } from '../db/driver';

/**
 * Canonical values (shared/model/value-rules.ts) <-> what each engine stores. The engines differ:
 * MySQL keeps uuids in binary(16) and json as text; SQLite keeps decimals and dates as text. Blobs
 * go through the blob codec given by the caller, so this module stays free of it.
 */
export interface BlobCodec {
  encode(value: unknown): Buffer;
  decode(bytes: Buffer): unknown;
}

type Attr = Pick<AttributeInfo, 'name' | 'datajoint_type' | 'sql_type' | 'uuid' | 'is_external' | 'is_attachment' | 'is_blob' | 'json' | 'adapter'> & { json_text?: boolean };

/** A canonical value -> the parameter bound for this attribute. */
export function toDbValue(attr: Attr, value: unknown, dialect: Dialect, blobs?: BlobCodec): unknown {
  if (value === null || value === undefined) return null;
  switch (attributeKind(attr)) {
    case 'uuid':
      return Buffer.from(String(value).replaceAll('-', ''), 'hex');
    case 'json':
      return JSON.stringify(value);
    case 'blob':
      if (Buffer.isBuffer(value)) return value;
      if (!blobs) throw new Error(`no blob codec for ${attr.name}`);
      return blobs.encode(value);
    case 'integer':
      return typeof value === 'string' && dialect === 'sqlite' ? BigInt(value) : value;
    default:
      return value;
  }
}

/** A stored value -> its canonical form. */
export function fromDbValue(attr: Attr, raw: unknown, blobs?: BlobCodec): unknown {
  if (raw === null || raw === undefined) return null;
  switch (attributeKind(attr)) {
    case 'uuid':
      return uuidText(raw as Buffer);
    case 'json':
      return typeof raw === 'string' ? parseJson(raw) : raw;
    case 'blob':
      return blobs ? blobs.decode(raw as Buffer) : raw;
    case 'integer':
      return typeof raw === 'bigint' ? (raw >= BigInt(Number.MIN_SAFE_INTEGER) && raw <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(raw) : raw.toString()) : raw;
    case 'float':
      return typeof raw === 'string' ? Number(raw) : raw;
    case 'decimal':
      return String(raw);
    case 'datetime':
      return canonicalDatetime(String(raw));
    case 'time':
      return canonicalTime(String(raw));
    case 'year':
      return Number(raw);
    default:
      return raw;
  }
}

/** Decodes a whole result row for the given attributes (columns not listed pass through). */
export function decodeRow(attrs: readonly Attr[], raw: Row, blobs?: BlobCodec): Row {
  const out: Row = { ...raw };
  for (const a of attrs) if (a.name in raw) out[a.name] = fromDbValue(a, raw[a.name], blobs);
  return out;
}

/** 16 bytes -> `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
export function uuidText(bytes: Buffer | Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function canonicalDatetime(s: string): string {
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
