import { type AppError, appError } from '../../../../shared/errors';

/** Where offsets in a decode error point: the stored bytes, or the payload after decompression. */
export type OffsetSpace = 'stored' | 'decompressed';

/**
 * A VALIDATION error for a corrupt blob, naming the byte offset where decoding failed.
 * Users see these when a cell holds bytes DataJoint could not have written; the offset lets a
 * developer find the spot in a hex dump.
 */
export function corruptBlob(message: string, offset: number, space: OffsetSpace = 'stored'): AppError {
  const where = space === 'stored' ? `at byte ${offset}` : `at byte ${offset} of the decompressed blob`;
  return appError('VALIDATION', `Corrupt blob ${where}: ${message}`, {
    hint: 'The stored bytes are not a valid DataJoint blob (mYm/dj0); they may be truncated or written by another tool.',
    details: { offset, offsetSpace: space },
  });
}

/** An UNSUPPORTED error for valid blobs using a feature no DataJoint client reads (sparse arrays). */
export function unsupportedBlob(message: string, offset: number, space: OffsetSpace = 'stored'): AppError {
  const where = space === 'stored' ? `at byte ${offset}` : `at byte ${offset} of the decompressed blob`;
  return appError('UNSUPPORTED', `Unsupported blob content ${where}: ${message}`, {
    details: { offset, offsetSpace: space },
  });
}

/** A VALIDATION error for a value that cannot be encoded; `path` is a JSONPath-like location. */
export function unencodable(message: string, path: string): AppError {
  return appError('VALIDATION', `Cannot encode blob value at ${path}: ${message}`, { details: { path } });
}
