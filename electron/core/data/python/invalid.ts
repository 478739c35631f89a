import { type AppError, appError } from '../../../../shared/errors';

/**
 * A VALIDATION error for a value that Python (or DataJoint) would refuse.
 * One helper so every Python-value module words its failures the same way.
 */
export function invalidValue(message: string, details?: Record<string, unknown>): AppError {
  return appError('VALIDATION', message, details === undefined ? undefined : { details });
}

/** Throws {@link invalidValue} unless `n` is an integer in [min, max]; `what` names the field. */
export function checkIntRange(n: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidValue(`${what} must be an integer from ${min} to ${max}, got ${String(n)}.`, { field: what });
  }
}

/** Left-pads a non-negative integer with zeros, as Python's `%0Nd` does. */
export function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}
