import { decodeBlob, encodeBlob, fromTypedJson, toPlain, toTypedJson, type BlobInput } from './blob';
import type { BlobCodec } from './values';

const TYPED_KINDS = new Set([
  'none',
  'bool',
  'int',
  'float',
  'str',
  'bytes',
  'complex',
  'decimal',
  'uuid',
  'date',
  'time',
  'datetime',
  'timedelta',
  'ndarray',
  'recarray',
  'cell',
  'struct',
  'dict',
  'list',
  'tuple',
  'set',
]);

/**
 * Blob attributes over a JSON API: fetched blobs travel as the lossless typed JSON form
 * ({"type": "ndarray", ...}); inserted values may be that form or plain JSON (numbers, lists,
 * objects), which is encoded as DataJoint would encode the same Python value.
 */
export const jsonBlobCodec: BlobCodec = {
  encode(value) {
    return Buffer.from(encodeBlob(asBlobInput(value)));
  },
  decode(bytes) {
    return toTypedJson(decodeBlob(bytes));
  },
};

// every key the typed JSON form uses (typed-json-types.ts)
const TYPED_KEYS = new Set([
  'type',
  'value',
  'hex',
  'items',
  'dtype',
  'shape',
  'values',
  'int64_values',
  'iso_values',
  'fields',
  'names',
  'records',
]);

/**
 * An object shaped like the typed JSON form (a known "type" and only typed-form keys) is read as
 * such, and a malformed one is an error naming the JSON path, not silently stored as a dict;
 * anything else is plain JSON (an object with a "type" key among other keys is a plain dict).
 */
function asBlobInput(value: unknown): BlobInput {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    TYPED_KINDS.has(String((value as { type?: unknown }).type)) &&
    Object.keys(value).every((k) => TYPED_KEYS.has(k))
  ) {
    return fromTypedJson(value);
  }
  return value as BlobInput;
}

/** A `~jobs` key blob as a plain object of key values. */
export function decodeJobKey(bytes: Buffer): Record<string, unknown> | null {
  const plain = toPlain(decodeBlob(bytes));
  return plain && typeof plain === 'object' && !Array.isArray(plain) ? plain : null;
}

/** DataJoint's `~jobs.error_stack` blob (a traceback string, or a list of lines) as text. */
export function decodeErrorStack(bytes: Buffer): string | null {
  const plain = toPlain(decodeBlob(bytes));
  if (typeof plain === 'string') return plain;
  if (Array.isArray(plain)) return plain.map(String).join('');
  return plain === null || plain === undefined ? null : JSON.stringify(plain);
}
