import type { SqlDialect } from '../../dialect';
import { QueryCompiler } from '../../query-compiler';

/** SQLite's differences from the base query compiler: dates are text, so date parts come from strftime. */
export class SqliteQueryCompiler extends QueryCompiler {
  constructor(dialect: SqlDialect) {
    super(dialect);
  }

  protected override castDouble(sql: string): string {
    return `CAST(${sql} AS REAL)`;
  }

  protected override intDiv(l: string, r: string): string {
    return `(CAST(${l} AS INTEGER) / CAST(${r} AS INTEGER))`;
  }

  protected override nullSafeEq(l: string, r: string): string {
    return `(${l} IS ${r})`;
  }

  protected override limitClause(limit: number | null, offset: number): string {
    return `LIMIT ${limit ?? -1}${offset > 0 ? ` OFFSET ${offset}` : ''}`;
  }

  protected override call(fn: string, args: string[]): string {
    const part = DATE_PARTS[fn];
    if (part) return `CAST(strftime('${part}', ${args[0]}) AS INTEGER)`;
    switch (fn) {
      case 'concat':
        return `(${args.join(' || ')})`;
      case 'char_length':
        return `LENGTH(${args[0]})`;
      case 'substring':
        return `SUBSTR(${args.join(', ')})`;
      case 'ceiling':
        return `CEIL(${args[0]})`;
      case 'datediff':
        return `CAST(julianday(date(${args[0]})) - julianday(date(${args[1]})) AS INTEGER)`;
      case 'curdate':
        return `date('now', 'localtime')`;
      case 'now':
        return `datetime('now', 'localtime')`;
      default:
        return `${fn.toUpperCase()}(${args.join(', ')})`;
    }
  }
}

const DATE_PARTS: Record<string, string> = {
  year: '%Y',
  month: '%m',
  day: '%d',
  dayofmonth: '%d',
  hour: '%H',
  minute: '%M',
  second: '%S',
};
