import type { RExpr } from './resolved';
import { describeType, isNumeric, type ValueKind, type ValueType } from './types';

/**
 * The scalar functions of the condition language. Each works the same on MySQL and SQLite (the
 * dialects translate names where the engines differ); anything else is refused by name, so a
 * condition can never call an arbitrary SQL function.
 */
export interface FunctionSpec {
  /** Smallest and largest number of arguments. */
  arity: [number, number];
  /** Argument kinds accepted at position i (undefined: any comparable kind). */
  accepts?: (i: number) => readonly ValueKind[];
  /** The result type, or a message saying why the arguments do not fit. */
  result(args: RExpr[]): ValueType | string;
}

const NUM: readonly ValueKind[] = ['integer', 'decimal', 'float', 'bool', 'null'];
const TEXT: readonly ValueKind[] = ['string', 'null'];
const DAY: readonly ValueKind[] = ['date', 'datetime', 'null'];
const CLOCK: readonly ValueKind[] = ['datetime', 'time', 'null'];
const INT: ValueType = { kind: 'integer' };
const STRING: ValueType = { kind: 'string' };

const sameNumber = (args: RExpr[]): ValueType =>
  args[0]!.type.kind === 'bool' || args[0]!.type.kind === 'null' ? INT : { ...args[0]!.type, values: undefined };

function round(args: RExpr[]): ValueType | string {
  const t = args[0]!.type;
  const places = args[1];
  if (
    places &&
    !(
      places.kind === 'value' &&
      typeof places.value === 'number' &&
      Number.isInteger(places.value) &&
      places.value >= 0 &&
      places.value <= 30
    )
  ) {
    return 'the number of decimal places must be a whole number from 0 to 30';
  }
  const n = places && places.kind === 'value' ? Number(places.value) : 0;
  if (t.kind === 'decimal') return n === 0 ? INT : { kind: 'decimal', scale: Math.min(n, t.scale ?? 0) };
  if (t.kind === 'float') return { kind: 'float' };
  return INT;
}

function coalesce(args: RExpr[]): ValueType | string {
  const typed = args.map((a) => a.type).filter((t) => t.kind !== 'null');
  if (typed.length === 0) return { kind: 'null' };
  const first = typed[0]!;
  for (const t of typed) {
    const ok = isNumeric(first) ? isNumeric(t) : t.kind === first.kind;
    if (!ok) return `all arguments must have one type, but ${describeType(first)} and ${describeType(t)} differ`;
  }
  if (typed.some((t) => t.kind === 'float')) return { kind: 'float' };
  if (typed.some((t) => t.kind === 'decimal'))
    return { kind: 'decimal', scale: Math.max(...typed.map((t) => t.scale ?? 0)) };
  return { ...first, values: undefined };
}

/** Every function the condition language knows, by lower-case name. */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  abs: { arity: [1, 1], accepts: () => NUM, result: sameNumber },
  round: { arity: [1, 2], accepts: () => NUM, result: round },
  floor: { arity: [1, 1], accepts: () => NUM, result: () => INT },
  ceil: { arity: [1, 1], accepts: () => NUM, result: () => INT },
  ceiling: { arity: [1, 1], accepts: () => NUM, result: () => INT },
  lower: { arity: [1, 1], accepts: () => TEXT, result: () => STRING },
  upper: { arity: [1, 1], accepts: () => TEXT, result: () => STRING },
  trim: { arity: [1, 1], accepts: () => TEXT, result: () => STRING },
  length: { arity: [1, 1], accepts: () => TEXT, result: () => INT },
  char_length: { arity: [1, 1], accepts: () => TEXT, result: () => INT },
  concat: { arity: [1, 32], accepts: () => [...TEXT, 'integer', 'date', 'datetime', 'time'], result: () => STRING },
  substring: { arity: [2, 3], accepts: (i) => (i === 0 ? TEXT : ['integer', 'null']), result: () => STRING },
  substr: { arity: [2, 3], accepts: (i) => (i === 0 ? TEXT : ['integer', 'null']), result: () => STRING },
  coalesce: { arity: [1, 32], result: coalesce },
  ifnull: { arity: [2, 2], result: coalesce },
  year: { arity: [1, 1], accepts: () => DAY, result: () => INT },
  month: { arity: [1, 1], accepts: () => DAY, result: () => INT },
  day: { arity: [1, 1], accepts: () => DAY, result: () => INT },
  dayofmonth: { arity: [1, 1], accepts: () => DAY, result: () => INT },
  hour: { arity: [1, 1], accepts: () => CLOCK, result: () => INT },
  minute: { arity: [1, 1], accepts: () => CLOCK, result: () => INT },
  second: { arity: [1, 1], accepts: () => CLOCK, result: () => INT },
  date: { arity: [1, 1], accepts: () => DAY, result: () => ({ kind: 'date' }) },
  datediff: { arity: [2, 2], accepts: () => DAY, result: () => INT },
  curdate: { arity: [0, 0], result: () => ({ kind: 'date' }) },
  now: { arity: [0, 0], result: () => ({ kind: 'datetime' }) },
};

/** Names of the known functions, for error messages. */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS).sort();
