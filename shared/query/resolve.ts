import type { QueryNode } from './ast';
import { queryError } from './errors';
import { checkJoinable, checkUniversal, joinHeadings, labelOf, unionHeading, withPrimaryKey } from './heading-rules';
import { resolveRestriction } from './resolve-restriction';
import { project } from './resolve-proj';
import { type OrderItem, type RExpr, type RQuery, namesOf, secondaryOf } from './resolved';
import type { QueryHeading } from './types';

/**
 * Checks a query tree against the pipeline's headings and applies DataJoint's rules, producing
 * the typed tree that the compilers and the test evaluator consume. Every failure is a
 * VALIDATION error that says what DataJoint would say, with the position when known.
 */

/** Finds the heading of a stored table; undefined when there is none. */
export type HeadingLookup = (schema: string, table: string) => QueryHeading | undefined;

/** Deepest query tree accepted (the API takes trees from the network). */
export const MAX_QUERY_DEPTH = 64;

type Node<K extends QueryNode['kind']> = Extract<QueryNode, { kind: K }>;

/** Resolves and checks `node`; throws a VALIDATION AppError when DataJoint would refuse it. */
export function resolveQuery(node: QueryNode, lookup: HeadingLookup): RQuery {
  return new Resolver(lookup).query(node, 0);
}

/** Internal walker; `query` is also used by restriction resolution for semijoin operands. */
export class Resolver {
  constructor(private readonly lookup: HeadingLookup) {}

  query(node: QueryNode, depth: number): RQuery {
    if (depth > MAX_QUERY_DEPTH)
      throw queryError(`The query nests deeper than ${MAX_QUERY_DEPTH} operators.`, { pos: node.pos });
    const d = depth + 1;
    switch (node.kind) {
      case 'table':
        return this.table(node);
      case 'universal':
        throw queryError(
          `${labelOf(node)} is not a query by itself; use it as U(a) & Query, U(a) * Query or U(a).aggr(Query, n='count(*)').`,
          { pos: node.pos },
        );
      case 'restrict':
        return this.restrict(node, d);
      case 'join':
        return this.join(node, d);
      case 'proj': {
        const source = this.query(node.source, d);
        const secondary = secondaryOf(source.heading);
        const { heading, columns } = project(source.heading, node.attributes, node.named, {
          scope: { heading: source.heading },
          ellipsis: secondary,
          label: labelOf(node.source),
          pos: node.pos,
        });
        return { kind: 'proj', source, columns, heading };
      }
      case 'aggr':
        return this.aggr(node, d);
      case 'union': {
        const left = this.query(node.left, d);
        const right = this.query(node.right, d);
        const heading = unionHeading(left.heading, right.heading, {
          left: labelOf(node.left),
          right: labelOf(node.right),
          pos: node.pos,
        });
        return { kind: 'union', left, right, heading };
      }
      case 'top':
        return this.top(node, d);
    }
  }

  private table(node: Node<'table'>): RQuery {
    const heading = this.lookup(node.schema, node.table);
    if (!heading)
      throw queryError(`There is no table ${node.schema}.${node.table}.`, {
        pos: node.pos,
        hint: 'Check the schema and table name (joinery inspect lists them).',
      });
    if (heading.attributes.length === 0)
      throw queryError(`Table ${node.schema}.${node.table} has no visible attributes.`, { pos: node.pos });
    return { kind: 'table', schema: node.schema, table: node.table, heading };
  }

  private restrict(node: Node<'restrict'>, d: number): RQuery {
    if (node.source.kind === 'universal') {
      const r = node.restriction;
      if (r.kind !== 'query') {
        const why = r.kind === 'not' ? 'U(...) may not be subtracted from' : 'U(...) can only be restricted by a query';
        throw queryError(
          `${why}: write U(${node.source.attributes.join(', ')}) & Query to list the distinct values in Query.`,
          { pos: node.pos },
        );
      }
      if (node.source.attributes.length === 0) {
        throw queryError('U() & Query has no attributes to show; to count rows use U().aggr(Query, n="count(*)").', {
          pos: node.pos,
        });
      }
      const source = this.query(r.query, d);
      checkUniversal(node.source.attributes, source.heading, {
        u: labelOf(node.source),
        other: labelOf(r.query),
        pos: node.pos,
      });
      const keyed = withPrimaryKey(source.heading, node.source.attributes);
      const heading = { attributes: keyed.attributes.filter((a) => a.in_key), primary_key: keyed.primary_key };
      return { kind: 'distinct', source, heading };
    }
    const source = this.query(node.source, d);
    const cond = resolveRestriction(node.restriction, source.heading, {
      label: labelOf(node.source),
      resolver: this,
      depth: d,
      pos: node.pos,
    });
    return { kind: 'restrict', source, cond, heading: source.heading };
  }

  private join(node: Node<'join'>, d: number): RQuery {
    const [u, other] =
      node.left.kind === 'universal'
        ? [node.left, node.right]
        : node.right.kind === 'universal'
          ? [node.right, node.left]
          : [null, null];
    if (u && other) {
      if (other.kind === 'universal')
        throw queryError('Two U(...) sets cannot be joined; join U(...) with a query.', { pos: node.pos });
      const source = this.query(other, d);
      checkUniversal(u.attributes, source.heading, { u: labelOf(u), other: labelOf(other), pos: node.pos });
      const key = [
        ...source.heading.primary_key,
        ...u.attributes.filter((a) => !source.heading.primary_key.includes(a)),
      ];
      return { kind: 'rekey', source, heading: withPrimaryKey(source.heading, key) };
    }
    const left = this.query(node.left, d);
    const right = this.query(node.right, d);
    const on = checkJoinable(left.heading, right.heading, {
      left: labelOf(node.left),
      right: labelOf(node.right),
      op: 'join',
      pos: node.pos,
    });
    return { kind: 'join', left, right, on, heading: joinHeadings(left.heading, right.heading) };
  }

  private aggr(node: Node<'aggr'>, d: number): RQuery {
    const group = this.query(node.group, d);
    const label = labelOf(node.source);
    if (node.source.kind === 'universal') {
      if (node.keepAllRows)
        throw queryError('Cannot set keep_all_rows=True when aggregating on a universal set U(...).', {
          pos: node.pos,
        });
      if (node.attributes.length)
        throw queryError('U(...).aggr() takes only named computations, e.g. n="count(*)".', { pos: node.pos });
      const groupBy = node.source.attributes;
      checkUniversal(groupBy, group.heading, { u: label, other: labelOf(node.group), pos: node.pos });
      const joined = withPrimaryKey(group.heading, groupBy);
      const bare = new Set(groupBy);
      const { heading, columns } = project(joined, [], node.named, {
        scope: { heading: joined, aggregate: { bare, groupLabel: label } },
        ellipsis: [],
        own: { names: bare, label },
        label,
        pos: node.pos,
      });
      return { kind: 'aggr', source: null, group, on: [], keepAllRows: false, groupBy: [...groupBy], columns, heading };
    }
    const source = this.query(node.source, d);
    const on = checkJoinable(source.heading, group.heading, {
      left: label,
      right: labelOf(node.group),
      op: 'aggregate',
      pos: node.pos,
    });
    const joined = withPrimaryKey(
      joinHeadings(source.heading, group.heading, node.keepAllRows),
      source.heading.primary_key,
    );
    const own = new Set(namesOf(source.heading));
    const { heading, columns } = project(joined, node.attributes, node.named, {
      scope: { heading: joined, aggregate: { bare: own, groupLabel: label } },
      ellipsis: secondaryOf(source.heading),
      own: { names: own, label },
      label,
      pos: node.pos,
    });
    const used = new Set(columns.flatMap((c) => bareAttributes(c.expr)));
    const groupBy = [
      ...source.heading.primary_key,
      ...namesOf(source.heading).filter((n) => !source.heading.primary_key.includes(n) && used.has(n)),
    ];
    return { kind: 'aggr', source, group, on, keepAllRows: node.keepAllRows, groupBy, columns, heading };
  }

  private top(node: Node<'top'>, d: number): RQuery {
    const source = this.query(node.source, d);
    const { limit, offset } = node;
    if (limit !== null && !(Number.isSafeInteger(limit) && limit >= 0))
      throw queryError(`Top's limit must be a whole number >= 0, got ${limit}.`, { pos: node.pos });
    if (!(Number.isSafeInteger(offset) && offset >= 0))
      throw queryError(`Top's offset must be a whole number >= 0, got ${offset}.`, { pos: node.pos });
    const order = orderItems(node.orderBy, source.heading, node.pos);
    return { kind: 'top', source, order, limit, offset, heading: source.heading };
  }
}

/**
 * `attr`, `attr DESC`, `KEY`, `KEY DESC` -> order items; the primary key is appended as a
 * tie-breaker so that every engine returns the same rows for the same Top.
 */
export function orderItems(entries: readonly string[], h: QueryHeading, pos?: number): OrderItem[] {
  const out: OrderItem[] = [];
  const add = (attribute: string, descending: boolean) => {
    if (!out.some((o) => o.attribute === attribute)) out.push({ attribute, descending });
  };
  for (const entry of entries) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(entry);
    if (!m)
      throw queryError(
        `Cannot order by ${JSON.stringify(entry)}; write an attribute name, optionally followed by ASC or DESC, or KEY.`,
        { pos, expected: 'attr [ASC|DESC]' },
      );
    const descending = (m[2] ?? '').toLowerCase() === 'desc';
    if (m[1] === 'KEY') {
      for (const k of h.primary_key) add(k, descending);
      continue;
    }
    if (!h.attributes.some((a) => a.name === m[1])) {
      throw queryError(`Cannot order by "${m[1]}": it is not an attribute of the query.`, {
        pos,
        attribute: m[1],
        expected: namesOf(h),
      });
    }
    add(m[1]!, descending);
  }
  for (const k of h.primary_key) add(k, false);
  return out;
}

function bareAttributes(e: RExpr): string[] {
  switch (e.kind) {
    case 'attr':
      return [e.name];
    case 'value':
    case 'aggregate':
      return [];
    case 'unary':
    case 'is_null':
    case 'like':
      return bareAttributes(e.arg);
    case 'binary':
      return [...bareAttributes(e.left), ...bareAttributes(e.right)];
    case 'in':
      return [e.arg, ...e.items].flatMap(bareAttributes);
    case 'between':
      return [e.arg, e.low, e.high].flatMap(bareAttributes);
    case 'call':
      return e.args.flatMap(bareAttributes);
  }
}
