import type { LineCursor } from './cursor';

/**
 * Attribute names as DataJoint allows them: `[a-z][a-z0-9_]*` (names starting with `_` are
 * hidden columns that only DataJoint itself adds), at most 64 characters (MySQL's limit).
 */

/** DataJoint's attribute-name pattern. */
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*$/;

/** Longest identifier MySQL accepts. */
export const MAX_NAME_LENGTH = 64;

/**
 * Why `name` cannot be an attribute, or null when it can. DataJoint reads any line that starts
 * with `index` as an index, so such names could never be declared by DataJoint Python.
 */
export function attributeNameProblem(name: string, opts: { reservedOk?: boolean } = {}): string | null {
  if (!ATTRIBUTE_NAME.test(name)) return 'attribute names are lower case: a letter, then letters, digits or "_"';
  if (name.length > MAX_NAME_LENGTH) return `attribute names have at most ${MAX_NAME_LENGTH} characters`;
  if (!opts.reservedOk && /^index/.test(name))
    return 'names starting with "index" are read as index lines by DataJoint';
  return null;
}

/** Fails at `at` when `name` is not a valid attribute name. */
export function checkAttributeName(c: LineCursor, name: string, at: number, opts: { reservedOk?: boolean } = {}): void {
  const problem = attributeNameProblem(name, opts);
  if (problem) c.fail('an attribute name ([a-z][a-z0-9_]*)', { at, found: `"${name}"`, why: problem });
}
