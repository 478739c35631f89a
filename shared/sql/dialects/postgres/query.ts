import type { BoundValue, RExpr } from '../../../query/resolved';
import type { SqlDialect } from '../../dialect';
import { type Columns, likePattern } from '../../expr-compiler';
import { QueryCompiler } from '../../query-compiler';

/** Text functions, which PostgreSQL does not define on enum types (MySQL treats an enum as its text). */
const ORDERING = new Set(['<', '>', '<=', '>=']);
const BOOLEAN_OPS = new Set(['<', '>', '<=', '>=', '=', '<>', '!=', '<=>', 'and', 'or']);

/** Whether an expression is a condition, a boolean in PostgreSQL and a 0/1 integer on MySQL. */
function isBoolean(e: RExpr): boolean {
  if (e.type.kind === 'bool') return true;
  if (e.kind === 'binary') return BOOLEAN_OPS.has(e.op);
  if (e.kind === 'unary') return e.op === 'not';
  return e.kind === 'in' || e.kind === 'between' || e.kind === 'like' || e.kind === 'is_null';
}
const TEXT_FUNCTIONS = new Set(['lower', 'upper', 'trim', 'length', 'char_length', 'substring', 'substr']);

/**
 * PostgreSQL's differences from the base query compiler, so queries give MySQL's answers: a zero
 * divisor gives NULL (PostgreSQL raises), `DIV` truncates, date parts come from EXTRACT.
 */
export class PostgresQueryCompiler extends QueryCompiler {
  constructor(dialect: SqlDialect) {
    super(dialect);
  }

  /**
   * An enum compares with text as its text on MySQL (`sex > 'F'`), where PostgreSQL would
   * compare positions in the type; so enums in ordering comparisons and BETWEEN are cast, and
   * every LIKE operand.
   */
  protected override expr(e: RExpr, cols: Columns): string {
    const text = (x: RExpr) => (x.type.values ? `CAST(${super.expr(x, cols)} AS text)` : super.expr(x, cols));
    if (e.kind === 'like') {
      // LIKE takes any value as text on MySQL (dates, numbers, enums) and ignores case there and on SQLite
      return `(CAST(${super.expr(e.arg, cols)} AS text) ${e.negated ? 'NOT ILIKE' : 'ILIKE'} ${this.param(likePattern(e.pattern))} ESCAPE '!')`;
    }
    if (e.kind === 'binary' && ORDERING.has(e.op) && (e.left.type.values || e.right.type.values)) {
      return `(${text(e.left)} ${e.op} ${text(e.right)})`;
    }
    if (e.kind === 'between' && (e.arg.type.values || e.low.type.values || e.high.type.values)) {
      return `(${text(e.arg)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${text(e.low)} AND ${text(e.high)})`;
    }
    if (e.kind === 'aggregate' && e.arg && isBoolean(e.arg) && e.fn !== 'count') {
      // a comparison is a number on MySQL (MAX(a > b)); PostgreSQL's booleans have no MAX or SUM
      const int = `CAST(${super.expr(e.arg, cols)} AS integer)`;
      const arg = e.fn === 'avg' ? this.castDouble(int) : int;
      return `${e.fn.toUpperCase()}(${e.distinct ? 'DISTINCT ' : ''}${arg})`;
    }
    if (e.kind === 'aggregate' && e.fn === 'avg' && e.type.kind === 'decimal' && e.type.scale !== undefined) {
      // MySQL's AVG of a decimal keeps 4 more digits than its argument (the heading's scale); PostgreSQL's keeps 16+
      return `ROUND(${super.expr(e, cols)}, ${e.type.scale})`;
    }
    return super.expr(e, cols);
  }

  /**
   * Numbers are typed where they are bound, as MySQL types its literals (integers as bigint,
   * others as decimal): PostgreSQL would otherwise take the type of the other operand and refuse
   * `sum - 0.5` as a bad bigint.
   */
  protected override param(value: BoundValue): string {
    const marker = super.param(value);
    if (typeof value !== 'number') return marker;
    return `CAST(${marker} AS ${Number.isInteger(value) ? 'bigint' : 'numeric'})`;
  }

  /** PostgreSQL sorts NULLs as the largest value; MySQL as the smallest. */
  protected override orderItem(term: string, descending: boolean): string {
    return `${term} ${descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
  }

  protected override castDouble(sql: string): string {
    return `CAST(${sql} AS double precision)`;
  }

  protected override enumAsText(sql: string): string {
    return `CAST(${sql} AS text)`;
  }

  protected override divide(l: string, r: string): string {
    return `(${l} / NULLIF(${r}, 0))`;
  }

  protected override modulo(l: string, r: string): string {
    return `MOD(${l}, NULLIF(${r}, 0))`;
  }

  protected override intDiv(l: string, r: string): string {
    return `CAST(TRUNC(CAST(${l} AS numeric) / NULLIF(CAST(${r} AS numeric), 0)) AS bigint)`;
  }

  protected override nullSafeEq(l: string, r: string): string {
    return `(${l} IS NOT DISTINCT FROM ${r})`;
  }

  protected override limitClause(limit: number | null, offset: number): string {
    return `LIMIT ${limit ?? 'ALL'}${offset > 0 ? ` OFFSET ${offset}` : ''}`;
  }

  protected override call(fn: string, args: string[]): string {
    const part = DATE_PARTS[fn];
    if (part) return `CAST(EXTRACT(${part} FROM ${args[0]}) AS integer)`;
    if (TEXT_FUNCTIONS.has(fn)) args = [`CAST(${args[0]} AS text)`, ...args.slice(1)];
    switch (fn) {
      case 'concat':
        return `CONCAT(${args.map((a) => `CAST(${a} AS text)`).join(', ')})`;
      case 'length':
      case 'char_length':
        return `CHAR_LENGTH(${args[0]})`;
      case 'substring':
      case 'substr':
        return `SUBSTR(${args.join(', ')})`;
      case 'ceiling':
        return `CEIL(${args[0]})`;
      case 'ifnull':
        return `COALESCE(${args.join(', ')})`;
      case 'date':
        return `CAST(${args[0]} AS date)`;
      case 'datediff':
        return `(CAST(${args[0]} AS date) - CAST(${args[1]} AS date))`;
      case 'curdate':
        return 'CURRENT_DATE';
      case 'now':
        return 'LOCALTIMESTAMP(0)';
      default:
        return `${fn.toUpperCase()}(${args.join(', ')})`;
    }
  }
}

const DATE_PARTS: Record<string, string> = {
  year: 'YEAR',
  month: 'MONTH',
  day: 'DAY',
  dayofmonth: 'DAY',
  hour: 'HOUR',
  minute: 'MINUTE',
  // MySQL's SECOND is the whole seconds
  second: 'SECOND',
};
