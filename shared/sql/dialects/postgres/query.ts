import type { BoundValue, RExpr } from '../../../query/resolved';
import type { SqlDialect } from '../../dialect';
import { type Columns, likePattern } from '../../expr-compiler';
import { QueryCompiler } from '../../query-compiler';
import { isBoolAttribute } from '../../../model/attribute-kind';
import type { QueryAttribute } from '../../../query/types';

/** Text functions, which PostgreSQL does not define on enum types (MySQL treats an enum as its text). */
const ORDERING = new Set(['<', '>', '<=', '>=']);
const BOOLEAN_OPS = new Set(['<', '>', '<=', '>=', '=', '<>', '!=', '<=>', 'and', 'or']);

/**
 * Whether an expression compiles to a PostgreSQL boolean (a comparison, a logical operator); on
 * MySQL it is a 0/1 integer. Stored and computed columns are never booleans here: a `bool`
 * column is read as an integer ({@link PostgresQueryCompiler.tableColumn}) and a computed
 * condition is cast to integer where it is defined.
 */
function isBoolean(e: RExpr): boolean {
  if (e.kind === 'binary') return BOOLEAN_OPS.has(e.op);
  if (e.kind === 'unary') return e.op === 'not';
  return e.kind === 'in' || e.kind === 'between' || e.kind === 'like' || e.kind === 'is_null';
}
const EQUALITY = new Set(['=', '<>', '!=', '<=>']);

const labels = (e: RExpr) => [...(e.type.values ?? [])].sort().join(',');

/**
 * Whether `a` may be compared with each of `others` as they are: no enum involved, the same enum
 * (PostgreSQL names an enum type after its labels), or an enum and values among its labels.
 */
function enumSafe(a: RExpr, others: readonly RExpr[]): boolean {
  const all = [a, ...others];
  const en = all.find((x) => x.type.values);
  if (!en) return true;
  const allowed = new Set(en.type.values);
  return all.every(
    (x) =>
      (x.type.values && labels(x) === labels(en)) ||
      (x.kind === 'value' && (x.value === null || (typeof x.value === 'string' && allowed.has(x.value)))),
  );
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
    if (e.kind === 'binary' && EQUALITY.has(e.op) && !enumSafe(e.left, [e.right])) {
      // an enum equals text (another column, a value not among its labels) as text on MySQL
      return e.op === '<=>'
        ? this.nullSafeEq(text(e.left), text(e.right))
        : `(${text(e.left)} ${e.op} ${text(e.right)})`;
    }
    if (e.kind === 'call' && e.fn === 'round' && e.args.length === 2) {
      // PostgreSQL rounds to places only numerics, and takes the places as an integer
      const [x, places] = e.args.map((a) => this.expr(a, cols)) as [string, string];
      const rounded = `ROUND(CAST(${x} AS numeric), CAST(${places} AS integer))`;
      return e.type.kind === 'float' ? this.castDouble(rounded) : rounded;
    }
    if (e.kind === 'call' && (e.fn === 'coalesce' || e.fn === 'ifnull') && e.type.kind === 'decimal') {
      // MySQL gives the result the widest scale of the arguments (COALESCE(price, 0) shows 0.00)
      return `ROUND(${super.expr(e, cols)}, ${e.type.scale ?? 0})`;
    }
    if (e.kind === 'in' && !enumSafe(e.arg, e.items)) {
      return `(${text(e.arg)} ${e.negated ? 'NOT IN' : 'IN'} (${e.items.map(text).join(', ')}))`;
    }
    if (e.kind === 'between' && (e.arg.type.values || e.low.type.values || e.high.type.values)) {
      return `(${text(e.arg)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${text(e.low)} AND ${text(e.high)})`;
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

  /**
   * A `bool` attribute is a boolean column (as DataJoint 2.x declares it), which has no `= 1`,
   * `+`, SUM or MAX: queries read it as the integer 0/1, as MySQL's tinyint(1) is, so every
   * expression and restriction means what it means there.
   */
  protected override tableColumn(ref: string, attribute: QueryAttribute): string {
    return isBoolAttribute(attribute) ? `CAST(${ref} AS integer)` : ref;
  }

  /** PostgreSQL sorts NULLs as the largest value; MySQL as the smallest. */
  protected override orderItem(term: string, descending: boolean): string {
    return `${term} ${descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
  }

  /** A condition is a number on MySQL (`MAX(a > b)`, `(a > b) + 1`); PostgreSQL's booleans have no MAX or +. */
  protected override asValue(e: RExpr, sql: string): string {
    return isBoolean(e) ? `CAST(${sql} AS integer)` : sql;
  }

  /** Any number is a condition on MySQL (`WHERE n`, `a AND n`), as `n <> 0`. */
  protected override asTruth(e: RExpr, sql: string): string {
    return isBoolean(e) ? sql : `(${sql} <> 0)`;
  }

  /**
   * `GROUP BY k1 / $2` does not match `k1 / $5` in the SELECT list (two parameters, maybe two
   * values), so a grouped expression holding bound values is named by its position.
   */
  protected override groupTerm(term: string, position: number): string {
    // GROUP BY NULL (one group of a key-less source) is refused as a constant; a cast is an expression
    if (term === 'NULL') return 'CAST(NULL AS integer)';
    return position > 0 && this.holdsValues(term) ? String(position) : term;
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
        // MySQL's CONCAT is NULL when any argument is (PostgreSQL's CONCAT skips NULLs; || does not)
        return `(${args.map((a) => `CAST(${a} AS text)`).join(' || ')})`;
      case 'length':
      case 'char_length':
        return `CHAR_LENGTH(${args[0]})`;
      case 'substring':
      case 'substr':
        // positions are integers (a bound number is a bigint here)
        return `SUBSTR(${args.map((a, i) => (i === 0 ? a : `CAST(${a} AS integer)`)).join(', ')})`;
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
