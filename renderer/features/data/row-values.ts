import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import type { AppErrorData } from '../../../shared/errors';
import { attributeKind } from '../../../shared/model/attribute-kind';
import { checkValue } from '../../../shared/model/value-rules';

/**
 * From what the form holds to a row the core accepts, checked by the SAME rules the core applies
 * (shared/model/value-rules.ts), so a bad value is reported next to its field before anything is sent.
 */

/** What a field holds: its text, or a chosen file for attachments. */
export type RawValue = string | { filename: string; base64: string };

/** The form's content: raw values by attribute name. */
export type RawRow = Record<string, RawValue>;

/** Per-attribute messages. */
export type FieldErrors = Record<string, string>;

/** A field's text for a fetched value (edit forms start from the row). */
export function rawFromValue(value: unknown): RawValue {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'attachment' && typeof o.filename === 'string' && typeof o.base64 === 'string')
      return { filename: o.filename, base64: o.base64 };
    return JSON.stringify(value);
  }
  return String(value);
}

function parsed(attr: AttributeInfo, raw: RawValue): { value: unknown } | { reason: string } {
  if (typeof raw !== 'string') return { value: raw };
  const kind = attributeKind(attr);
  if (kind === 'blob' || (kind === 'external' && !attr.is_attachment && !attr.is_filepath)) {
    try {
      return { value: JSON.parse(raw) };
    } catch {
      return { reason: 'expects JSON (a number, a list such as [1, 2, 3], or an object)' };
    }
  }
  return { value: raw };
}

/**
 * Checks `attributes` of the form and returns the row to send, or the errors per field. An empty
 * field means "no value": the column's default, or NULL; it is an error only for a required
 * attribute with no default.
 */
export function rowFromForm(
  attributes: readonly AttributeInfo[],
  raw: RawRow,
  opts: { emptyAsNull?: boolean } = {},
): { row: Record<string, unknown>; errors: FieldErrors } {
  const row: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const a of attributes) {
    const r = raw[a.name] ?? '';
    if (r === '') {
      if (!a.nullable && a.default === null && !a.autoincrement) errors[a.name] = 'is required';
      else if (opts.emptyAsNull && a.nullable) row[a.name] = null;
      continue;
    }
    const p = parsed(a, r);
    if ('reason' in p) {
      errors[a.name] = p.reason;
      continue;
    }
    const c = checkValue(a, p.value);
    if (c.ok) row[a.name] = c.value;
    else errors[a.name] = c.reason;
  }
  return { row, errors };
}

/**
 * Places a core error next to the fields it names: `details.attribute(s)` (wrong type, missing
 * parent), or the key attributes for a duplicate key. What names no field stays a form error.
 */
export function fieldErrorsFromCore(
  error: AppErrorData,
  attributes: readonly Pick<AttributeInfo, 'name' | 'in_key'>[],
): FieldErrors {
  const d = error.details ?? {};
  const names = new Set(attributes.map((a) => a.name));
  const named = [
    ...(Array.isArray(d.attributes) ? (d.attributes as unknown[]) : []),
    ...(typeof d.attribute === 'string' ? [d.attribute] : []),
  ].filter((n): n is string => typeof n === 'string' && names.has(n));
  const message = shortMessage(error.message);
  if (d.reason === 'duplicate') {
    return Object.fromEntries(attributes.filter((a) => a.in_key).map((a) => [a.name, message]));
  }
  return Object.fromEntries([...new Set(named)].map((n) => [n, message]));
}

// "lab.subject row 1: weight ..." -> "weight ..." (the field already says which table and row)
function shortMessage(message: string): string {
  return message.replace(/^[^:]*\brow \d+[^:]*:\s*/, '');
}
