import type { DataType, IntegerBase, LobSize, TemporalBase } from './ast';
import { LineCursor } from './cursor';

/**
 * The attribute types of DataJoint's TYPE_PATTERN (declare.py), read into {@link DataType} and
 * written back in one canonical spelling (lower case, `integer` -> `int`, `boolean` -> `bool`,
 * `numeric` -> `decimal`). Bounds are MariaDB's, so a type that parses also declares.
 */

const INTEGER_BASES: Record<string, IntegerBase> = {
  tinyint: 'tinyint',
  smallint: 'smallint',
  mediumint: 'mediumint',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
};
const LOB = /^(tiny|medium|long)?(blob|text)$/;
const TEMPORAL: ReadonlySet<string> = new Set(['date', 'datetime', 'time', 'timestamp', 'year']);
/** MariaDB's longest varchar in utf8mb4 (65535 bytes / 4). */
const MAX_VARCHAR = 16383;

/** Reads a type from `c` up to its end (the caller has cut the line before any `#` comment). */
export function parseDataType(c: LineCursor): DataType {
  c.skipSpace();
  if (c.text[c.pos] === '<') return parseAdapted(c);
  const start = c.pos;
  const word = c.match(/[A-Za-z_][A-Za-z0-9_]*/);
  if (!word) c.fail('a type');
  const kw = word[0].toLowerCase();
  const type = parseKeyword(c, kw, start);
  if (!c.atEnd()) c.fail(expectedAfter(type));
  return type;
}

function parseKeyword(c: LineCursor, kw: string, start: number): DataType {
  const intBase = INTEGER_BASES[kw];
  if (intBase) return parseInteger(c, intBase);
  if (kw === 'serial') return { kind: 'serial' };
  if (kw === 'decimal' || kw === 'numeric') return parseDecimal(c);
  if (kw === 'float' || kw === 'double' || kw === 'real') return parseFloat(c, kw);
  if (kw === 'char' || kw === 'varchar') return parseChar(c, kw === 'varchar');
  if (kw === 'enum') return { kind: 'enum', values: parseEnumValues(c) };
  if (TEMPORAL.has(kw)) return parseTemporal(c, kw as TemporalBase);
  if (kw === 'bool' || kw === 'boolean') return { kind: 'bool' };
  if (kw === 'json') return { kind: 'json' };
  if (kw === 'uuid') return { kind: 'uuid' };
  if (kw === 'attach') return { kind: 'attach', store: parseStore(c, false) };
  if (kw === 'filepath') return { kind: 'filepath', store: parseStore(c, true)! };
  const lob = LOB.exec(kw);
  if (lob) {
    const size = (lob[1] ?? '') as LobSize;
    if (lob[2] === 'text') return { kind: 'text', size };
    const store = size === '' ? parseStore(c, false) : null;
    return { kind: 'blob', size, store };
  }
  return c.fail('a DataJoint type (int, varchar(n), enum(...), date, blob, ...)', { at: start });
}

function expectedAfter(t: DataType): string {
  switch (t.kind) {
    case 'integer':
      return t.autoIncrement
        ? 'end of type'
        : t.unsigned
          ? '"auto_increment" or end of type'
          : '"unsigned", "auto_increment" or end of type';
    case 'decimal':
    case 'float':
      return t.unsigned ? 'end of type' : '"unsigned" or end of type';
    default:
      return 'end of type';
  }
}

/** `(n)` or `(n, m)`: the numbers, or null without parentheses. */
function parseArgs(c: LineCursor, maxArgs: 1 | 2): number[] | null {
  if (!c.eat('(')) return null;
  const out: number[] = [];
  for (;;) {
    const m = c.match(/\d{1,6}/);
    if (!m) c.fail('a number');
    out.push(Number(m[0]));
    if (out.length < maxArgs && c.eat(',')) continue;
    c.expect(')', out.length < maxArgs ? '"," or ")"' : '")"');
    return out;
  }
}

/** Fails unless `value` (read at `at`) lies in [lo, hi]. */
function checkRange(c: LineCursor, value: number, lo: number, hi: number, what: string, at: number): void {
  if (value < lo || value > hi) c.fail(`${what} from ${lo} to ${hi}`, { at, found: String(value) });
}

function parseInteger(c: LineCursor, base: IntegerBase): DataType {
  c.skipSpace();
  const at = c.pos + 1;
  const args = parseArgs(c, 1);
  if (args) checkRange(c, args[0]!, 1, 255, 'a display width', at);
  const unsigned = c.match(/unsigned\b/i) !== null;
  const autoIncrement = c.match(/auto_increment\b/i) !== null;
  return { kind: 'integer', base, width: args ? args[0]! : null, unsigned, autoIncrement };
}

function parseDecimal(c: LineCursor): DataType {
  c.skipSpace();
  const at = c.pos + 1;
  const args = parseArgs(c, 2);
  const precision = args ? args[0]! : null;
  const scale = args && args.length > 1 ? args[1]! : null;
  if (precision !== null) checkRange(c, precision, 1, 65, 'a precision', at);
  if (scale !== null) checkRange(c, scale, 0, Math.min(30, precision!), 'a scale', at);
  const unsigned = c.match(/unsigned\b/i) !== null;
  return { kind: 'decimal', precision, scale, unsigned };
}

function parseFloat(c: LineCursor, base: 'float' | 'double' | 'real'): DataType {
  c.skipSpace();
  const at = c.pos;
  const args = parseArgs(c, 2);
  const precision = args ? args[0]! : null;
  const scale = args && args.length > 1 ? args[1]! : null;
  if (args && base !== 'float' && scale === null) c.fail('"," and a scale', { at: c.pos - 1, found: '")"' });
  if (precision !== null && scale === null) checkRange(c, precision, 0, 53, 'a precision', at + 1);
  if (precision !== null && scale !== null) {
    checkRange(c, precision, 1, 255, 'a precision', at + 1);
    checkRange(c, scale, 0, Math.min(30, precision), 'a scale', at + 1);
  }
  const unsigned = c.match(/unsigned\b/i) !== null;
  return { kind: 'float', base, precision, scale, unsigned };
}

function parseChar(c: LineCursor, varying: boolean): DataType {
  c.skipSpace();
  const at = c.pos + 1;
  const args = parseArgs(c, 1);
  if (!args) c.fail('"(" and a length');
  checkRange(c, args[0]!, varying ? 1 : 0, varying ? MAX_VARCHAR : 255, 'a length', at);
  return { kind: 'char', varying, length: args[0]! };
}

function parseTemporal(c: LineCursor, base: TemporalBase): DataType {
  c.skipSpace();
  const at = c.pos;
  if (base === 'date') return { kind: 'temporal', base, precision: null };
  const args = parseArgs(c, 1);
  if (args && base === 'year') {
    if (args[0] !== 4) c.fail('year or year(4)', { at: at + 1, found: String(args[0]) });
    return { kind: 'temporal', base, precision: null };
  }
  if (args) checkRange(c, args[0]!, 0, 6, 'a fractional-seconds precision', at + 1);
  return { kind: 'temporal', base, precision: args ? args[0]! : null };
}

/** `('a', "b", ...)`: quoted values without escapes (DataJoint's pyparsing has none), no duplicates. */
function parseEnumValues(c: LineCursor): string[] {
  c.expect('(', '"(" and the enum values');
  const values: string[] = [];
  for (;;) {
    c.skipSpace();
    const at = c.pos;
    const m = c.match(/'([^']*)'|"([^"]*)"/);
    if (!m) c.fail('a quoted enum value');
    const value = m[1] ?? m[2]!;
    if (value.includes('\\'))
      c.fail('an enum value without "\\"', {
        at,
        why: 'backslashes in enum values mean different things to MySQL and SQLite',
      });
    if (values.includes(value)) c.fail('distinct enum values', { at, why: `enum value "${value}" is listed twice` });
    values.push(value);
    if (c.eat(',')) continue;
    c.expect(')', '"," or ")"');
    return values;
  }
}

/** `@store` right after the keyword; required for filepath. */
function parseStore(c: LineCursor, required: boolean): string | null {
  if (c.text[c.pos] !== '@') {
    if (required) c.fail('"@" and a store name');
    return null;
  }
  c.pos++;
  const start = c.pos;
  const m = /^[a-z][a-z0-9_-]*/.exec(c.text.slice(c.pos));
  if (!m) c.fail('a store name ([a-z][a-z0-9_-]*)', { at: start });
  c.pos += m[0].length;
  return m[0];
}

function parseAdapted(c: LineCursor): DataType {
  c.pos++;
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(c.text.slice(c.pos));
  if (!m) c.fail('an adapter name');
  c.pos += m[0].length;
  if (c.text[c.pos] !== '>') c.fail('">"');
  c.pos++;
  if (!c.atEnd()) c.fail('end of type');
  return { kind: 'adapted', adapter: m[0] };
}

/** Quotes an enum value or string default the way DataJoint prints them (`'` unless it holds one). */
export function quoteValue(value: string, prefer: '"' | "'" = "'"): string {
  const other = prefer === '"' ? "'" : '"';
  const q = value.includes(prefer) ? other : prefer;
  if (value.includes(q)) throw new RangeError(`a value cannot hold both quote characters: ${value}`);
  return q + value + q;
}

/** The canonical text of a type, as `describe()` would print it. */
export function formatDataType(t: DataType): string {
  const u = (unsigned: boolean) => (unsigned ? ' unsigned' : '');
  switch (t.kind) {
    case 'integer':
      return `${t.base}${t.width !== null ? `(${t.width})` : ''}${u(t.unsigned)}${t.autoIncrement ? ' auto_increment' : ''}`;
    case 'serial':
      return 'serial';
    case 'decimal':
      return `decimal${args(t.precision, t.scale)}${u(t.unsigned)}`;
    case 'float':
      return `${t.base}${args(t.precision, t.scale)}${u(t.unsigned)}`;
    case 'char':
      return `${t.varying ? 'varchar' : 'char'}(${t.length})`;
    case 'text':
      return `${t.size}text`;
    case 'enum':
      return `enum(${t.values.map((v) => quoteValue(v)).join(',')})`;
    case 'temporal':
      return `${t.base}${t.precision !== null ? `(${t.precision})` : ''}`;
    case 'bool':
    case 'json':
    case 'uuid':
      return t.kind;
    case 'blob':
      return t.store ? `blob@${t.store}` : `${t.size}blob`;
    case 'attach':
      return t.store ? `attach@${t.store}` : 'attach';
    case 'filepath':
      return `filepath@${t.store}`;
    case 'adapted':
      return `<${t.adapter}>`;
    case 'sql':
      return t.sql;
  }
}

function args(p: number | null, s: number | null): string {
  if (p === null) return '';
  return s === null ? `(${p})` : `(${p},${s})`;
}

/** Reads a type text on its own (a parent's stored type, an adapter's type); SQL-only types become `sql`. */
export function dataTypeFromText(text: string, opts: { sqlFallback?: boolean } = {}): DataType {
  try {
    return parseDataType(new LineCursor(text, 1, 0));
  } catch (e) {
    if (opts.sqlFallback) return { kind: 'sql', sql: text.trim() };
    throw e;
  }
}
