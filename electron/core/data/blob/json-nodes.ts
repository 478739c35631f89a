import { isAppError } from '../../../../shared/errors';
import { badJson } from './json-scalars';

/** Checked access to the nodes of parsed typed JSON; every failure names its JSON path. */

/** A JSON object (not an array), or an error at `path`. */
export function objectAt(j: unknown, path: string): Record<string, unknown> {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw badJson('expected an object', path);
  return j as Record<string, unknown>;
}

/** A JSON array, or an error at `path`. */
export function arrayAt(j: unknown, path: string): unknown[] {
  if (!Array.isArray(j)) throw badJson('expected a list', path);
  return j;
}

/** A list of non-negative integer dimensions. */
export function shapeAt(j: unknown, path: string): number[] {
  return arrayAt(j, path).map((d, i) => {
    if (!Number.isSafeInteger(d) || (d as number) < 0)
      throw badJson('expected a non-negative integer', `${path}[${i}]`);
    return d as number;
  });
}

/** A string, or an error at `path`. */
export function stringAt(j: unknown, path: string): string {
  if (typeof j !== 'string') throw badJson('expected a string', path);
  return j;
}

/** Runs a validating constructor, re-labelling its error with the JSON path. */
export function build<T>(path: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (isAppError(e)) throw badJson(e.message, path);
    throw e;
  }
}
