import type { Literal, NamedAttribute, QueryNode, Restriction } from './ast';
import { KEYWORDS, parseCondition } from './condition-parser';
import { queryError } from './errors';
import { type PyArg, PyCursor, type PyNamed } from './expression-cursor';
import { type PyToken, tokenizeExpression } from './expression-lexer';

/**
 * DataJoint's Python query syntax, as `joinery query` takes it (**fixed**): class names as
 * operands (`Subject`, `Scan.Field`, `schema.Class`), `*` before `+`/`-` before `&` (Python's
 * precedence), parentheses, quoted conditions, dicts, lists (OR), `Not(...)`, `AndList([...])`,
 * `.proj(...)`, `.aggr(...)`, `U(...)` and `Top(...)` (each also as `dj.X`).
 */

/** Resolves a dotted class path (`Subject`, `Scan.Field`, `lab.Subject`) to a table, or throws a VALIDATION error. */
export type ClassResolver = (path: readonly string[], pos: number) => { schema: string; table: string };

type Operand =
  | { kind: 'query'; node: QueryNode; pos: number }
  | { kind: 'universal'; node: Extract<QueryNode, { kind: 'universal' }>; pos: number }
  | { kind: 'restriction'; r: Restriction; what: string; pos: number }
  | { kind: 'top'; limit: number | null; orderBy: string[]; offset: number; pos: number };

const MAX_DEPTH = 100;
const DJ_CALLS = new Set(['U', 'Top', 'Not', 'AndList']);
const RENAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const COPY = /^\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/;

/** Parses a query expression; every table name goes through `resolve`. */
export function parseQueryExpression(text: string, resolve: ClassResolver): QueryNode {
  if (text.trim() === '')
    throw queryError('The query expression is empty.', { pos: 0, expected: 'a table name such as Subject' });
  const p = new ExpressionParser(tokenizeExpression(text), resolve);
  const op = p.parseTop();
  return p.asQuery(op, 'The expression');
}

class ExpressionParser extends PyCursor<Operand> {
  private depth = 0;
  constructor(
    t: PyToken[],
    private readonly resolve: ClassResolver,
  ) {
    super(t);
  }

  parseTop(): Operand {
    const op = this.expr();
    const rest = this.peek();
    if (rest.kind !== 'eof') throw this.unexpected(rest, 'an operator (* & - +), ".proj(", ".aggr(" or the end');
    return op;
  }

  protected expr(): Operand {
    if (++this.depth > MAX_DEPTH)
      throw queryError(`The expression nests deeper than ${MAX_DEPTH} levels.`, { pos: this.peek().pos });
    try {
      let left = this.sum();
      while (this.isPunct('&')) {
        const op = this.next();
        left = this.restrict(left, this.sum(), false, op.pos);
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  private sum(): Operand {
    let left = this.product();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next();
      const right = this.product();
      if (op.text === '-') left = this.restrict(left, right, true, op.pos);
      else
        left = {
          kind: 'query',
          node: {
            kind: 'union',
            left: this.asQuery(left, 'The left operand of +'),
            right: this.asQuery(right, 'The right operand of +'),
            pos: op.pos,
          },
          pos: left.pos,
        };
    }
    return left;
  }

  private product(): Operand {
    let left = this.postfix();
    while (this.isPunct('*')) {
      const op = this.next();
      const right = this.postfix();
      const l = this.joinOperand(left, 'left');
      const r = this.joinOperand(right, 'right');
      left = { kind: 'query', node: { kind: 'join', left: l, right: r, pos: op.pos }, pos: left.pos };
    }
    return left;
  }

  private restrict(left: Operand, right: Operand, negate: boolean, pos: number): Operand {
    const sym = negate ? '-' : '&';
    if (left.kind === 'restriction' || left.kind === 'top') {
      throw queryError(
        `The left operand of ${sym} must be a query, not ${left.kind === 'top' ? 'Top(...)' : left.what}.`,
        {
          pos: left.pos,
          expected: 'a query such as Subject',
          hint: `Write Table ${sym} ${left.kind === 'top' ? 'Top(...)' : left.what}.`,
        },
      );
    }
    if (right.kind === 'top') {
      if (negate) throw queryError('Top(...) cannot be subtracted; use & Top(...).', { pos: right.pos });
      const source = this.asQuery(left, `The left operand of & Top`);
      return {
        kind: 'query',
        node: { kind: 'top', source, limit: right.limit, orderBy: right.orderBy, offset: right.offset, pos },
        pos: left.pos,
      };
    }
    let r: Restriction = right.kind === 'restriction' ? right.r : { kind: 'query', query: right.node, pos: right.pos };
    if (negate) r = { kind: 'not', item: r, pos };
    return { kind: 'query', node: { kind: 'restrict', source: left.node, restriction: r, pos }, pos: left.pos };
  }

  private joinOperand(op: Operand, side: string): QueryNode {
    if (op.kind === 'query' || op.kind === 'universal') return op.node;
    throw queryError(`The ${side} operand of * must be a query, not ${op.kind === 'top' ? 'Top(...)' : op.what}.`, {
      pos: op.pos,
      hint: 'To restrict, use & instead of *.',
    });
  }

  /** The operand as a query, or an error naming what it is instead. */
  asQuery(op: Operand, what: string): QueryNode {
    if (op.kind === 'query') return op.node;
    if (op.kind === 'universal') return op.node; // the resolver explains where U(...) may stand
    throw queryError(`${what} must be a query, not ${op.kind === 'top' ? 'Top(...)' : op.what}.`, {
      pos: op.pos,
      expected: 'a query such as Subject',
    });
  }

  private postfix(): Operand {
    let op = this.primary();
    while (this.isPunct('.') && this.t[this.i + 1]?.kind === 'name' && this.t[this.i + 2]?.text === '(') {
      this.next();
      const name = this.next();
      if (name.text === 'proj') op = this.proj(op, name.pos);
      else if (name.text === 'aggr' || name.text === 'aggregate') op = this.aggr(op, name.pos);
      else
        throw queryError(`Unknown method .${name.text}(); queries support .proj(...) and .aggr(...).`, {
          pos: name.pos,
          expected: ['proj', 'aggr'],
        });
    }
    return op;
  }

  private primary(): Operand {
    const tok = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const inner = this.expr();
      this.expectPunct(')', tok);
      return inner;
    }
    if (tok.kind === 'string') {
      this.next();
      return {
        kind: 'restriction',
        r: { kind: 'condition', expr: this.condition(tok), pos: tok.pos },
        what: 'a condition',
        pos: tok.pos,
      };
    }
    if (this.isPunct('{')) return { kind: 'restriction', r: this.dict(), what: 'a dict', pos: tok.pos };
    if (this.isPunct('[')) {
      const items = this.list();
      return { kind: 'restriction', r: { kind: 'or', items, pos: tok.pos }, what: 'a list', pos: tok.pos };
    }
    if (tok.kind === 'name') return this.named();
    throw this.unexpected(tok, 'a table name, a quoted condition, a dict, a list or "("');
  }

  private named(): Operand {
    const first = this.next();
    const path = [first.text];
    const djCall = () => path.length === 1 && path[0] === 'dj' && DJ_CALLS.has(this.t[this.i + 1]?.text ?? '');
    while (this.isPunct('.') && this.t[this.i + 1]?.kind === 'name' && (this.t[this.i + 2]?.text !== '(' || djCall())) {
      this.next();
      path.push(this.next().text);
    }
    const bare = path[0] === 'dj' && path.length === 2 ? path[1]! : path.length === 1 ? path[0]! : null;
    if (bare === 'True' || bare === 'False')
      return {
        kind: 'restriction',
        r: { kind: 'bool', value: bare === 'True', pos: first.pos },
        what: bare,
        pos: first.pos,
      };
    if (bare && this.isPunct('(')) {
      if (bare === 'U') return this.universal(first.pos);
      if (bare === 'Top') return this.top(first.pos);
      if (bare === 'Not') return this.not(first.pos);
      if (bare === 'AndList') return this.andList(first.pos);
    }
    if (this.isPunct('('))
      throw queryError(`"${path.join('.')}(...)" is not a query operand; tables are written without parentheses.`, {
        pos: first.pos,
        hint: 'Known calls: U(...), Top(...), Not(...), AndList([...]).',
      });
    const target = this.resolve(path, first.pos);
    return {
      kind: 'query',
      node: { kind: 'table', schema: target.schema, table: target.table, pos: first.pos },
      pos: first.pos,
    };
  }

  private universal(pos: number): Operand {
    const { positional, named } = this.args();
    if (named.length) throw queryError('U(...) takes attribute names only.', { pos: named[0]!.pos });
    const attributes = positional.map((a) => this.attrName(a));
    return { kind: 'universal', node: { kind: 'universal', attributes, pos }, pos };
  }

  private top(pos: number): Operand {
    const { positional, named } = this.args();
    const slots: Record<string, PyArg<Operand> | undefined> = {
      limit: positional[0],
      order_by: positional[1],
      offset: positional[2],
    };
    if (positional.length > 3) throw queryError('Top(...) takes at most limit, order_by and offset.', { pos });
    for (const n of named) {
      if (!(n.name in slots))
        throw queryError(`Top(...) has no argument "${n.name}".`, { pos: n.pos, expected: Object.keys(slots) });
      slots[n.name] = n;
    }
    const limit = slots.limit ? this.intArg(slots.limit, true) : 1;
    const offset = slots.offset ? (this.intArg(slots.offset, false) ?? 0) : 0;
    const ob = slots.order_by;
    const orderBy = !ob
      ? ['KEY']
      : ob.tokens.length === 1 && ob.tokens[0]!.kind === 'string'
        ? [ob.tokens[0]!.text]
        : this.stringList(ob);
    return { kind: 'top', limit, orderBy, offset, pos };
  }

  private not(pos: number): Operand {
    this.expectPunct('(', this.peek());
    const inner = this.expr();
    this.expectPunct(')', this.peek());
    return { kind: 'restriction', r: { kind: 'not', item: this.asRestriction(inner), pos }, what: 'Not(...)', pos };
  }

  private andList(pos: number): Operand {
    this.expectPunct('(', this.peek());
    const items = this.isPunct('[')
      ? this.list()
      : (() => {
          throw this.unexpected(this.peek(), '"[" (AndList takes a list)');
        })();
    this.expectPunct(')', this.peek());
    return { kind: 'restriction', r: { kind: 'and', items, pos }, what: 'AndList(...)', pos };
  }

  private proj(op: Operand, pos: number): Operand {
    const source = this.asQuery(op, '.proj() applies to a query; its subject');
    const { positional, named } = this.args();
    const attributes = positional.map((a) => (a.ellipsis ? '...' : this.attrName(a, true)));
    return {
      kind: 'query',
      node: { kind: 'proj', source, attributes, named: named.map((n) => this.namedAttr(n)), pos },
      pos: op.pos,
    };
  }

  private aggr(op: Operand, pos: number): Operand {
    const source = this.asQuery(op, '.aggr() applies to a query; its subject');
    const { positional, named } = this.args(true);
    const groupArg = positional[0];
    if (!groupArg?.operand)
      throw queryError('.aggr() needs the query to aggregate first, e.g. Subject.aggr(Session, n="count(*)").', {
        pos,
      });
    const group = this.asQuery(groupArg.operand, 'The first argument of .aggr()');
    let keepAllRows = false;
    const rest = named.filter((n) => {
      if (n.name !== 'keep_all_rows') return true;
      const v = n.tokens.length === 1 ? n.tokens[0]!.text : '';
      if (v !== 'True' && v !== 'False')
        throw queryError('keep_all_rows must be True or False.', { pos: n.pos, expected: ['True', 'False'] });
      keepAllRows = v === 'True';
      return false;
    });
    const attributes = positional.slice(1).map((a) => (a.ellipsis ? '...' : this.attrName(a)));
    return {
      kind: 'query',
      node: { kind: 'aggr', source, group, attributes, named: rest.map((n) => this.namedAttr(n)), keepAllRows, pos },
      pos: op.pos,
    };
  }

  /** `new='old'` renames, `new='(old)'` copies, anything else is computed (DataJoint's rule). */
  private namedAttr(n: PyNamed): NamedAttribute {
    const tok = n.tokens.length === 1 ? n.tokens[0]! : undefined;
    if (!tok || tok.kind !== 'string')
      throw queryError(`The value of ${n.name}= must be a quoted attribute name or expression.`, {
        pos: n.pos,
        expected: 'a quoted string',
      });
    const copy = COPY.exec(tok.text);
    if (copy && !KEYWORDS.has(copy[1]!.toUpperCase()))
      return { kind: 'copy', name: n.name, attribute: copy[1]!, pos: n.pos };
    const rename = RENAME.exec(tok.text);
    if (rename && !KEYWORDS.has(rename[1]!.toUpperCase()))
      return { kind: 'rename', name: n.name, attribute: rename[1]!, pos: n.pos };
    return { kind: 'compute', name: n.name, expr: this.condition(tok), pos: n.pos };
  }

  private condition(tok: PyToken): ReturnType<typeof parseCondition> {
    const map = tok.map!;
    return parseCondition(tok.text, { mapPos: (p) => map[Math.min(p, map.length - 1)] ?? tok.pos });
  }

  private dict(): Restriction {
    const open = this.next();
    const values: Record<string, Literal> = {};
    while (!this.isPunct('}')) {
      const key = this.next();
      if (key.kind !== 'string') throw this.unexpected(key, 'a quoted key such as "subject_id"');
      if (Object.hasOwn(values, key.text))
        throw queryError(`The key "${key.text}" appears twice in the dict.`, { pos: key.pos });
      this.expectPunct(':', key);
      values[key.text] = this.literal();
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct('}', open);
    return { kind: 'dict', values, pos: open.pos };
  }

  private literal(): Literal {
    const neg = this.isPunct('-');
    if (neg) this.next();
    const tok = this.next();
    if (tok.kind === 'number') return neg ? -tok.value! : tok.value!;
    if (!neg && tok.kind === 'string') return tok.text;
    if (!neg && tok.kind === 'name' && ['True', 'False', 'None'].includes(tok.text))
      return tok.text === 'None' ? null : tok.text === 'True';
    throw this.unexpected(tok, 'a value: a number, a quoted string, True, False or None');
  }

  private list(): Restriction[] {
    const open = this.next();
    const items: Restriction[] = [];
    while (!this.isPunct(']')) {
      items.push(this.asRestriction(this.expr()));
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct(']', open);
    return items;
  }

  private asRestriction(op: Operand): Restriction {
    if (op.kind === 'restriction') return op.r;
    if (op.kind === 'top') throw queryError('Top(...) cannot appear inside a list or Not(...).', { pos: op.pos });
    return { kind: 'query', query: op.node, pos: op.pos };
  }
}
