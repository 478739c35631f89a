import { createHash } from 'node:crypto';
import { pyStr, type PyScalar } from './python/str';

/**
 * DataJoint's `key_hash(key)` (hash.py): md5 hex of the concatenated Python `str()` of the key's
 * values, taken in order of the sorted attribute names, with no separators. `~jobs` rows are keyed
 * by it, so Joinery and DataJoint workers can only share a queue if the hashes agree bit for bit.
 * Values must carry their Python types: ints as safe-integer numbers or bigints, floats as
 * non-integral numbers or PyFloat, `time` columns as PyTimedelta (that is what pymysql returns).
 */
export function keyHash(key: Readonly<Record<string, PyScalar>>): string {
  const md5 = createHash('md5');
  for (const name of Object.keys(key).sort(compareCodePoints)) {
    md5.update(Buffer.from(pyStr(key[name] as PyScalar), 'utf8'));
  }
  return md5.digest('hex');
}

/** The string key_hash digests, for diagnostics ("why does my hash differ?"). */
export function keyHashInput(key: Readonly<Record<string, PyScalar>>): string {
  return Object.keys(key)
    .sort(compareCodePoints)
    .map((name) => pyStr(key[name] as PyScalar))
    .join('');
}

/** Python sorts str by code point; JS's default sort compares UTF-16 units, which differs past U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
