import type { AttributeInfo } from '../api/schemas/pipeline';
import {
  attributeKind,
  charLength,
  decimalShape,
  enumValues,
  integerRange,
  type AttributeKind,
} from './attribute-kind';

/**
 * Canonical values, the same on every engine and transport: integers as numbers (as decimal
 * strings beyond 2^53), decimals as strings, dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS[.ffffff]`,
 * times `[-]H:MM:SS[.ffffff]`, uuids lower-case with hyphens. User input (forms, CSV, JSON files)
 * is checked and brought to this form here, so the UI can validate before it sends anything.
 */
export type CheckResult = { ok: true; value: unknown } | { ok: false; reason: string };

const ok = (value: unknown): CheckResult => ({ ok: true, value });
const bad = (reason: string): CheckResult => ({ ok: false, reason });

type Attr = Pick<
  AttributeInfo,
  | 'name'
  | 'datajoint_type'
  | 'sql_type'
  | 'uuid'
  | 'is_external'
  | 'is_attachment'
  | 'is_blob'
  | 'json'
  | 'adapter'
  | 'nullable'
> & { json_text?: boolean; is_filepath?: boolean };

/** A compiled check of one attribute's values (see {@link valueChecker}). */
export type ValueCheck = (value: unknown) => CheckResult;

const compiled = new WeakMap<object, ValueCheck>();

/** Checks one value for one attribute and returns its canonical form, or why it does not fit. */
export function checkValue(attr: Attr, value: unknown): CheckResult {
  let check = compiled.get(attr);
  if (!check) compiled.set(attr, (check = valueChecker(attr)));
  return check(value);
}

/**
 * The check of an attribute with its type's limits worked out once, for checking many rows:
 * an insert of 100k rows must not parse `decimal(8,3)` or `enum(...)` 100k times.
 */
export function valueChecker(attr: Attr): ValueCheck {
  const check = COMPILE[attributeKind(attr)](attr);
  const missing = attr.nullable ? ok(null) : bad('is required (not nullable)');
  return (v) => (v === null || v === undefined ? missing : check(v));
}

const COMPILE: Record<AttributeKind, (a: Attr) => ValueCheck> = {
  integer: (a) => integerCheck(a.sql_type),
  float: () => (v) => {
    if (typeof v === 'number' && Number.isFinite(v)) return ok(v);
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? ok(n) : bad(`expects a finite number, got ${show(v)}`);
  },
  decimal: (a) => {
    const shape = decimalShape(a.sql_type);
    return (v) => checkDecimal(v, a.sql_type, shape);
  },
  string: (a) => {
    const max = charLength(a.sql_type);
    return (v) => {
      if (typeof v !== 'string') return bad(`expects text, got ${show(v)}`);
      // UTF-16 length bounds the number of characters from above
      if (max === null || v.length <= max) return ok(v);
      const chars = [...v].length;
      return chars > max ? bad(`is ${chars} characters long; at most ${max} fit`) : ok(v);
    };
  },
  enum: (a) => {
    const allowed = enumValues(a.sql_type);
    const set = new Set(allowed);
    return (v) =>
      typeof v === 'string' && set.has(v)
        ? ok(v)
        : bad(`must be one of ${allowed.map((x) => `"${x}"`).join(', ')}, got ${show(v)}`);
  },
  date: () => checkDate,
  datetime: (a) => {
    const timestamp = /^timestamp/i.test(a.sql_type);
    return (v) => checkDatetime(v, a.sql_type, timestamp);
  },
  time: (a) => (v) => checkTime(v, a.sql_type),
  year: () => (v) => {
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n) && n >= 1901 && n <= 2155
      ? ok(n)
      : bad(`expects a year from 1901 to 2155, got ${show(v)}`);
  },
  uuid: () => (v) => {
    const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
    const hex = s.replace(/[{}-]/g, '').replace(/^urn:uuid:/, '');
    if (!/^[0-9a-f]{32}$/.test(hex))
      return bad(`expects a UUID such as 123e4567-e89b-12d3-a456-426614174000, got ${show(v)}`);
    return ok(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  },
  json: () => (v) => {
    if (typeof v === 'string') {
      try {
        return ok(JSON.parse(v));
      } catch {
        return ok(v);
      }
    }
    return ok(v);
  },
  blob: () => ok,
  attach: () => checkAttachment,
  // the value itself; placing it in the store is the core's work
  external: (a) => (a.is_attachment ? checkAttachment : a.is_filepath ? checkFilepath : ok),
  bytes: () => checkBytes,
  stored: (a) => () =>
    bad(
      `has type ${a.datajoint_type}, a DataJoint 2.x store-backed value; Joinery reads these but cannot write them yet (write it with DataJoint 2.x)`,
    ),
  unsupported: (a) => () => bad(`has type ${a.datajoint_type}, which Joinery cannot write yet`),
};

/** Raw bytes (2.x `bytes`): `{"base64": "..."}` or a Buffer. */
function checkBytes(v: unknown): CheckResult {
  if (v instanceof Uint8Array) return ok(v);
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const base64 = typeof o?.base64 === 'string' ? o.base64.replace(/\s+/g, '') : null;
  if (base64 === null || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    return bad(`expects raw bytes as {"base64": "..."}, got ${show(v)}`);
  return ok({ base64 });
}

/** An attachment as given over the API: the file's name (no folders) and its contents in base64. */
export interface AttachmentInput {
  filename: string;
  base64: string;
}

/** `{filename, base64}` (a fetched `{type: "attachment", ...}` value is accepted too, so rows can be copied). */
function checkAttachment(v: unknown): CheckResult {
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  if (!o || typeof o.filename !== 'string' || typeof o.base64 !== 'string') {
    return bad(`expects an attachment {"filename": "...", "base64": "..."}, got ${show(v)}`);
  }
  const name = o.filename;
  if (name === '' || /[/\\\0]/.test(name) || name === '.' || name === '..')
    return bad(`needs a file name without folders, got ${show(name)}`);
  const base64 = o.base64.replace(/\s+/g, '');
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    return bad(`has contents that are not valid base64 (file ${show(name)})`);
  return ok({ filename: name, base64 } satisfies AttachmentInput);
}

/** A file path (or a fetched `{type: "filepath", path}` value, so rows can be copied). */
function checkFilepath(v: unknown): CheckResult {
  const p =
    typeof v === 'string'
      ? v
      : v && typeof v === 'object' && typeof (v as { path?: unknown }).path === 'string'
        ? (v as { path: string }).path
        : null;
  if (p === null || p === '' || p.includes('\0')) return bad(`expects the path of a file in the store, got ${show(v)}`);
  return ok(p);
}

function integerCheck(sqlType: string): ValueCheck {
  const { min, max } = integerRange(sqlType);
  const lo = Number(min);
  const hi = Number(max);
  return (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi ? ok(v) : checkInteger(v, sqlType);
}

function checkInteger(v: unknown, sqlType: string): CheckResult {
  let n: bigint;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'boolean') n = v ? 1n : 0n;
  else if (typeof v === 'string' && /^(true|false)$/i.test(v.trim()) && /^(tinyint\(1\)|bool)/i.test(sqlType))
    n = /^true$/i.test(v.trim()) ? 1n : 0n;
  else if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) n = BigInt(v.trim());
  else return bad(`expects a whole number, got ${show(v)}`);
  const { min, max } = integerRange(sqlType);
  if (n < min || n > max) return bad(`${n} is out of range for ${sqlType} (${min} to ${max})`);
  return ok(n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
}

/** True when `v` already is the canonical text of a decimal that fits (`-12.500` for decimal(5,3)). */
function canonicalDecimal(v: string, { precision, scale, unsigned }: ReturnType<typeof decimalShape>): boolean {
  const neg = v.charCodeAt(0) === 45 ? 1 : 0;
  const dot = scale > 0 ? v.length - scale - 1 : v.length;
  const intDigits = dot - neg;
  if (intDigits < 1 || intDigits > Math.max(1, precision - scale) || (scale > 0 && v.charCodeAt(dot) !== 46))
    return false;
  const leadingZero = v.charCodeAt(neg) === 48;
  // no leading zeros, except the one zero before the point (the only integer digit decimal(p,p) allows)
  if (precision === scale ? !leadingZero : intDigits > 1 && leadingZero) return false;
  let nonzero = false;
  for (let i = neg; i < v.length; i++) {
    if (i === dot) continue;
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (c !== 48) nonzero = true;
  }
  return !neg || (nonzero && !unsigned);
}

function checkDecimal(v: unknown, sqlType: string, shape: ReturnType<typeof decimalShape>): CheckResult {
  if (typeof v === 'string' && canonicalDecimal(v, shape)) return ok(v);
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null;
  const m = text === null ? null : /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return bad(`expects a decimal number, got ${show(v)}`);
  const { precision, scale, unsigned } = shape;
  const intPart = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return bad(`${text} has more than ${scale} decimal places (${sqlType})`);
  if ((intPart === '0' ? 0 : intPart.length) > precision - scale) return bad(`${text} is too large for ${sqlType}`);
  if (m[1] === '-' && unsigned && (intPart !== '0' || frac !== ''))
    return bad(`${text} is negative but ${sqlType} is unsigned`);
  const sign = m[1] === '-' && (intPart !== '0' || frac !== '') ? '-' : '';
  return ok(sign + intPart + (scale > 0 ? '.' + frac.padEnd(scale, '0') : ''));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || y < 1000 || y > 9999) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS[mo - 1]! + (leap ? 1 : 0);
}

/** The number written by the ASCII digits v[from..to). */
function digits(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + v.charCodeAt(i) - 48;
  return n;
}

// already canonical `YYYY-MM-DD hh:mm:ss`: checked without building a new string
const CANONICAL_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

function checkDate(v: unknown): CheckResult {
  const m = typeof v === 'string' ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(v) : null;
  if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return bad(`expects a date YYYY-MM-DD, got ${show(v)}`);
  return ok(`${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}`);
}

/** Fractional-second digits a temporal type keeps (`datetime(3)` -> 3; none -> 0). */
export function temporalPrecision(sqlType: string): number {
  return Number(/^\w+\((\d)\)/.exec(sqlType.trim())?.[1] ?? 0);
}

/** Why the fraction does not fit the type (MySQL would silently round it), or null. */
function fractionTooLong(digits: string | undefined, sqlType: string): string | null {
  const p = temporalPrecision(sqlType);
  const significant = (digits ?? '').replace(/0+$/, '');
  return significant.length > p ? `has ${significant.length} fractional digits but ${sqlType} keeps ${p}` : null;
}

const TIMESTAMP_RANGE = ['1970-01-01 00:00:01', '2038-01-19 03:14:07'] as const;

function checkDatetime(v: unknown, sqlType: string, timestamp: boolean): CheckResult {
  if (!timestamp && typeof v === 'string' && v.length === 19 && v.charCodeAt(10) === 32 && CANONICAL_DATETIME.test(v)) {
    if (
      validDate(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10)) &&
      digits(v, 11, 13) <= 23 &&
      digits(v, 14, 16) <= 59 &&
      digits(v, 17, 19) <= 59
    )
      return ok(v);
  }
  if (typeof v === 'string' && /^current_timestamp(\(\))?$/i.test(v.trim()))
    return bad('CURRENT_TIMESTAMP is a default, not a value; leave the attribute out instead');
  const m =
    typeof v === 'string'
      ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*$/.exec(v)
      : null;
  if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) {
    return bad(`expects a date and time YYYY-MM-DD HH:MM:SS, got ${show(v)}`);
  }
  const tooLong = fractionTooLong(m[7], sqlType);
  if (tooLong) return bad(`${show(v)} ${tooLong}`);
  const text = `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)} ${pad(+(m[4] ?? 0))}:${pad(+(m[5] ?? 0))}:${pad(+(m[6] ?? 0))}${fraction(m[7])}`;
  if (timestamp && (text < TIMESTAMP_RANGE[0] || text.slice(0, 19) > TIMESTAMP_RANGE[1])) {
    return bad(`${show(v)} is outside the timestamp range ${TIMESTAMP_RANGE[0]} to ${TIMESTAMP_RANGE[1]}`);
  }
  return ok(text);
}

/** Fractional seconds as 6 digits, or nothing when they are zero (as MySQL prints datetime(0)). */
export function fraction(digits: string | undefined): string {
  return digits && /[1-9]/.test(digits) ? `.${digits.padEnd(6, '0')}` : '';
}

function checkTime(v: unknown, sqlType: string): CheckResult {
  const m = typeof v === 'string' ? /^\s*(-?)(\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*$/.exec(v) : null;
  if (!m || +m[3]! > 59 || +(m[4] ?? 0) > 59 || +m[2]! > 838)
    return bad(`expects a time H:MM:SS (up to 838:59:59), got ${show(v)}`);
  const tooLong = fractionTooLong(m[5], sqlType);
  if (tooLong) return bad(`${show(v)} ${tooLong}`);
  return ok(`${m[1]}${pad(+m[2]!)}:${m[3]}:${pad(+(m[4] ?? 0))}${fraction(m[5])}`);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object') return Array.isArray(v) ? 'a list' : 'an object';
  return String(v);
}
