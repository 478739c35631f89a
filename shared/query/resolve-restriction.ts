import { checkValue } from '../model/value-rules';
import type { Literal, QueryNode, Restriction } from './ast';
import { queryError } from './errors';
import { checkCondition } from './expr-check';
import { checkJoinable, labelOf } from './heading-rules';
import type { BoundValue, RCond, RExpr, RQuery } from './resolved';
import { describeType, type QueryAttribute, type QueryHeading, typeOfAttribute } from './types';

/**
 * DataJoint's restriction operands (condition.py `make_condition`): a condition, a dict (AND of
 * equalities over the attributes it shares with the query), an OR-list, an AND-list, a negation,
 * or another query (semijoin on the common attributes). Every value is checked against the
 * attribute's type here and bound later as a parameter.
 */
export interface RestrictionContext {
  label: string;
  /** Resolves a query operand (a semijoin), one level deeper (the resolver of resolve.ts). */
  resolver: { query(node: QueryNode, depth: number): RQuery };
  depth: number;
  pos?: number;
}

const MAX_ITEMS = 10_000;

/** Resolves a restriction against the heading of the query it restricts. */
export function resolveRestriction(r: Restriction, h: QueryHeading, ctx: RestrictionContext): RCond {
  const pos = r.pos ?? ctx.pos;
  switch (r.kind) {
    case 'bool':
      return { kind: 'bool', value: r.value };
    case 'condition':
      return { kind: 'expr', expr: checkCondition(r.expr, { heading: h }) };
    case 'dict':
      return dict(r.values, h, ctx, pos);
    case 'not':
      return { kind: 'not', item: resolveRestriction(r.item, h, ctx) };
    case 'and':
    case 'or': {
      if (r.items.length > MAX_ITEMS)
        throw queryError(`A restriction list may hold at most ${MAX_ITEMS} items.`, { pos });
      return { kind: r.kind, items: r.items.map((it) => resolveRestriction(it, h, ctx)) };
    }
    case 'query': {
      // restricting by dj.U(...) is a no-op in DataJoint
      if (r.query.kind === 'universal') return { kind: 'bool', value: true };
      const sub = ctx.resolver.query(r.query, ctx.depth + 1);
      const on = checkJoinable(h, sub.heading, { left: ctx.label, right: labelOf(r.query), op: 'restrict', pos });
      return { kind: 'match', query: sub, on };
    }
  }
}

function dict(values: Record<string, Literal>, h: QueryHeading, ctx: RestrictionContext, pos?: number): RCond {
  const keys = Object.keys(values);
  if (keys.length === 0) return { kind: 'bool', value: true };
  const common = keys.filter((k) => h.attributes.some((a) => a.name === k));
  if (common.length === 0) {
    throw queryError(
      `None of the keys of the dict (${keys.map((k) => `"${k}"`).join(', ')}) is an attribute of ${ctx.label}.`,
      {
        pos,
        attribute: keys[0],
        expected: h.attributes.map((a) => a.name),
        hint: 'DataJoint would silently ignore such a dict and keep every row; Joinery refuses it because it is almost always a typo.',
      },
    );
  }
  const items: RCond[] = common.map((k) => ({
    kind: 'expr',
    expr: equality(
      h.attributes.find((a) => a.name === k)!,
      values[k]!,
      pos,
    ),
  }));
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function equality(a: QueryAttribute, v: Literal, pos?: number): RExpr {
  const type = typeOfAttribute(a);
  const ref: RExpr = { kind: 'attr', name: a.name, type, nullable: a.nullable };
  if (type.kind === 'opaque') {
    throw queryError(
      `Cannot restrict by "${a.name}": it is ${describeType(type)} (${a.datajoint_type}), which has no equality in SQL.`,
      { pos, attribute: a.name },
    );
  }
  if (v === null) return { kind: 'is_null', arg: ref, negated: false, type: { kind: 'bool' }, nullable: false };
  const checked = checkValue({ ...a, nullable: true }, v);
  if (!checked.ok)
    throw queryError(`The value for "${a.name}" ${checked.reason}.`, {
      pos,
      attribute: a.name,
      expected: a.datajoint_type,
    });
  let value: BoundValue = checked.value as BoundValue;
  if (type.kind === 'uuid') value = { uuid: String(checked.value) };
  else if (type.kind === 'decimal' || type.kind === 'float') value = Number(checked.value);
  return {
    kind: 'binary',
    op: '=',
    left: ref,
    right: { kind: 'value', value, type: { ...type, values: undefined }, nullable: false },
    type: { kind: 'bool' },
    nullable: a.nullable,
  };
}
