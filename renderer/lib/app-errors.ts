import { ApiError } from '../../shared/api/client';
import type { AppErrorData } from '../../shared/errors';

/** Any caught value as error data the UI can show (message + what to do next). */
export function toErrorData(e: unknown): AppErrorData {
  if (e instanceof ApiError) return e.data;
  const message = e instanceof Error ? e.message : String(e);
  return {
    code: 'INTERNAL',
    message: `Something went wrong in the user interface: ${message}`,
    hint: 'Reload the page. If it happens again, report it with what you did just before.',
  };
}

/** The input field an error is about (`details.field`, set by the core or by form checks), if any. */
export function errorField(error: AppErrorData | null | undefined): string | null {
  const field = error?.details?.field;
  return typeof field === 'string' && field.length > 0 ? field : null;
}

/**
 * Maps the field an error names to a field of one form, e.g. the core's `url` to the SQLite
 * form's path field; null means "show it at the top of the form".
 */
export function fieldForError<F extends string>(
  error: AppErrorData | null | undefined,
  mapping: Readonly<Record<string, F>>,
): F | null {
  const field = errorField(error);
  return field !== null && Object.hasOwn(mapping, field) ? mapping[field]! : null;
}
