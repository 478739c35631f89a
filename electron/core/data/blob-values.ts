import { isAppError } from '../../../shared/errors';
import { decodeBlob, encodeBlob, fromTypedJson, toPlain, toTypedJson, type BlobInput } from './blob';
import type { BlobCodec } from './values';

const TYPED_KINDS = new Set(['none', 'bool', 'int', 'float', 'str', 'bytes', 'complex', 'decimal', 'uuid', 'date', 'time', 'datetime',
  'timedelta', 'ndarray', 'recarray', 'cell', 'struct', 'dict', 'list', 'tuple', 'set']);

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

/** A typed-JSON object is read as such; anything else is plain JSON. */
function asBlobInput(value: unknown): BlobInput {
  if (value && typeof value === 'object' && !Array.isArray(value) && TYPED_KINDS.has(String((value as { type?: unknown }).type))) {
    try {
      return fromTypedJson(value);
    } catch (e) {
      if (!isAppError(e)) throw e;
      // not a valid typed value: a plain object that happens to have a "type" key
    }
  }
  return value as BlobInput;
}

/** A `~jobs` key blob as a plain object of key values. */
export function decodeJobKey(bytes: Buffer): Record<string, unknown> | null {
  const plain = toPlain(decodeBlob(bytes));
  return plain && typeof plain === 'object' && !Array.isArray(plain) ? plain : null;
}
