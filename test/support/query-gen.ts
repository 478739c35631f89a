import type { AggregateFn, Expr, Literal, NamedAttribute, QueryNode, Restriction } from '../../shared/query/ast';
import { type HeadingLookup, resolveQuery } from '../../shared/query/resolve';
import type { RQuery } from '../../shared/query/resolved';
import { type QueryAttribute, type QueryHeading, typeOfAttribute, type ValueKind } from '../../shared/query/types';
import type { PipelineSpec } from './query-pipeline';

/**
 * Random query trees for the property test, built against the headings so that most are valid
 * (and some are refused, which must fail the same way everywhere). The randomness comes from an
 * {@link Rng}, so fast-check can drive and shrink it.
 */
export interface Rng {
  int(min: number, max: number): number;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => {
  if (xs.length === 0) throw new Error('pick from empty');
  return xs[rng.int(0, xs.length - 1)]!;
};
const chance = (rng: Rng, percent: number) => rng.int(1, 100) <= percent;

// binary-exact decimals: SQLite keeps decimals as doubles, so inexact ones (0.1) would differ from MySQL's exact arithmetic
const LITERALS: Partial<Record<ValueKind, readonly Literal[]>> = {
  integer: [-2, 0, 1, 2, 3, 5],
  decimal: [-1.5, 0, 2.25, 3.75, 0.5],
  float: [0.25, -1.5, 2, 100.75],
  string: ['a', 'b', 'ab', 'abc', 'c', 'ba'],
  date: ['2024-01-01', '2024-02-29', '2023-12-31', '2025-06-15'],
  bool: [0, 1],
};
const NUMERIC: ValueKind[] = ['integer', 'decimal', 'float', 'bool'];

/** Literals that fit an attribute (an enum's own values, or the pool of its kind). */
function literalsFor(a: QueryAttribute): readonly Literal[] {
  const t = typeOfAttribute(a);
  return t.values ?? LITERALS[t.kind] ?? [null];
}

/** The generator's context: the pipeline, a heading lookup and a counter for fresh names. */
export class QueryGen {
  private fresh = 0;
  constructor(
    private readonly rng: Rng,
    private readonly p: PipelineSpec,
    private readonly lookup: HeadingLookup,
  ) {}

  /** A query of at most `depth` nested operators (at least one at the top level when `top`). */
  query(depth: number, top = false): QueryNode {
    if (depth <= 0 || (!top && chance(this.rng, 20))) return this.table();
    for (let attempt = 0; attempt < 4; attempt++) {
      const candidate = this.operator(depth);
      // keep a few refused queries: they must be refused with a VALIDATION error and run no SQL
      if (this.resolve(candidate) || chance(this.rng, 8)) return candidate;
    }
    return this.table();
  }

  /** The resolved tree, or null when the resolver refuses the query. */
  resolve(n: QueryNode): RQuery | null {
    try {
      return resolveQuery(n, this.lookup);
    } catch {
      return null;
    }
  }

  private table(): QueryNode {
    return { kind: 'table', schema: this.p.schema, table: pick(this.rng, this.p.tables).table };
  }

  private operator(depth: number): QueryNode {
    const sub = () => this.query(depth - 1);
    const op = pick(this.rng, [0, 0, 1, 2, 3, 3, 4, 4, 5, 6, 7, 7, 7, 8, 9, 10, 11]);
    const source = sub();
    const h = this.resolve(source)?.heading;
    if (!h) return source;
    switch (op) {
      case 0:
      case 1:
        return { kind: 'restrict', source, restriction: { kind: 'condition', expr: this.condition(h, 2) } };
      case 2:
        return { kind: 'restrict', source, restriction: this.dictOrList(h) };
      case 3: {
        const r: Restriction = { kind: 'query', query: sub() };
        return { kind: 'restrict', source, restriction: chance(this.rng, 50) ? { kind: 'not', item: r } : r };
      }
      case 4:
        return { kind: 'join', left: source, right: sub() };
      case 5:
      case 6:
        return this.proj(source, h);
      case 7:
        return this.aggr(source, h, sub());
      case 8:
        return this.union(depth);
      case 9:
        return this.top(source, h);
      case 10: {
        const attrs = this.someNames(h, 1, 2);
        return {
          kind: 'restrict',
          source: { kind: 'universal', attributes: attrs },
          restriction: { kind: 'query', query: source },
        };
      }
      default:
        return { kind: 'join', left: { kind: 'universal', attributes: this.someNames(h, 1, 1) }, right: source };
    }
  }

  private dictOrList(h: QueryHeading): Restriction {
    const dict = (): Restriction => {
      const values: Record<string, Literal> = {};
      for (const a of this.usable(h).slice(0, this.rng.int(1, 2))) {
        const lits = literalsFor(a);
        values[a.name] = a.nullable && chance(this.rng, 15) ? null : pick(this.rng, lits);
      }
      return { kind: 'dict', values };
    };
    if (chance(this.rng, 60)) return dict();
    const item = (): Restriction => {
      const which = this.rng.int(0, 9);
      if (which < 4) return dict();
      if (which < 8) return { kind: 'condition', expr: this.condition(h, 1) };
      const r: Restriction = { kind: 'query', query: this.table() };
      return which === 8 ? r : { kind: 'not', item: r };
    };
    const items = Array.from({ length: this.rng.int(0, 3) }, item);
    return { kind: chance(this.rng, 75) ? 'or' : 'and', items };
  }

  /** A random condition over the heading's attributes. */
  condition(h: QueryHeading, depth: number): Expr {
    if (depth > 0 && chance(this.rng, 30)) {
      const which = this.rng.int(0, 2);
      if (which === 2) return { kind: 'unary', op: 'not', arg: this.condition(h, depth - 1) };
      return {
        kind: 'binary',
        op: which ? 'and' : 'or',
        left: this.condition(h, depth - 1),
        right: this.condition(h, depth - 1),
      };
    }
    const attrs = this.usable(h);
    if (attrs.length === 0) return { kind: 'literal', value: chance(this.rng, 70) };
    const a = pick(this.rng, attrs);
    const kind = typeOfAttribute(a).kind;
    const ref: Expr = { kind: 'attr', name: a.name };
    const lit = (): Expr => ({ kind: 'literal', value: pick(this.rng, literalsFor(a)) });
    switch (this.rng.int(0, 7)) {
      case 0:
        return { kind: 'is_null', arg: ref, negated: chance(this.rng, 50) };
      case 1:
        return {
          kind: 'in',
          arg: ref,
          items: [lit(), lit(), ...(chance(this.rng, 30) ? [{ kind: 'literal' as const, value: null }] : [])],
          negated: chance(this.rng, 30),
        };
      case 2:
        return { kind: 'between', arg: ref, low: lit(), high: lit(), negated: chance(this.rng, 20) };
      case 3: {
        const same = attrs.filter((b) => sameKind(typeOfAttribute(b).kind, kind));
        return {
          kind: 'binary',
          op: pick(this.rng, ['=', '<>', '<', '>=', '<=>'] as const),
          left: ref,
          right: { kind: 'attr', name: pick(this.rng, same).name },
        };
      }
      case 4:
        return this.derived(ref, kind, lit);
      default:
        return {
          kind: 'binary',
          op: pick(this.rng, ['=', '<>', '<', '<=', '>', '>=', '<=>'] as const),
          left: ref,
          right: chance(this.rng, 5) ? { kind: 'literal', value: null } : lit(),
        };
    }
  }

  /** A condition through an operator or function suited to the attribute's type. */
  private derived(ref: Expr, kind: ValueKind, lit: () => Expr): Expr {
    const cmp = (left: Expr, right: Expr): Expr => ({
      kind: 'binary',
      op: pick(this.rng, ['=', '<', '>=', '<>'] as const),
      left,
      right,
    });
    const num = (value: number): Expr => ({ kind: 'literal', value });
    const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
    if (kind === 'integer') {
      const op = pick(this.rng, ['+', '-', '*', 'div', '%'] as const);
      return cmp(
        { kind: 'binary', op, left: ref, right: num(pick(this.rng, [1, 2, 3, 0])) },
        num(pick(this.rng, [0, 1, 2, 4])),
      );
    }
    if (kind === 'decimal' || kind === 'float') {
      return pick(this.rng, [
        () => cmp({ kind: 'binary', op: '+', left: ref, right: num(0.5) }, num(2.75)),
        () => cmp({ kind: 'binary', op: '/', left: ref, right: num(2) }, num(1.125)),
        () => cmp(call('abs', ref), num(1.5)),
        () => cmp(call('floor', ref), num(2)),
        () => cmp(call('coalesce', ref, num(0)), num(0)),
      ])();
    }
    if (kind === 'string') {
      if (chance(this.rng, 50))
        return {
          kind: 'like',
          arg: ref,
          pattern: { kind: 'literal', value: pick(this.rng, ['a%', '%B', '_', 'A_', '%', 'AB%', '\\%', 'b%']) },
          negated: chance(this.rng, 30),
        };
      return pick(this.rng, [
        () => cmp(call('length', ref), num(2)),
        () => cmp(call('upper', ref), { kind: 'literal', value: 'AB' }),
        () => cmp(call('concat', ref, { kind: 'literal', value: 'x' }), { kind: 'literal', value: 'ax' }),
        () => cmp(call('substring', ref, num(1), num(1)), { kind: 'literal', value: 'a' }),
      ])();
    }
    if (kind === 'date') {
      return pick(this.rng, [
        () => cmp(call('year', ref), num(2024)),
        () => cmp(call('month', ref), num(2)),
        () => cmp(call('datediff', ref, { kind: 'literal', value: '2024-01-01' }), num(0)),
        () => ({ kind: 'like', arg: ref, pattern: { kind: 'literal', value: '2024-%' }, negated: false }) as Expr,
      ])();
    }
    return cmp(ref, lit());
  }

  private proj(source: QueryNode, h: QueryHeading): QueryNode {
    const secondary = h.attributes.filter((a) => !a.in_key).map((a) => a.name);
    const attributes = chance(this.rng, 25) ? ['...'] : secondary.filter(() => chance(this.rng, 50));
    if (attributes[0] === '...' && secondary.length && chance(this.rng, 40))
      attributes.push(`-${pick(this.rng, secondary)}`);
    const named: NamedAttribute[] = [];
    const all = h.attributes.map((a) => a.name);
    if (chance(this.rng, 40)) named.push({ kind: 'rename', name: this.name(), attribute: pick(this.rng, all) });
    if (chance(this.rng, 15)) named.push({ kind: 'copy', name: this.name(), attribute: pick(this.rng, all) });
    if (chance(this.rng, 60)) named.push({ kind: 'compute', name: this.name(), expr: this.computed(h) });
    return { kind: 'proj', source, attributes, named };
  }

  /** A computed attribute: arithmetic, text and date functions, or a condition's value. */
  computed(h: QueryHeading): Expr {
    const attrs = this.usable(h);
    if (!attrs.length) return { kind: 'literal', value: pick(this.rng, [1, 'x', 2.5]) };
    const a = pick(this.rng, attrs);
    const ref: Expr = { kind: 'attr', name: a.name };
    const kind = typeOfAttribute(a).kind;
    const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
    if (NUMERIC.includes(kind)) {
      return pick(this.rng, [
        () =>
          ({
            kind: 'binary',
            op: pick(this.rng, ['+', '-', '*'] as const),
            left: ref,
            right: { kind: 'literal', value: pick(this.rng, [1, 2, 0.5]) },
          }) as Expr,
        () => ({ kind: 'binary', op: '/', left: ref, right: { kind: 'literal', value: 4 } }) as Expr,
        () => ({ kind: 'unary', op: 'neg', arg: ref }) as Expr,
        () => call('coalesce', ref, { kind: 'literal', value: 0 }),
        () => ({ kind: 'binary', op: '>', left: ref, right: { kind: 'literal', value: 1 } }) as Expr,
      ])();
    }
    if (kind === 'string')
      return pick(this.rng, [
        () => call('concat', ref, { kind: 'literal', value: 'z' }),
        () => call('lower', ref),
        () => call('length', ref),
      ])();
    if (kind === 'date')
      return pick(this.rng, [() => call('year', ref), () => call('day', ref), () => call('date', ref)])();
    return ref;
  }

  private aggr(source: QueryNode, h: QueryHeading, group: QueryNode): QueryNode {
    const gh = this.resolve(group)?.heading;
    if (!gh) return source;
    const named: NamedAttribute[] = Array.from({ length: this.rng.int(1, 3) }, () => ({
      kind: 'compute' as const,
      name: this.name(),
      expr: this.aggregate(gh),
    }));
    if (chance(this.rng, 30)) {
      return {
        kind: 'aggr',
        source: { kind: 'universal', attributes: this.someNames(gh, 0, 2) },
        group,
        attributes: [],
        named,
        keepAllRows: false,
      };
    }
    const attributes = chance(this.rng, 30)
      ? ['...']
      : h.attributes.filter((a) => !a.in_key && chance(this.rng, 30)).map((a) => a.name);
    return { kind: 'aggr', source, group, attributes, named, keepAllRows: chance(this.rng, 40) };
  }

  private aggregate(gh: QueryHeading): Expr {
    const attrs = this.usable(gh);
    const numeric = attrs.filter((a) => NUMERIC.includes(typeOfAttribute(a).kind));
    const agg = (fn: AggregateFn, arg: Expr | null, distinct = false): Expr => ({
      kind: 'aggregate',
      fn,
      arg,
      distinct,
    });
    const ref = (xs: typeof attrs): Expr => ({ kind: 'attr', name: pick(this.rng, xs).name });
    const options: (() => Expr)[] = [() => agg('count', null)];
    if (attrs.length)
      options.push(
        () => agg('count', ref(attrs), chance(this.rng, 40)),
        () => agg(chance(this.rng, 50) ? 'min' : 'max', ref(attrs)),
      );
    if (numeric.length) {
      options.push(
        () => agg('sum', ref(numeric)),
        () => agg('avg', ref(numeric)),
      );
      options.push(() => ({
        kind: 'binary',
        op: '-',
        left: agg('max', ref(numeric)),
        right: agg('min', ref(numeric)),
      }));
    }
    return pick(this.rng, options)();
  }

  private union(depth: number): QueryNode {
    const base = this.table();
    const side = (): QueryNode => {
      let q: QueryNode = base;
      const h = this.resolve(base)!.heading;
      if (chance(this.rng, 70))
        q = {
          kind: 'restrict',
          source: q,
          restriction: { kind: 'condition', expr: this.condition(h, depth > 2 ? 1 : 0) },
        };
      const keep = h.attributes.filter((a) => !a.in_key && chance(this.rng, 40));
      return {
        kind: 'proj',
        source: q,
        attributes: [],
        named: keep.map((a) => ({ kind: 'rename' as const, name: this.name(), attribute: a.name })),
      };
    };
    return { kind: 'union', left: side(), right: side() };
  }

  private top(source: QueryNode, h: QueryHeading): QueryNode {
    const orderBy = chance(this.rng, 25)
      ? ['KEY']
      : this.someNames(h, 1, 2).map((n) => (chance(this.rng, 50) ? `${n} DESC` : n));
    return {
      kind: 'top',
      source,
      orderBy,
      limit: chance(this.rng, 10) ? null : this.rng.int(0, 4),
      offset: this.rng.int(0, 2),
    };
  }

  private usable(h: QueryHeading) {
    return h.attributes.filter((a) => !['opaque', 'null', 'uuid'].includes(typeOfAttribute(a).kind));
  }

  private someNames(h: QueryHeading, min: number, max: number): string[] {
    const names = h.attributes.map((a) => a.name).filter(() => chance(this.rng, 50));
    const all = h.attributes.map((a) => a.name);
    while (names.length < Math.min(min, all.length)) {
      const n = pick(this.rng, all);
      if (!names.includes(n)) names.push(n);
    }
    return names.slice(0, max);
  }

  private name(): string {
    return `c${++this.fresh}`;
  }
}

function sameKind(a: ValueKind, b: ValueKind): boolean {
  return a === b || (NUMERIC.includes(a) && NUMERIC.includes(b));
}
