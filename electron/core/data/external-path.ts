import { createHash } from 'node:crypto';
import { PyUuid } from './python/values';

/**
 * Where DataJoint keeps `blob@store` contents (external.py): the cell holds UUID(md5(packed bytes))
 * and the bytes live at `<location>/<database>/<hex[0:2]>/<hex[2:4]>/<hex>` with the default
 * subfolding (2, 2). Identical contents share one object, which is why encodings must match.
 */

/** The storage hash of packed blob bytes, as DataJoint's uuid_from_buffer computes it. */
export function externalBlobHash(packed: Uint8Array): PyUuid {
  return new PyUuid(createHash('md5').update(packed).digest());
}

/** The object's path relative to the store location (POSIX separators, as in the store). */
export function externalObjectPath(
  database: string,
  hash: PyUuid | string,
  subfolding: readonly number[] = [2, 2],
): string {
  const hex = typeof hash === 'string' ? PyUuid.parse(hash).hex : hash.hex;
  const folders: string[] = [];
  let rest = hex;
  for (const n of subfolding) {
    folders.push(rest.slice(0, n));
    rest = rest.slice(n);
  }
  return [database, ...folders, hex].join('/');
}
