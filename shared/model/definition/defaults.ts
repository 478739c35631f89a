import type { DataType, DefaultValue } from './ast';
import type { LineCursor } from './cursor';
import { quoteValue } from './types';

/**
 * Default values: read as written (`null`, a number, a quoted string, CURRENT_TIMESTAMP), then
 * checked against the attribute's type with MySQL's rules so that a definition that parses also
 * declares on the server. DataJoint quotes every default it does not recognise and lets the
 * server complain; Joinery says which line is wrong instead.
 */

const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![A-Za-z0-9_.])/;
const CURRENT_TIMESTAMP = /^current_timestamp(?:\((\d?)\))?$/i;

/** Reads the default between `=` and `:`; the cursor stops before the `:`. */
export function parseDefault(c: LineCursor): DefaultValue {
  c.skipSpace();
  const q = c.text[c.pos];
  if (q === '"' || q === "'") {
    const end = c.text.indexOf(q, c.pos + 1);
    if (end < 0) c.fail(`a closing ${q}`, { at: c.text.length, found: 'end of line' });
    const value = c.text.slice(c.pos + 1, end);
    c.pos = end + 1;
    return { kind: 'string', value };
  }
  if (c.match(/null(?![A-Za-z0-9_])/i)) return { kind: 'null' };
  const ts = c.match(/current_timestamp(?:\(\d?\))?(?![A-Za-z0-9_])/i);
  if (ts) return currentTimestamp(ts[0])!;
  const num = c.match(NUMBER);
  if (num) return { kind: 'number', text: num[0] };
  return c.fail('a default value (null, a number, a quoted string or CURRENT_TIMESTAMP)');
}

function currentTimestamp(text: string): DefaultValue | null {
  const m = CURRENT_TIMESTAMP.exec(text.trim());
  if (!m) return null;
  return { kind: 'current_timestamp', precision: m[1] ? Number(m[1]) : null };
}

/** The default as printed in a definition (`null`, `1.5`, `"text"`, `CURRENT_TIMESTAMP`). */
export function formatDefault(d: DefaultValue): string {
  switch (d.kind) {
    case 'null':
      return 'null';
    case 'number':
      return d.text;
    case 'string':
      return quoteValue(d.value, '"');
    case 'current_timestamp':
      return `CURRENT_TIMESTAMP${d.precision !== null ? `(${d.precision})` : ''}`;
  }
}

/** Why a default does not fit its type: what was expected instead, and a sentence. */
export interface DefaultProblem {
  expected: string;
  why: string;
}

type Check = { ok: DefaultValue } | { problem: DefaultProblem };
const ok = (d: DefaultValue): Check => ({ ok: d });
const bad = (expected: string, why: string): Check => ({ problem: { expected, why } });

const INT_RANGES: Record<string, [bigint, bigint, bigint]> = {
  // [signed min, signed max, unsigned max]
  tinyint: [-128n, 127n, 255n],
  smallint: [-32768n, 32767n, 65535n],
  mediumint: [-8388608n, 8388607n, 16777215n],
  int: [-2147483648n, 2147483647n, 4294967295n],
  bigint: [-9223372036854775808n, 9223372036854775807n, 18446744073709551615n],
};

/** Inclusive integer range of an integer-like type, or null for other types. */
export function integerRange(t: DataType): [bigint, bigint] | null {
  if (t.kind === 'bool') return [INT_RANGES.tinyint![0], INT_RANGES.tinyint![1]];
  if (t.kind === 'serial') return [0n, INT_RANGES.bigint![2]];
  if (t.kind !== 'integer') return null;
  const [lo, hi, uhi] = INT_RANGES[t.base]!;
  return t.unsigned ? [0n, uhi] : [lo, hi];
}

/**
 * Checks a non-null default against the attribute type; returns the default to keep (a quoted
 * `"current_timestamp()"`, which MariaDB's describe() prints, becomes CURRENT_TIMESTAMP).
 */
export function checkDefault(t: DataType, d: DefaultValue): { ok: DefaultValue } | { problem: DefaultProblem } {
  if (d.kind === 'null') return ok(d);
  switch (t.kind) {
    case 'integer':
    case 'bool':
    case 'serial':
      if (t.kind === 'serial' || (t.kind === 'integer' && t.autoIncrement)) {
        return bad('no default', 'an auto_increment attribute takes no default');
      }
      return checkInteger(integerRange(t)!, d);
    case 'decimal':
      return checkDecimal(t, d);
    case 'float':
      return checkFloat(t.unsigned, d);
    case 'char':
      if (d.kind !== 'string') return bad('a quoted string', 'string attributes take quoted defaults');
      if ([...d.value].length > t.length)
        return bad(`at most ${t.length} characters`, `the default is longer than ${t.length} characters`);
      return ok(d);
    case 'enum':
      if (d.kind !== 'string' || !t.values.includes(d.value)) {
        return bad(
          `one of ${t.values.map((v) => quoteValue(v)).join(', ')}`,
          'the default must be one of the enum values',
        );
      }
      return ok(d);
    case 'temporal':
      return checkTemporal(t.base, t.precision, d);
    default:
      return bad('null', `a ${t.kind} attribute can only default to null`);
  }
}

function checkInteger([lo, hi]: [bigint, bigint], d: DefaultValue): Check {
  if (d.kind !== 'number' || !/^[+-]?\d+$/.test(d.text))
    return bad('an integer', 'integer attributes take integer defaults');
  const v = BigInt(d.text);
  if (v < lo || v > hi) return bad(`an integer from ${lo} to ${hi}`, "the default is out of the type's range");
  return ok(d);
}

function checkDecimal(t: Extract<DataType, { kind: 'decimal' }>, d: DefaultValue): Check {
  if (d.kind !== 'number') return bad('a number', 'numeric attributes take numeric defaults');
  const p = t.precision ?? 10;
  const s = t.scale ?? 0;
  const v = Number(d.text);
  if (Math.abs(v) >= 10 ** (p - s))
    return bad(`a number below ${10 ** (p - s)} in magnitude`, `the default does not fit decimal(${p},${s})`);
  if (t.unsigned && v < 0) return bad('a number >= 0', 'unsigned attributes cannot default to a negative number');
  return ok(d);
}

function checkFloat(unsigned: boolean, d: DefaultValue): Check {
  if (d.kind !== 'number') return bad('a number', 'numeric attributes take numeric defaults');
  if (unsigned && Number(d.text) < 0)
    return bad('a number >= 0', 'unsigned attributes cannot default to a negative number');
  return ok(d);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^-?(\d{2,3}):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days;
}

function fractionFits(frac: string | undefined, precision: number | null): boolean {
  return frac === undefined || frac.length <= (precision ?? 0);
}

function checkTemporal(base: string, precision: number | null, d: DefaultValue): Check {
  const ts = d.kind === 'string' ? currentTimestamp(d.value) : d.kind === 'current_timestamp' ? d : null;
  if (ts && ts.kind === 'current_timestamp') {
    if (base !== 'datetime' && base !== 'timestamp')
      return bad('a quoted value', `CURRENT_TIMESTAMP is only a default for datetime and timestamp`);
    // MariaDB's describe() prints current_timestamp() for any precision; the column's precision is meant
    const p = d.kind === 'string' ? precision : ts.precision;
    if ((p ?? 0) !== (precision ?? 0))
      return bad(`CURRENT_TIMESTAMP(${precision ?? 0})`, 'the precision of CURRENT_TIMESTAMP must match the column');
    return ok({ kind: 'current_timestamp', precision: p === 0 ? null : p });
  }
  if (base === 'year') {
    if (d.kind !== 'number' || !/^\d{4}$/.test(d.text))
      return bad('a four-digit year', 'year attributes take a four-digit year');
    const y = Number(d.text);
    return y === 0 || (y >= 1901 && y <= 2155) ? ok(d) : bad('a year from 1901 to 2155', 'the year is out of range');
  }
  if (d.kind !== 'string') return bad('a quoted value', 'temporal attributes take quoted defaults');
  const v = d.value;
  if (base === 'date') return validDate(v) ? ok(d) : bad('a date "YYYY-MM-DD"', 'the default is not a valid date');
  if (base === 'time') {
    const m = TIME.exec(v);
    return m && Number(m[1]) <= 838 && fractionFits(m[4], precision)
      ? ok(d)
      : bad('a time "HH:MM:SS"', 'the default is not a valid time');
  }
  const m = /^(\S+) (\d{2}):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$/.exec(v);
  const good = m && validDate(m[1]!) && Number(m[2]) < 24 && fractionFits(m[5], precision);
  return good ? ok(d) : bad('a date and time "YYYY-MM-DD HH:MM:SS"', 'the default is not a valid date and time');
}
