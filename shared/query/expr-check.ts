import { checkValue } from '../model/value-rules';
import type { Expr } from './ast';
import { closest, queryError } from './errors';
import { FUNCTION_NAMES, FUNCTIONS } from './functions';
import type { RExpr } from './resolved';
import {
  comparable,
  describeType,
  isNumeric,
  type QueryHeading,
  typeOfAttribute,
  type ValueKind,
  type ValueType,
} from './types';

/**
 * Type-checks condition-language expressions against a heading: every attribute must exist,
 * every operator must make sense for its operands, and string literals compared with dates,
 * times or uuids are validated and brought to canonical form here (so a bad date is an error
 * with a position, not an engine-specific surprise).
 */
export interface ExprScope {
  heading: QueryHeading;
  /** Present where aggregates are allowed (aggr): the attributes that may appear outside them. */
  aggregate?: { bare: ReadonlySet<string>; groupLabel: string };
}

const BOOL: ValueType = { kind: 'bool' };
const COMPARISON_OPS = new Set(['=', '<>', '<', '<=', '>', '>=', '<=>']);

/** Checks an expression (computed attribute or operand). */
export function checkExpr(e: Expr, scope: ExprScope): RExpr {
  return expr(e, scope, false);
}

/** Checks a condition: an expression whose value is true/false (numbers count, as in SQL). */
export function checkCondition(e: Expr, scope: ExprScope): RExpr {
  const r = expr(e, scope, false);
  requireTruth(r, e);
  return r;
}

function expr(e: Expr, scope: ExprScope, inAggregate: boolean): RExpr {
  const sub = (x: Expr) => expr(x, scope, inAggregate);
  switch (e.kind) {
    case 'attr':
      return attr(e.name, e.pos, scope, inAggregate);
    case 'literal':
      return literal(e.value);
    case 'unary':
      return unary(e.op, sub(e.arg), e);
    case 'binary':
      return binary(e, sub(e.left), sub(e.right));
    case 'in': {
      const arg = sub(e.arg);
      const items = e.items.map((it) => compared(arg, sub(it), '=', it).right);
      return {
        kind: 'in',
        arg: items.length ? compared(arg, items[0]!, '=', e).left : arg,
        items,
        negated: e.negated,
        type: BOOL,
        nullable: true,
      };
    }
    case 'between': {
      const lowPair = compared(sub(e.arg), sub(e.low), '<=', e.low);
      const highPair = compared(lowPair.left, sub(e.high), '<=', e.high);
      return {
        kind: 'between',
        arg: highPair.left,
        low: lowPair.right,
        high: highPair.right,
        negated: e.negated,
        type: BOOL,
        nullable: true,
      };
    }
    case 'like':
      return like(sub(e.arg), sub(e.pattern), e);
    case 'is_null':
      return { kind: 'is_null', arg: sub(e.arg), negated: e.negated, type: BOOL, nullable: false };
    case 'call':
      return call(e, e.args.map(sub));
    case 'aggregate':
      return aggregate(e, scope, inAggregate);
  }
}

function attr(name: string, pos: number | undefined, scope: ExprScope, inAggregate: boolean): RExpr {
  const a = scope.heading.attributes.find((x) => x.name === name);
  if (!a) {
    const names = scope.heading.attributes.map((x) => x.name);
    const guess = closest(name, names);
    throw queryError(`Unknown attribute "${name}".`, {
      pos,
      attribute: name,
      expected: names,
      hint: guess
        ? `Did you mean "${guess}"? Attributes here: ${names.join(', ')}.`
        : `Attributes here: ${names.join(', ') || '(none)'}.`,
    });
  }
  if (scope.aggregate && !inAggregate && !scope.aggregate.bare.has(name)) {
    throw queryError(`"${name}" comes from the aggregated query, so it must be inside count, sum, avg, min or max.`, {
      pos,
      attribute: name,
      expected: [...scope.aggregate.bare],
      hint: `Outside aggregate functions only attributes of ${scope.aggregate.groupLabel} may be used.`,
    });
  }
  return { kind: 'attr', name, type: typeOfAttribute(a), nullable: a.nullable };
}

function literal(value: string | number | boolean | null): RExpr {
  if (value === null) return { kind: 'value', value: null, type: { kind: 'null' }, nullable: true };
  if (typeof value === 'boolean') return { kind: 'value', value, type: BOOL, nullable: false };
  if (typeof value === 'string') return { kind: 'value', value, type: { kind: 'string' }, nullable: false };
  const text = String(value);
  if (/e/i.test(text) || !Number.isFinite(value))
    return { kind: 'value', value, type: { kind: 'float' }, nullable: false };
  const dot = text.indexOf('.');
  const type: ValueType = dot < 0 ? { kind: 'integer' } : { kind: 'decimal', scale: text.length - dot - 1 };
  return { kind: 'value', value, type, nullable: false };
}

function unary(op: 'neg' | 'not', arg: RExpr, e: Expr): RExpr {
  if (op === 'not') {
    requireTruth(arg, e);
    return { kind: 'unary', op, arg, type: BOOL, nullable: arg.nullable };
  }
  requireNumber(arg, e, 'negate');
  const type: ValueType =
    arg.type.kind === 'bool' || arg.type.kind === 'null' ? { kind: 'integer' } : { ...arg.type, unsigned: false };
  return { kind: 'unary', op, arg, type, nullable: arg.nullable };
}

function binary(e: Extract<Expr, { kind: 'binary' }>, left: RExpr, right: RExpr): RExpr {
  const nullable = left.nullable || right.nullable;
  if (e.op === 'and' || e.op === 'or') {
    requireTruth(left, e.left);
    requireTruth(right, e.right);
    return { kind: 'binary', op: e.op, left, right, type: BOOL, nullable };
  }
  if (COMPARISON_OPS.has(e.op)) {
    const pair = compared(left, right, e.op, e);
    return { kind: 'binary', op: e.op, ...pair, type: BOOL, nullable: e.op === '<=>' ? false : nullable };
  }
  requireNumber(left, e.left, e.op);
  requireNumber(right, e.right, e.op);
  return {
    kind: 'binary',
    op: e.op,
    left,
    right,
    type: arithmeticType(e, left.type, right.type),
    nullable: nullable || ['/', 'div', '%'].includes(e.op),
  };
}

function arithmeticType(e: Extract<Expr, { kind: 'binary' }>, l: ValueType, r: ValueType): ValueType {
  if (e.op === '/') return { kind: 'float' };
  if (e.op === 'div' || e.op === '%') {
    for (const t of [l, r]) {
      if (t.kind !== 'integer' && t.kind !== 'bool' && t.kind !== 'null') {
        throw queryError(`${e.op === 'div' ? 'DIV' : '%'} works on whole numbers, not on ${describeType(t)}.`, {
          pos: e.pos,
          expected: 'whole numbers',
          hint: 'Use / for division with a fractional result.',
        });
      }
    }
    return { kind: 'integer' };
  }
  if (l.kind === 'float' || r.kind === 'float') return { kind: 'float' };
  if (l.kind === 'decimal' || r.kind === 'decimal') {
    const ls = l.scale ?? 0;
    const rs = r.scale ?? 0;
    return { kind: 'decimal', scale: e.op === '*' ? ls + rs : Math.max(ls, rs) };
  }
  return { kind: 'integer' };
}

/** Coerces string literals towards the other side's type, then requires comparable types. */
function compared(left: RExpr, right: RExpr, op: string, e: Expr): { left: RExpr; right: RExpr } {
  const l = coerce(left, right.type, e);
  const r = coerce(right, l.type, e);
  if (!comparable(l.type, r.type)) {
    throw queryError(
      `Type mismatch: cannot compare ${label(l)} (${describeType(l.type)}) with ${label(r)} (${describeType(r.type)}).`,
      {
        pos: e.pos,
        expected: describeType(l.type),
        hint: hintFor(l.type, r),
      },
    );
  }
  if ((l.type.kind === 'uuid' || r.type.kind === 'uuid') && !['=', '<>', '<=>'].includes(op)) {
    throw queryError('uuid values can only be tested for equality (=, <>, IN).', {
      pos: e.pos,
      expected: '=, <> or IN',
    });
  }
  return { left: l, right: r };
}

const TEMPORAL: Partial<Record<ValueKind, string>> = { date: 'date', datetime: 'datetime', time: 'time', uuid: 'uuid' };

function coerce(e: RExpr, target: ValueType, where: Expr): RExpr {
  if (e.kind !== 'value' || typeof e.value !== 'string') return e;
  const typeName = TEMPORAL[target.kind];
  if (typeName) {
    const attrLike = {
      name: '',
      datajoint_type: typeName,
      sql_type: typeName,
      uuid: typeName === 'uuid',
      is_external: false,
      is_attachment: false,
      is_blob: false,
      json: false,
      adapter: null,
      nullable: false,
    };
    const checked = checkValue(attrLike, e.value);
    if (!checked.ok)
      throw queryError(`${JSON.stringify(e.value)} is not a valid ${typeName}: ${checked.reason}.`, {
        pos: where.pos,
        expected: typeName,
      });
    const value = target.kind === 'uuid' ? { uuid: String(checked.value) } : String(checked.value);
    return { ...e, value, type: { kind: target.kind } };
  }
  if (target.kind === 'string' && target.values && !target.values.includes(e.value)) {
    throw queryError(
      `${JSON.stringify(e.value)} is not one of the enum's values ${target.values.map((v) => `"${v}"`).join(', ')}.`,
      { pos: where.pos, expected: [...target.values] },
    );
  }
  return e;
}

function like(arg: RExpr, pattern: RExpr, e: Extract<Expr, { kind: 'like' }>): RExpr {
  if (!['string', 'date', 'datetime', 'time', 'null'].includes(arg.type.kind)) {
    throw queryError(`LIKE matches text, but ${label(arg)} is ${describeType(arg.type)}.`, {
      pos: e.pos,
      expected: 'text',
    });
  }
  if (pattern.kind !== 'value' || typeof pattern.value !== 'string') {
    throw queryError('LIKE needs a quoted pattern such as "A%".', {
      pos: e.pattern.pos ?? e.pos,
      expected: 'a quoted pattern',
    });
  }
  return { kind: 'like', arg, pattern: pattern.value, negated: e.negated, type: BOOL, nullable: arg.nullable };
}

function call(e: Extract<Expr, { kind: 'call' }>, rawArgs: RExpr[]): RExpr {
  const spec = FUNCTIONS[e.fn];
  if (!spec) {
    const guess = closest(e.fn, FUNCTION_NAMES);
    throw queryError(`Unknown function "${e.fn}".`, {
      pos: e.pos,
      expected: FUNCTION_NAMES,
      hint: `${guess ? `Did you mean ${guess}? ` : ''}Functions: ${FUNCTION_NAMES.join(', ')}; aggregates (in aggr): count, sum, avg, min, max.`,
    });
  }
  const [min, max] = spec.arity;
  if (rawArgs.length < min || rawArgs.length > max) {
    throw queryError(
      `${e.fn}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${rawArgs.length}.`,
      { pos: e.pos, expected: `${min}..${max} arguments` },
    );
  }
  const args = rawArgs.map((a, i) => {
    const kinds = spec.accepts?.(i);
    const arg =
      kinds?.includes('date') && !kinds.includes('string') && a.kind === 'value' && typeof a.value === 'string'
        ? coerce(a, { kind: /\d:\d/.test(a.value) ? 'datetime' : 'date' }, e.args[i]!)
        : a;
    if (kinds ? !kinds.includes(arg.type.kind) : arg.type.kind === 'opaque') {
      throw queryError(`Argument ${i + 1} of ${e.fn}() cannot be ${describeType(arg.type)}.`, {
        pos: e.args[i]?.pos ?? e.pos,
        expected: kinds ? kinds.filter((k) => k !== 'null').join(' or ') : 'a value',
      });
    }
    return arg;
  });
  const type = spec.result(args);
  if (typeof type === 'string') throw queryError(`${e.fn}(): ${type}.`, { pos: e.pos });
  return { kind: 'call', fn: e.fn, args, type, nullable: true };
}

function aggregate(e: Extract<Expr, { kind: 'aggregate' }>, scope: ExprScope, inAggregate: boolean): RExpr {
  if (!scope.aggregate) {
    throw queryError(`${e.fn}() aggregates many rows, so it is only allowed in aggr().`, {
      pos: e.pos,
      hint: 'Example: Subject.aggr(Session, n="count(*)")',
    });
  }
  if (inAggregate)
    throw queryError(`Aggregate functions cannot be nested (${e.fn} inside another aggregate).`, { pos: e.pos });
  const arg = e.arg ? expr(e.arg, scope, true) : null;
  if (e.fn === 'count')
    return { kind: 'aggregate', fn: e.fn, arg, distinct: e.distinct, type: { kind: 'integer' }, nullable: false };
  if (!arg) throw queryError(`${e.fn}() needs an argument.`, { pos: e.pos });
  let type: ValueType;
  if (e.fn === 'sum' || e.fn === 'avg') {
    requireNumber(arg, e.arg!, e.fn);
    type =
      arg.type.kind === 'decimal'
        ? { kind: 'decimal', scale: e.fn === 'avg' ? avgScale(arg.type.scale ?? 0) : arg.type.scale }
        : e.fn === 'avg' || arg.type.kind === 'float'
          ? { kind: 'float' }
          : { kind: 'integer' };
  } else {
    if (arg.type.kind === 'opaque')
      throw queryError(`${e.fn}() cannot order ${describeType(arg.type)}.`, { pos: e.pos });
    type = arg.type.kind === 'bool' ? { kind: 'integer' } : { ...arg.type, values: undefined };
  }
  return { kind: 'aggregate', fn: e.fn, arg, distinct: e.distinct, type, nullable: true };
}

/**
 * MySQL's avg() of a decimal is a decimal with 4 more digits after the point (its default
 * div_precision_increment), at most 30: avg of 0.70 and 0.90 is 0.800000, as DataJoint shows it.
 */
function avgScale(scale: number): number {
  return Math.min(scale + 4, 30);
}

function requireTruth(r: RExpr, e: Expr): void {
  if (!isNumeric(r.type) && r.type.kind !== 'null') {
    throw queryError(`Expected a condition (true/false) but ${label(r)} is ${describeType(r.type)}.`, {
      pos: e.pos,
      expected: 'a condition such as x > 1',
      hint: 'Compare it with something, e.g. name = "x".',
    });
  }
}

function requireNumber(r: RExpr, e: Expr, op: string): void {
  if (!isNumeric(r.type) && r.type.kind !== 'null') {
    throw queryError(`${op} needs numbers, but ${label(r)} is ${describeType(r.type)}.`, {
      pos: e.pos,
      expected: 'a number',
      hint: r.type.kind === 'string' ? 'Use concat() to join text.' : undefined,
    });
  }
}

function label(r: RExpr): string {
  if (r.kind === 'attr') return `"${r.name}"`;
  if (r.kind === 'value') return JSON.stringify(r.value);
  return 'the expression';
}

function hintFor(t: ValueType, other: RExpr): string | undefined {
  if (isNumeric(t) && other.kind === 'value' && typeof other.value === 'string')
    return 'Remove the quotes around the number.';
  if ((t.kind === 'date' || t.kind === 'datetime') && other.kind === 'value')
    return `Write the ${t.kind} in quotes, e.g. "2024-01-31".`;
  return undefined;
}
