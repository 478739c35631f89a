import { appError } from '../../../shared/errors';
import type { AttachmentInput } from '../../../shared/model/value-rules';

/**
 * DataJoint's internal `attach` cells: a longblob holding `filename\0contents` (table.py,
 * `attachment_name.encode() + b"\0" + contents`). Over the API an attachment travels as base64,
 * bounded so that one fetch never sends an arbitrarily large file inline.
 */

/** Largest attachment whose contents a fetch returns inline (16 MiB). */
export const ATTACHMENT_INLINE_LIMIT = 16 * 1024 * 1024;

/** A fetched attachment; `base64` is null (and `note` says why) when the file is too large to send inline. */
export interface AttachmentValue {
  type: 'attachment';
  filename: string;
  size: number;
  base64: string | null;
  note?: string;
}

/** The stored bytes of an attachment. */
export function encodeAttachment(value: AttachmentInput): Buffer {
  return Buffer.concat([Buffer.from(value.filename, 'utf8'), Buffer.from([0]), Buffer.from(value.base64, 'base64')]);
}

/** The stored bytes back to an attachment value; bytes without the NUL separator are a clear error. */
export function decodeAttachment(bytes: Buffer, limit = ATTACHMENT_INLINE_LIMIT): AttachmentValue {
  const nul = bytes.indexOf(0);
  if (nul < 0) {
    throw appError(
      'VALIDATION',
      `Corrupt attachment: the ${bytes.length} stored bytes hold no file name (no NUL separator).`,
      {
        hint: 'The cell was not written as a DataJoint attach value.',
      },
    );
  }
  return attachmentValue(bytes.subarray(0, nul).toString('utf8'), bytes.subarray(nul + 1), limit);
}

/** An attachment value for a file name and its contents, base64 omitted above `limit`. */
export function attachmentValue(filename: string, contents: Buffer, limit = ATTACHMENT_INLINE_LIMIT): AttachmentValue {
  if (contents.length > limit) return largeAttachment(filename, contents.length, limit);
  return { type: 'attachment', filename, size: contents.length, base64: contents.toString('base64') };
}

/** An attachment too large to send inline: its name and size only. */
export function largeAttachment(filename: string, size: number, limit = ATTACHMENT_INLINE_LIMIT): AttachmentValue {
  return {
    type: 'attachment',
    filename,
    size,
    base64: null,
    note: `larger than ${Math.round(limit / 1024 / 1024)} MiB, so its contents are not sent inline`,
  };
}
