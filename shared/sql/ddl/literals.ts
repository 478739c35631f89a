import type { DefaultValue } from '../../model/definition/ast';

/**
 * String literals for DDL text, where values cannot be bound (COMMENT, DEFAULT). Comments and
 * defaults come from users, so every character that could end the literal is escaped here and
 * nowhere else.
 */

/** Options of MySQL literals. */
export interface MysqlLiteralOptions {
  /** The session runs with sql_mode NO_BACKSLASH_ESCAPES (backslash is then an ordinary character). */
  noBackslashEscapes?: boolean;
}

const CTRL_Z = String.fromCharCode(0x1a);
const MYSQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "''",
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  [CTRL_Z]: '\\Z',
};
const MYSQL_SPECIAL = new Set(Object.keys(MYSQL_ESCAPES));

/**
 * A MySQL string literal in single quotes: single quotes stay strings even under ANSI_QUOTES
 * (DataJoint's double quotes would then be identifiers).
 */
export function mysqlString(value: string, opts: MysqlLiteralOptions = {}): string {
  if (opts.noBackslashEscapes) {
    if (['\0', '\n', '\r', CTRL_Z].some((ch) => value.includes(ch))) {
      throw new RangeError('control characters cannot be written without backslash escapes');
    }
    return `'${value.replaceAll("'", "''")}'`;
  }
  return `'${[...value].map((ch) => (MYSQL_SPECIAL.has(ch) ? MYSQL_ESCAPES[ch] : ch)).join('')}'`;
}

/** A SQLite string literal: only `'` needs doubling; NUL cannot appear in SQL text. */
export function sqliteString(value: string): string {
  if (value.includes('\0')) throw new RangeError('NUL cannot appear in a SQLite literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A number as written in a definition, checked again so nothing else reaches the SQL text. */
export function numberLiteral(text: string): string {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) throw new RangeError(`not a number: ${text}`);
  return text;
}

/** The MySQL DEFAULT expression of a default value. */
export function mysqlDefault(d: DefaultValue, opts: MysqlLiteralOptions = {}): string {
  switch (d.kind) {
    case 'null':
      return 'NULL';
    case 'number':
      return numberLiteral(d.text);
    case 'string':
      return mysqlString(d.value, opts);
    case 'current_timestamp':
      return d.precision ? `CURRENT_TIMESTAMP(${d.precision})` : 'CURRENT_TIMESTAMP';
  }
}
