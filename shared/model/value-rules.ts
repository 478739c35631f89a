import type { AttributeInfo } from '../api/schemas/pipeline';
import { attributeKind, charLength, decimalShape, enumValues, integerRange, type AttributeKind } from './attribute-kind';

/**
 * Canonical values, the same on every engine and transport: integers as numbers (as decimal
 * strings beyond 2^53), decimals as strings, dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS[.ffffff]`,
 * times `[-]H:MM:SS[.ffffff]`, uuids lower-case with hyphens. User input (forms, CSV, JSON files)
 * is checked and brought to this form here, so the UI can validate before it sends anything.
 */
export type CheckResult = { ok: true; value: unknown } | { ok: false; reason: string };

const ok = (value: unknown): CheckResult => ({ ok: true, value });
const bad = (reason: string): CheckResult => ({ ok: false, reason });

type Attr = Pick<AttributeInfo, 'name' | 'datajoint_type' | 'sql_type' | 'uuid' | 'is_external' | 'is_attachment' | 'is_blob' | 'json' | 'adapter' | 'nullable'> & { json_text?: boolean };

/** Checks one value for one attribute and returns its canonical form, or why it does not fit. */
export function checkValue(attr: Attr, value: unknown): CheckResult {
  if (value === null || value === undefined) return attr.nullable ? ok(null) : bad('is required (not nullable)');
  const kind = attributeKind(attr);
  const check = CHECKS[kind];
  return check(value, attr);
}

const CHECKS: Record<AttributeKind, (v: unknown, a: Attr) => CheckResult> = {
  integer: (v, a) => checkInteger(v, a.sql_type),
  float: (v) => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? ok(n) : bad(`expects a finite number, got ${show(v)}`);
  },
  decimal: (v, a) => checkDecimal(v, a.sql_type),
  string: (v, a) => {
    if (typeof v !== 'string') return bad(`expects text, got ${show(v)}`);
    const max = charLength(a.sql_type);
    return max !== null && [...v].length > max ? bad(`is ${[...v].length} characters long; at most ${max} fit`) : ok(v);
  },
  enum: (v, a) => {
    const allowed = enumValues(a.sql_type);
    return typeof v === 'string' && allowed.includes(v) ? ok(v) : bad(`must be one of ${allowed.map((x) => `"${x}"`).join(', ')}, got ${show(v)}`);
  },
  date: (v) => checkDate(v),
  datetime: (v) => checkDatetime(v),
  time: (v) => checkTime(v),
  year: (v) => {
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n) && n >= 1901 && n <= 2155 ? ok(n) : bad(`expects a year from 1901 to 2155, got ${show(v)}`);
  },
  uuid: (v) => {
    const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
    const hex = s.replace(/[{}-]/g, '').replace(/^urn:uuid:/, '');
    if (!/^[0-9a-f]{32}$/.test(hex)) return bad(`expects a UUID such as 123e4567-e89b-12d3-a456-426614174000, got ${show(v)}`);
    return ok(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  },
  json: (v) => {
    if (typeof v === 'string') {
      try { return ok(JSON.parse(v)); } catch { return ok(v); }
    }
    return ok(v);
  },
  blob: (v) => ok(v),
  attach: (v) => ok(v),
  external: (v) => ok(v),
  unsupported: (_v, a) => bad(`has type ${a.datajoint_type}, which Joinery cannot write yet`),
};

function checkInteger(v: unknown, sqlType: string): CheckResult {
  let n: bigint;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'boolean') n = v ? 1n : 0n;
  else if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) n = BigInt(v.trim());
  else return bad(`expects a whole number, got ${show(v)}`);
  const { min, max } = integerRange(sqlType);
  if (n < min || n > max) return bad(`${n} is out of range for ${sqlType} (${min} to ${max})`);
  return ok(n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
}

function checkDecimal(v: unknown, sqlType: string): CheckResult {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null;
  const m = text === null ? null : /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return bad(`expects a decimal number, got ${show(v)}`);
  const { precision, scale, unsigned } = decimalShape(sqlType);
  const intPart = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return bad(`${text} has more than ${scale} decimal places (${sqlType})`);
  if ((intPart === '0' ? 0 : intPart.length) > precision - scale) return bad(`${text} is too large for ${sqlType}`);
  if (m[1] === '-' && unsigned && (intPart !== '0' || frac !== '')) return bad(`${text} is negative but ${sqlType} is unsigned`);
  const sign = m[1] === '-' && (intPart !== '0' || frac !== '') ? '-' : '';
  return ok(sign + intPart + (scale > 0 ? '.' + frac.padEnd(scale, '0') : ''));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || y < 1000 || y > 9999) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function checkDate(v: unknown): CheckResult {
  const m = typeof v === 'string' ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(v) : null;
  if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return bad(`expects a date YYYY-MM-DD, got ${show(v)}`);
  return ok(`${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}`);
}

function checkDatetime(v: unknown): CheckResult {
  if (typeof v === 'string' && /^current_timestamp(\(\))?$/i.test(v.trim())) return bad('CURRENT_TIMESTAMP is a default, not a value; leave the attribute out instead');
  const m = typeof v === 'string' ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*$/.exec(v) : null;
  if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) {
    return bad(`expects a date and time YYYY-MM-DD HH:MM:SS, got ${show(v)}`);
  }
  return ok(`${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)} ${pad(+(m[4] ?? 0))}:${pad(+(m[5] ?? 0))}:${pad(+(m[6] ?? 0))}${fraction(m[7])}`);
}

/** Fractional seconds as 6 digits, or nothing when they are zero (as MySQL prints datetime(0)). */
export function fraction(digits: string | undefined): string {
  return digits && /[1-9]/.test(digits) ? `.${digits.padEnd(6, '0')}` : '';
}

function checkTime(v: unknown): CheckResult {
  const m = typeof v === 'string' ? /^\s*(-?)(\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*$/.exec(v) : null;
  if (!m || +m[3]! > 59 || +(m[4] ?? 0) > 59 || +m[2]! > 838) return bad(`expects a time H:MM:SS (up to 838:59:59), got ${show(v)}`);
  return ok(`${m[1]}${pad(+m[2]!)}:${m[3]}:${pad(+(m[4] ?? 0))}${fraction(m[5])}`);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object') return Array.isArray(v) ? 'a list' : 'an object';
  return String(v);
}
