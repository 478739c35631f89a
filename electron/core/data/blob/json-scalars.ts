import { appError, type AppError } from '../../../../shared/errors';
import type { JsonFloat } from './typed-json-types';

/** Numbers in the typed JSON form: floats JSON cannot hold and big integers travel as strings. */

const SPECIAL_FLOATS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The error for malformed typed JSON at a JSONPath-like location. */
export function badJson(message: string, path: string): AppError {
  return appError('VALIDATION', `Invalid typed blob JSON at ${path}: ${message}`, { details: { path } });
}

/** A float64 as JSON: a number, or a string for NaN, infinities and -0. */
export function floatToJson(x: number): JsonFloat {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

/** Reads a float written by {@link floatToJson}. */
export function floatFromJson(j: unknown, path: string): number {
  if (typeof j === 'number') return j;
  if (typeof j === 'string' && j in SPECIAL_FLOATS) return SPECIAL_FLOATS[j]!;
  throw badJson('expected a number (or "NaN", "Infinity", "-Infinity", "-0")', path);
}

/** A Python int as JSON: a number when it is safe, else its decimal string. */
export function intToJson(x: number | bigint): number | string {
  if (typeof x === 'number') return x;
  return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString();
}

/** Reads an integer written by {@link intToJson}; `min`/`max` bound it when given. */
export function intFromJson(j: unknown, path: string, min?: bigint, max?: bigint): bigint {
  let v: bigint;
  if (typeof j === 'number' && Number.isSafeInteger(j)) v = BigInt(j);
  else if (typeof j === 'string' && /^-?\d+$/.test(j)) v = BigInt(j);
  else throw badJson('expected an integer (a number, or a decimal string beyond 2^53)', path);
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    throw badJson(`${v} is outside [${min ?? '-inf'}, ${max ?? 'inf'}]`, path);
  }
  return v;
}
