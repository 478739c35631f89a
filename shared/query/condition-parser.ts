import { AppError } from '../errors';
import type { AggregateFn, BinaryOp, Expr } from './ast';
import { type Token, tokenize } from './condition-lexer';
import { queryError } from './errors';

/**
 * The condition language users type: MySQL-flavoured expressions as DataJoint users write them in
 * restrictions and computed attributes. Grammar, loosest first:
 *   or: and (OR and)* | and: not (AND not)* | not: NOT not | predicate
 *   predicate: sum [cmp sum | [NOT] IN (list) | [NOT] BETWEEN sum AND sum | [NOT] LIKE sum | IS [NOT] NULL]
 *   sum: product ((+|-) product)* | product: unary ((*|/|%|DIV|MOD) unary)* | unary: (-|+) unary | primary
 *   primary: number | string | TRUE | FALSE | NULL | name | `name` | fn(args) | (or)
 * The result is only syntax; names, types and functions are checked against a heading later.
 */

/** Words that cannot be attribute names without backquotes. */
export const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'LIKE',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'DIV',
  'MOD',
  'DISTINCT',
  'XOR',
]);
const AGGREGATES = new Set<AggregateFn>(['count', 'sum', 'avg', 'min', 'max']);
const COMPARISONS: Record<string, BinaryOp> = {
  '=': '=',
  '==': '=',
  '!=': '<>',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '<=>': '<=>',
};
const MAX_DEPTH = 200;

/** Options of {@link parseCondition}. */
export interface ParseOptions {
  /** Maps an offset in `text` to an offset in the text the user typed (when `text` was quoted inside it). */
  mapPos?: (pos: number) => number;
}

/** Parses one condition or expression; throws a VALIDATION error with the position on bad syntax. */
export function parseCondition(text: string, options: ParseOptions = {}): Expr {
  const map = options.mapPos ?? ((p: number) => p);
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof AppError && options.mapPos && typeof e.details?.position === 'number') {
      throw new AppError({ ...e.toData(), details: { ...e.details, position: map(e.details.position) } });
    }
    throw e;
  }
  const parser = new Parser(tokens, map);
  const expr = parser.parseExpression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly map: (p: number) => number,
  ) {}

  parseExpression(): Expr {
    if (++this.depth > MAX_DEPTH)
      throw queryError(`The condition nests deeper than ${MAX_DEPTH} levels.`, { pos: this.peek().pos });
    try {
      return this.parseOr();
    } finally {
      this.depth--;
    }
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t, 'an operator (AND, OR, =, <, +, ...) or the end of the condition');
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('OR') || this.isOp('||')) {
      const t = this.next();
      left = { kind: 'binary', op: 'or', left, right: this.parseAnd(), pos: this.map(t.pos) };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isWord('AND') || this.isOp('&&')) {
      const t = this.next();
      left = { kind: 'binary', op: 'and', left, right: this.parseNot(), pos: this.map(t.pos) };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isWord('NOT')) {
      const t = this.next();
      return this.nested(() => ({ kind: 'unary', op: 'not', arg: this.parseNot(), pos: this.map(t.pos) }));
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    let left = this.parseSum();
    for (;;) {
      const t = this.peek();
      const cmp = t.kind === 'op' ? COMPARISONS[t.text] : undefined;
      if (cmp) {
        this.next();
        left = { kind: 'binary', op: cmp, left, right: this.parseSum(), pos: this.map(t.pos) };
        continue;
      }
      if (this.isWord('IS')) return this.parseIsNull(left);
      const negated = this.isWord('NOT') && ['IN', 'BETWEEN', 'LIKE'].some((w) => this.isWord(w, 1));
      if (negated) this.next();
      if (this.isWord('IN')) return this.parseIn(left, negated);
      if (this.isWord('BETWEEN')) {
        const b = this.next();
        const low = this.parseSum();
        this.expectWord('AND');
        return { kind: 'between', arg: left, low, high: this.parseSum(), negated, pos: this.map(b.pos) };
      }
      if (this.isWord('LIKE')) {
        const l = this.next();
        return { kind: 'like', arg: left, pattern: this.parseSum(), negated, pos: this.map(l.pos) };
      }
      return left;
    }
  }

  private parseIsNull(arg: Expr): Expr {
    const t = this.next();
    const negated = this.isWord('NOT');
    if (negated) this.next();
    this.expectWord('NULL');
    return { kind: 'is_null', arg, negated, pos: this.map(t.pos) };
  }

  private parseIn(arg: Expr, negated: boolean): Expr {
    const t = this.next();
    this.expectOp('(');
    const items = [this.parseExpression()];
    while (this.isOp(',')) {
      this.next();
      items.push(this.parseExpression());
    }
    this.expectOp(')');
    return { kind: 'in', arg, items, negated, pos: this.map(t.pos) };
  }

  private parseSum(): Expr {
    let left = this.parseProduct();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: this.parseProduct(), pos: this.map(t.pos) };
    }
    return left;
  }

  private parseProduct(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const op: BinaryOp | null = this.isOp('*')
        ? '*'
        : this.isOp('/')
          ? '/'
          : this.isOp('%') || this.isWord('MOD')
            ? '%'
            : this.isWord('DIV')
              ? 'div'
              : null;
      if (!op) return left;
      this.next();
      left = { kind: 'binary', op, left, right: this.parseUnary(), pos: this.map(t.pos) };
    }
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      const arg = this.nested(() => this.parseUnary());
      if (t.text === '+') return arg;
      if (arg.kind === 'literal' && typeof arg.value === 'number')
        return { ...arg, value: -arg.value, pos: this.map(t.pos) };
      return { kind: 'unary', op: 'neg', arg, pos: this.map(t.pos) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    const pos = this.map(t.pos);
    if (t.kind === 'number') return (this.next(), { kind: 'literal', value: t.value!, pos });
    if (t.kind === 'string') return (this.next(), { kind: 'literal', value: t.text, pos });
    if (t.kind === 'quoted_ident') return (this.next(), { kind: 'attr', name: t.text, pos });
    if (this.isOp('(')) {
      this.next();
      const inner = this.parseExpression();
      this.expectOp(')');
      return inner;
    }
    if (t.kind === 'ident') {
      const word = t.text.toUpperCase();
      if (word === 'TRUE' || word === 'FALSE') return (this.next(), { kind: 'literal', value: word === 'TRUE', pos });
      if (word === 'NULL') return (this.next(), { kind: 'literal', value: null, pos });
      if (this.tokens[this.i + 1]?.text === '(' && this.tokens[this.i + 1]?.kind === 'op') return this.parseCall();
      if (KEYWORDS.has(word))
        throw this.unexpected(
          t,
          'an attribute, a value or "("',
          `"${t.text}" is a keyword; write \`${t.text}\` for an attribute of that name`,
        );
      this.next();
      return { kind: 'attr', name: t.text, pos };
    }
    throw this.unexpected(t, 'an attribute, a value or "("');
  }

  private parseCall(): Expr {
    const name = this.next();
    const pos = this.map(name.pos);
    const fn = name.text.toLowerCase();
    this.next(); // (
    if (AGGREGATES.has(fn as AggregateFn)) {
      const distinct = this.isWord('DISTINCT');
      if (distinct) this.next();
      let arg: Expr | null = null;
      if (fn === 'count' && !distinct && this.isOp('*')) this.next();
      else arg = this.parseExpression();
      this.expectOp(')');
      return { kind: 'aggregate', fn: fn as AggregateFn, arg, distinct, pos };
    }
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.parseExpression());
      while (this.isOp(',')) {
        this.next();
        args.push(this.parseExpression());
      }
    }
    this.expectOp(')');
    return { kind: 'call', fn, args, pos };
  }

  private nested<T>(work: () => T): T {
    if (++this.depth > MAX_DEPTH)
      throw queryError(`The condition nests deeper than ${MAX_DEPTH} levels.`, { pos: this.map(this.peek().pos) });
    try {
      return work();
    } finally {
      this.depth--;
    }
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === op;
  }

  private isWord(word: string, ahead = 0): boolean {
    const t = this.tokens[this.i + ahead];
    return t !== undefined && t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) throw this.unexpected(this.peek(), `"${op}"`);
    this.next();
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw this.unexpected(this.peek(), word);
    this.next();
  }

  private unexpected(t: Token, expected: string, hint?: string) {
    const found = t.kind === 'eof' ? 'the end of the condition' : t.kind === 'string' ? 'a string' : `"${t.text}"`;
    return queryError(`Expected ${expected} but found ${found}.`, { pos: this.map(t.pos), expected, hint });
  }
}
