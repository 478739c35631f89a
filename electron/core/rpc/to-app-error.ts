import { type AppError, appError, isAppError } from '../../../shared/errors';

/** Anything thrown -> AppError. Adapters translate driver errors earlier; what is left is a bug. */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return appError(
    'INTERNAL',
    'Something went wrong inside Joinery. The details are in the log.',
    {
      hint: 'Try again; if it keeps failing, report it with the log.',
    },
    e,
  );
}
