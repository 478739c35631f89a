import type { BoundValue, RCond, RExpr, RQuery } from '../query/resolved';
import type { CompiledQuery, SqlDialect } from './dialect';

/**
 * The expression half of the query compiler (Kysely-style: one base class, small dialect
 * overrides). Values never enter the SQL text: each becomes a placeholder whose value is kept
 * aside, in text order. Identifiers reach the text only through the dialect's quoting, and only
 * after the resolver matched them against a heading.
 */

/** SQL text with `?` placeholders and the values to bind, in order. */
export type { CompiledQuery } from './dialect';

/** Attribute name -> SQL expression computing it in the current SELECT. */
export type Columns = ReadonlyMap<string, string>;

// Placeholders are written as NUL-delimited markers while fragments are assembled in any order,
// then numbered in text order at the end; identifiers can never contain NUL, so markers are unambiguous.
const MARKER = new RegExp(`${String.fromCharCode(0)}(\\d+)${String.fromCharCode(0)}`, 'g');

/** Expressions, conditions and dialect hooks; subclasses add query nodes and per-engine SQL. */
export abstract class ExprCompiler {
  private readonly values: BoundValue[] = [];
  constructor(protected readonly dialect: SqlDialect) {}

  /** Compiles a semijoin operand; implemented by the query compiler. */
  protected abstract exists(query: RQuery, on: readonly string[], outer: Columns): string;

  // ---- dialect hooks (the only engine-specific parts) ----
  /** Floating-point conversion, so / and avg give the same doubles on every engine. */
  protected abstract castDouble(sql: string): string;
  /** Signed integer conversion (MySQL refuses negative results of unsigned arithmetic). */
  protected castSigned(sql: string): string {
    return sql;
  }
  /** Plain text of an enum value (MySQL keeps min/max of an enum an enum, which then sorts by position). */
  protected enumAsText(sql: string): string {
    return sql;
  }
  /**
   * An expression's SQL where a value is expected (an operand, an argument, a computed column):
   * MySQL's and SQLite's conditions are already the numbers 0 and 1.
   */
  protected asValue(_e: RExpr, sql: string): string {
    return sql;
  }
  /** An expression's SQL where a condition is expected (AND, OR, NOT, WHERE): MySQL takes any number as one. */
  protected asTruth(_e: RExpr, sql: string): string {
    return sql;
  }
  protected abstract intDiv(l: string, r: string): string;
  /** `l / r` of doubles (MySQL and SQLite give NULL for a zero divisor). */
  protected divide(l: string, r: string): string {
    return `(${l} / ${r})`;
  }
  /** `l % r` (MySQL and SQLite give NULL for a zero divisor). */
  protected modulo(l: string, r: string): string {
    return `(${l} % ${r})`;
  }
  protected abstract nullSafeEq(l: string, r: string): string;
  protected abstract limitClause(limit: number | null, offset: number): string;
  /** A scalar function call; the function was checked against shared/query/functions.ts. */
  protected abstract call(fn: string, args: string[]): string;

  protected q(name: string): string {
    return this.dialect.quoteIdent(name);
  }

  /** A placeholder for `value`. */
  protected param(value: BoundValue): string {
    this.values.push(value);
    return `\u0000${this.values.length - 1}\u0000`;
  }

  /** Whether a fragment holds a placeholder (a bound value). */
  protected holdsValues(sql: string): boolean {
    return sql.includes('\u0000');
  }

  /** Replaces markers by `?` in text order and lists the values in that order. */
  protected finish(sql: string): CompiledQuery {
    const params: BoundValue[] = [];
    const text = sql.replace(MARKER, (_m, i: string) => {
      params.push(this.values[Number(i)]!);
      return '?';
    });
    return { sql: text, params };
  }

  /** A condition as SQL, or null when it is always true. */
  protected cond(c: RCond, cols: Columns): string | null {
    switch (c.kind) {
      case 'bool':
        return c.value ? null : '1 = 0';
      case 'expr':
        return this.asTruth(c.expr, this.expr(c.expr, cols));
      case 'match':
        return this.exists(c.query, c.on, cols);
      case 'not': {
        const inner = this.cond(c.item, cols);
        return inner === null ? '1 = 0' : `(NOT ${inner})`;
      }
      case 'and': {
        const parts = c.items.map((it) => this.cond(it, cols)).filter((s): s is string => s !== null);
        return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
      }
      case 'or': {
        const parts = c.items.map((it) => this.cond(it, cols));
        if (parts.some((p) => p === null)) return null;
        return parts.length === 0 ? '1 = 0' : parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
      }
    }
  }

  /** An expression as SQL over the columns of the current SELECT. */
  protected expr(e: RExpr, cols: Columns): string {
    const x = (sub: RExpr) => this.asValue(sub, this.expr(sub, cols));
    const truth = (sub: RExpr) => this.asTruth(sub, this.expr(sub, cols));
    switch (e.kind) {
      case 'attr': {
        const sql = cols.get(e.name);
        if (sql === undefined) throw new Error(`internal: no column for ${e.name}`);
        return sql;
      }
      case 'value':
        return this.value(e.value);
      case 'unary':
        return e.op === 'not'
          ? `(NOT ${truth(e.arg)})`
          : `(-(${e.arg.type.unsigned ? this.castSigned(x(e.arg)) : x(e.arg)}))`;
      case 'binary':
        return e.op === 'and' || e.op === 'or'
          ? this.binary(e, truth(e.left), truth(e.right))
          : this.binary(e, x(e.left), x(e.right));
      case 'in':
        return `(${x(e.arg)} ${e.negated ? 'NOT IN' : 'IN'} (${e.items.map(x).join(', ')}))`;
      case 'between':
        return `(${x(e.arg)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${x(e.low)} AND ${x(e.high)})`;
      case 'like':
        return `(${x(e.arg)} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${this.param(likePattern(e.pattern))} ESCAPE '!')`;
      case 'is_null':
        return `(${x(e.arg)} IS ${e.negated ? 'NOT NULL' : 'NULL'})`;
      case 'call':
        return this.call(e.fn, e.args.map(x));
      case 'aggregate': {
        if (!e.arg) return 'COUNT(*)';
        const isEnum = e.arg.type.kind === 'string' && Boolean(e.arg.type.values);
        // avg of a decimal stays exact where the engine keeps decimals exact (MySQL); others go through doubles
        const asDouble = e.fn === 'avg' && e.type.kind !== 'decimal';
        const arg = asDouble ? this.castDouble(x(e.arg)) : isEnum ? this.enumAsText(x(e.arg)) : x(e.arg);
        return `${e.fn.toUpperCase()}(${e.distinct ? 'DISTINCT ' : ''}${arg})`;
      }
    }
  }

  private value(v: BoundValue): string {
    if (v === null) return 'NULL';
    if (typeof v === 'boolean') return v ? '1' : '0';
    return this.param(v);
  }

  private binary(e: Extract<RExpr, { kind: 'binary' }>, l: string, r: string): string {
    switch (e.op) {
      case 'and':
        return `(${l} AND ${r})`;
      case 'or':
        return `(${l} OR ${r})`;
      case '<=>':
        return this.nullSafeEq(l, r);
      case '/':
        return this.divide(this.castDouble(l), r);
      default:
        break;
    }
    // MySQL makes arithmetic on unsigned columns unsigned and fails on negative results
    const sl = e.left.type.unsigned ? this.castSigned(l) : l;
    const sr = e.right.type.unsigned ? this.castSigned(r) : r;
    switch (e.op) {
      case 'div':
        return this.intDiv(sl, sr);
      case '%':
        return this.modulo(sl, sr);
      case '+':
      case '-':
      case '*':
        return `(${sl} ${e.op} ${sr})`;
      default:
        return `(${l} ${e.op} ${r})`;
    }
  }
}

/**
 * A MySQL LIKE pattern (backslash escapes) rewritten with `!` as the escape character, which both
 * engines accept in `ESCAPE '!'` (SQLite has no default escape, MySQL's default is `\`).
 */
export function likePattern(mysqlPattern: string): string {
  let out = '';
  for (let i = 0; i < mysqlPattern.length; i++) {
    const c = mysqlPattern[i]!;
    if (c === '\\' && i + 1 < mysqlPattern.length) {
      const n = mysqlPattern[++i]!;
      out += n === '%' || n === '_' || n === '!' ? '!' + n : n;
    } else if (c === '!') {
      out += '!!';
    } else {
      out += c;
    }
  }
  return out;
}
