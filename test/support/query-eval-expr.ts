import type { RExpr } from '../../shared/query/resolved';

/**
 * The reference semantics of condition-language expressions over in-memory rows: SQL's
 * three-valued logic (null = unknown), MySQL's arithmetic (division by zero is null, DIV and %
 * truncate toward zero), LIKE with backslash escapes, case-insensitive as both engines are for
 * ASCII. Values are JS numbers (every numeric kind, booleans as 1/0), strings (text, dates as
 * `YYYY-MM-DD`) or null; the evaluator formats decimals at the very end.
 */
export type V = number | string | null;
export type EvalRow = Record<string, V>;

/** Orders two non-null values of comparable types. */
export function compare(a: V, b: V): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders values with NULL first, as both engines sort ascending. */
export function compareNullsFirst(a: V, b: V): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  return compare(a, b);
}

const truth = (v: V): V => (v === null ? null : Number(v) !== 0 ? 1 : 0);
const bool = (b: boolean): V => (b ? 1 : 0);

/** Evaluates a scalar expression (no aggregates) on one row. */
export function evalExpr(e: RExpr, row: EvalRow): V {
  const x = (sub: RExpr) => evalExpr(sub, row);
  switch (e.kind) {
    case 'attr':
      return row[e.name] ?? null;
    case 'value': {
      const v = e.value;
      if (v === null || typeof v === 'number' || typeof v === 'string') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return v.uuid;
    }
    case 'unary': {
      const v = x(e.arg);
      if (v === null) return null;
      return e.op === 'neg' ? -Number(v) : bool(truth(v) === 0);
    }
    case 'binary':
      return binary(e.op, x(e.left), x(e.right), e.left, e.right, row);
    case 'in':
      return inList(x(e.arg), e.items.map(x), e.negated);
    case 'between': {
      const v = x(e.arg);
      const r = and(cmpOp('>=', v, x(e.low)), cmpOp('<=', v, x(e.high)));
      return e.negated ? not(r) : r;
    }
    case 'like': {
      const v = x(e.arg);
      if (v === null) return null;
      const m = likeRegex(e.pattern).test(String(v));
      return bool(e.negated ? !m : m);
    }
    case 'is_null':
      return bool((x(e.arg) === null) !== e.negated);
    case 'call':
      return callFn(e.fn, e.args.map(x));
    case 'aggregate':
      throw new Error('aggregate outside aggr');
  }
}

/** Evaluates an aggr column: aggregates over `rows`, anything else on the group's first row. */
export function evalAggregate(e: RExpr, rows: readonly EvalRow[], first: EvalRow): V {
  if (e.kind === 'aggregate') {
    if (!e.arg) return rows.length;
    let vals = rows.map((r) => evalExpr(e.arg!, r)).filter((v): v is number | string => v !== null);
    if (e.distinct) vals = vals.filter((v, i) => vals.findIndex((w) => compare(v, w) === 0) === i);
    if (e.fn === 'count') return vals.length;
    if (vals.length === 0) return null;
    if (e.fn === 'sum') return vals.reduce((s: number, v) => s + Number(v), 0);
    if (e.fn === 'avg') return vals.reduce((s: number, v) => s + Number(v), 0) / vals.length;
    return vals.reduce((m, v) => ((e.fn === 'min' ? compare(v, m) < 0 : compare(v, m) > 0) ? v : m));
  }
  // a scalar around aggregates: substitute each aggregate's value, then evaluate on the first row
  const substituted = substitute(e, rows, first);
  return evalExpr(substituted, first);
}

function substitute(e: RExpr, rows: readonly EvalRow[], first: EvalRow): RExpr {
  const s = (sub: RExpr) => substitute(sub, rows, first);
  switch (e.kind) {
    case 'aggregate': {
      const v = evalAggregate(e, rows, first);
      return { kind: 'value', value: v, type: e.type, nullable: true };
    }
    case 'attr':
    case 'value':
      return e;
    case 'unary':
      return { ...e, arg: s(e.arg) };
    case 'binary':
      return { ...e, left: s(e.left), right: s(e.right) };
    case 'in':
      return { ...e, arg: s(e.arg), items: e.items.map(s) };
    case 'between':
      return { ...e, arg: s(e.arg), low: s(e.low), high: s(e.high) };
    case 'like':
    case 'is_null':
      return { ...e, arg: s(e.arg) };
    case 'call':
      return { ...e, args: e.args.map(s) };
  }
}

function and(a: V, b: V): V {
  if (a === 0 || b === 0) return 0;
  return a === null || b === null ? null : 1;
}

function not(a: V): V {
  return a === null ? null : bool(a === 0);
}

function cmpOp(op: string, a: V, b: V): V {
  if (a === null || b === null) return null;
  const c = compare(a, b);
  switch (op) {
    case '=':
      return bool(c === 0);
    case '<>':
      return bool(c !== 0);
    case '<':
      return bool(c < 0);
    case '<=':
      return bool(c <= 0);
    case '>':
      return bool(c > 0);
    default:
      return bool(c >= 0);
  }
}

function binary(op: string, a: V, b: V, _l: RExpr, _r: RExpr, _row: EvalRow): V {
  switch (op) {
    case 'and':
      return and(truth(a), truth(b));
    case 'or': {
      const x = truth(a);
      const y = truth(b);
      if (x === 1 || y === 1) return 1;
      return x === null || y === null ? null : 0;
    }
    case '<=>':
      return bool(a === null || b === null ? a === b : compare(a, b) === 0);
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return cmpOp(op, a, b);
    default:
      break;
  }
  if (a === null || b === null) return null;
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? null : x / y;
    case 'div':
      return y === 0 ? null : Math.trunc(Math.trunc(x) / Math.trunc(y));
    case '%':
      return Math.trunc(y) === 0 ? null : Math.trunc(x) % Math.trunc(y);
    default:
      throw new Error(`operator ${op}`);
  }
}

function inList(v: V, items: V[], negated: boolean): V {
  if (v === null) return null;
  let r: V = 0;
  for (const it of items) {
    if (it === null) r = null;
    else if (compare(v, it) === 0) {
      r = 1;
      break;
    }
  }
  return negated ? not(r) : r;
}

/** MySQL LIKE (backslash escapes) as a case-insensitive regular expression. */
export function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 'i');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function callFn(fn: string, args: V[]): V {
  if (fn === 'coalesce' || fn === 'ifnull') return args.find((a) => a !== null) ?? null;
  if (args.some((a) => a === null)) return null;
  const [a, b, c] = args as (number | string)[];
  const s = String(a);
  switch (fn) {
    case 'abs':
      return Math.abs(Number(a));
    case 'round': {
      const f = 10 ** Number(b ?? 0);
      return (Math.sign(Number(a)) * Math.round(Math.abs(Number(a)) * f)) / f;
    }
    case 'floor':
      return Math.floor(Number(a));
    case 'ceil':
    case 'ceiling':
      return Math.ceil(Number(a));
    case 'lower':
      return s.toLowerCase();
    case 'upper':
      return s.toUpperCase();
    case 'trim':
      return s.replace(/^ +| +$/g, '');
    case 'length':
    case 'char_length':
      return [...s].length;
    case 'concat':
      return args.map(String).join('');
    case 'substring':
    case 'substr': {
      const chars = [...s];
      const start = Number(b) > 0 ? Number(b) - 1 : chars.length + Number(b);
      return chars.slice(start, c === undefined ? undefined : start + Number(c)).join('');
    }
    case 'year':
      return Number(s.slice(0, 4));
    case 'month':
      return Number(s.slice(5, 7));
    case 'day':
    case 'dayofmonth':
      return Number(s.slice(8, 10));
    case 'hour':
      return Number(s.slice(11, 13));
    case 'minute':
      return Number(s.slice(14, 16));
    case 'second':
      return Number(s.slice(17, 19));
    case 'date':
      return s.slice(0, 10);
    case 'datediff':
      return Math.round(
        (Date.parse(s.slice(0, 10) + 'T00:00:00Z') - Date.parse(String(b).slice(0, 10) + 'T00:00:00Z')) / 86_400_000,
      );
    default:
      throw new Error(`function ${fn} has no reference semantics`);
  }
}
