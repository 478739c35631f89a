import type { DataType, LobSize } from '../../../model/definition/ast';
import { integerRange } from '../../../model/definition/defaults';
import type { ResolvedColumn } from '../../../model/definition/heading';
import { sqliteString } from '../../ddl/literals';

/**
 * SQLite column types and CHECK constraints that give each column MySQL's meaning: SQLite
 * stores anything anywhere, so ranges, lengths, enum members and date formats are checked
 * explicitly. Values are kept in the form MySQL returns them (dates as `YYYY-MM-DD hh:mm:ss`
 * text, bytes as blobs), so one data layer serves both engines.
 */

/**
 * SQLite affinity of a column. `INT` (not `INTEGER`) so that only auto_increment keys alias the rowid;
 * `BIGINT` (the same affinity) marks the columns whose values may pass 2^53, so the driver reads
 * exactly those as big integers (core/db/sqlite-driver.ts).
 */
export function sqliteAffinity(t: DataType): 'INT' | 'BIGINT' | 'NUMERIC' | 'REAL' | 'TEXT' | 'BLOB' {
  switch (t.kind) {
    case 'integer':
      return t.base === 'bigint' ? 'BIGINT' : 'INT';
    case 'serial':
      return 'BIGINT';
    case 'bool':
      return 'INT';
    case 'decimal':
      return 'NUMERIC';
    case 'float':
      return 'REAL';
    case 'char':
    case 'text':
    case 'enum':
    case 'json':
      return 'TEXT';
    case 'temporal':
      return t.base === 'year' ? 'INT' : 'TEXT';
    case 'uuid':
    case 'blob':
    case 'attach':
    case 'filepath':
    case 'adapted':
      return 'BLOB';
    case 'sql':
      return sqlAffinity(t.sql);
  }
}

/** SQLite's own affinity rules (datatype3.html §3.1) for types Joinery does not model. */
function sqlAffinity(sql: string): 'INT' | 'NUMERIC' | 'REAL' | 'TEXT' | 'BLOB' {
  const s = sql.toUpperCase();
  if (s.includes('INT')) return 'INT';
  if (/CHAR|CLOB|TEXT/.test(s)) return 'TEXT';
  if (/BLOB|BINARY/.test(s)) return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(s)) return 'REAL';
  return 'NUMERIC';
}

const LOB_BYTES: Record<LobSize, number | null> = { tiny: 255, '': 65535, medium: 16777215, long: null };

/** The CHECK expression for a column (NULL always passes), or null when SQLite needs none. */
export function sqliteCheck(col: ResolvedColumn, quoted: string): string | null {
  const cond = typeCondition(col.type, quoted);
  return cond ? `${quoted} IS NULL OR (${cond})` : null;
}

function typeCondition(t: DataType, x: string): string | null {
  switch (t.kind) {
    case 'integer':
    case 'serial':
    case 'bool':
      return integerCondition(integerRange(t)!, x);
    case 'decimal':
      return decimalCondition(t, x);
    case 'float': {
      const limit =
        t.base === 'float' && (t.precision === null || t.precision <= 24) ? ` AND abs(${x}) <= 3.402823466e38` : '';
      return `typeof(${x}) IN ('integer','real')${limit}${t.unsigned ? ` AND ${x} >= 0` : ''}`;
    }
    case 'char':
      return `typeof(${x}) = 'text' AND length(${x}) <= ${t.length}`;
    case 'text':
      return lobCondition('text', LOB_BYTES[t.size], x);
    case 'enum':
      return `${x} IN (${t.values.map(sqliteString).join(', ')})`;
    case 'temporal':
      return temporalCondition(t.base, t.precision ?? 0, x);
    case 'json':
      return `typeof(${x}) = 'text' AND json_valid(${x})`;
    case 'uuid':
    case 'filepath':
      return `typeof(${x}) = 'blob' AND length(${x}) = 16`;
    case 'blob':
      return t.store ? `typeof(${x}) = 'blob' AND length(${x}) = 16` : lobCondition('blob', LOB_BYTES[t.size], x);
    case 'attach':
      return t.store ? `typeof(${x}) = 'blob' AND length(${x}) = 16` : `typeof(${x}) = 'blob'`;
    case 'adapted':
      return null;
    case 'sql': {
      const bin = /^(var)?binary\((\d+)\)$/i.exec(t.sql);
      if (!bin) return null;
      return `typeof(${x}) = 'blob' AND length(${x}) ${bin[1] ? '<=' : '='} ${Number(bin[2])}`;
    }
  }
}

function integerCondition([lo, hi]: [bigint, bigint], x: string): string {
  // SQLite integers are signed 64-bit, so the ends of bigint's ranges are implied by typeof
  const conds = [`typeof(${x}) = 'integer'`];
  if (lo > -(2n ** 63n)) conds.push(`${x} >= ${lo}`);
  if (hi < 2n ** 63n - 1n) conds.push(`${x} <= ${hi}`);
  return conds.join(' AND ');
}

function decimalCondition(t: Extract<DataType, { kind: 'decimal' }>, x: string): string {
  const p = t.precision ?? 10;
  const s = t.scale ?? 0;
  return `typeof(${x}) IN ('integer','real') AND abs(${x}) < 1e${p - s}${t.unsigned ? ` AND ${x} >= 0` : ''}`;
}

function lobCondition(kind: 'text' | 'blob', maxBytes: number | null, x: string): string {
  const limit = maxBytes === null ? '' : ` AND length(CAST(${x} AS BLOB)) <= ${maxBytes}`;
  return `typeof(${x}) = '${kind}'${limit}`;
}

const DIGITS = '[0-9]';
const DATE_GLOB = `${DIGITS.repeat(4)}-${DIGITS.repeat(2)}-${DIGITS.repeat(2)}`;

/** Dates and times as MySQL returns them: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss[.f]`, `[-]hh:mm:ss[.f]`. */
function temporalCondition(base: string, precision: number, x: string): string {
  if (base === 'year') return `typeof(${x}) = 'integer' AND (${x} = 0 OR ${x} BETWEEN 1901 AND 2155)`;
  const text = `typeof(${x}) = 'text'`;
  if (base === 'date') return `${text} AND ${x} GLOB '${DATE_GLOB}' AND date(${x}) = ${x}`;
  if (base === 'time') {
    const t = `(CASE WHEN substr(${x}, 1, 1) = '-' THEN substr(${x}, 2) ELSE ${x} END)`;
    const colon = `instr(${t}, ':')`;
    const h = `substr(${t}, 1, ${colon} - 1)`;
    return (
      `${text} AND length(${h}) BETWEEN 2 AND 3 AND ${h} NOT GLOB '*[^0-9]*' AND CAST(${h} AS INTEGER) <= 838` +
      ` AND substr(${t}, ${colon}, 6) GLOB ':[0-5]${DIGITS}:[0-5]${DIGITS}' AND ${fraction(`substr(${t}, ${colon} + 6)`, precision)}`
    );
  }
  const head = `substr(${x}, 1, 19)`;
  const range = base === 'timestamp' ? ` AND ${x} BETWEEN '1970-01-01 00:00:01' AND '2038-01-19 03:14:07.999999'` : '';
  return (
    `${text} AND ${head} GLOB '${DATE_GLOB} ${DIGITS}${DIGITS}:${DIGITS}${DIGITS}:${DIGITS}${DIGITS}'` +
    ` AND datetime(${head}) = ${head} AND ${fraction(`substr(${x}, 20)`, precision)}${range}`
  );
}

/** What follows the seconds: nothing, or `.` and 1..precision digits. */
function fraction(rest: string, precision: number): string {
  if (precision === 0) return `${rest} = ''`;
  return (
    `(${rest} = '' OR (substr(${rest}, 1, 1) = '.' AND length(${rest}) BETWEEN 2 AND ${precision + 1}` +
    ` AND substr(${rest}, 2) NOT GLOB '*[^0-9]*'))`
  );
}
