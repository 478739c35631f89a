import { isIntNumber, PyDecimal, PyFloat, PyUuid } from './values';
import { PyDate, PyDateTime, PyTime, PyTimedelta } from './datetime';
import { invalidValue } from './invalid';

/**
 * Python's `str()` for the scalar values that appear in DataJoint keys. key_hash is md5 of these
 * strings, so every digit, quote and separator must be exactly what CPython prints.
 */

/** A scalar that Python's `str()` is defined for here (the values a fetched key can hold). */
export type PyScalar =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyFloat
  | PyDecimal
  | PyDate
  | PyTime
  | PyDateTime
  | PyTimedelta
  | PyUuid;

/**
 * `repr(float)` (= `str(float)`): the shortest digits that round-trip (JS and CPython agree on
 * those), laid out by CPython's rule: exponent form when the decimal point falls more than 16
 * digits right or 4 zeros left of the first digit, `.0` on whole numbers, two-digit exponents.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const decpt = exp + 1; // the point sits after `decpt` digits
  if (decpt > 16 || decpt < -3) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** `repr(bytes)`: `b'...'` with CPython's quote choice and `\t \n \r \\ \xNN` escapes. */
export function pyBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `b${quote}${out}${quote}`;
}

/** Python's `str(value)` for a key value (see {@link PyScalar}; numbers follow the int/float rule). */
export function pyStr(value: PyScalar): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'bigint':
      return value.toString();
    case 'string':
      return value;
    case 'number':
      return isIntNumber(value) ? String(value) : pyFloatRepr(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return pyBytesRepr(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (
    value instanceof PyDateTime ||
    value instanceof PyDate ||
    value instanceof PyTime ||
    value instanceof PyTimedelta ||
    value instanceof PyDecimal ||
    value instanceof PyUuid
  ) {
    return value.toString();
  }
  throw invalidValue(`Python's str() is not defined here for ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return value.constructor?.name ?? 'an object';
}
