/**
 * Error codes and data shared by the core, both transports, the CLI and the UI.
 * Errors cross process boundaries as plain data (Electron drops custom error fields), so every
 * failure is an {@link AppErrorData}; the UI and the CLI map the code to what the user can do next.
 */

/** Every failure the core reports. Input codes make the CLI exit with 2, the others with 1. */
export const APP_ERROR_CODES = [
  // the caller's input is wrong
  'VALIDATION',
  'BAD_URL',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'CONFLICT',
  'CONSTRAINT',
  'UNSUPPORTED',
  // access
  'UNAUTHORIZED',
  'FORBIDDEN',
  // the work failed
  'NOT_CONNECTED',
  'DB_AUTH',
  'DB_UNREACHABLE',
  'DB_NOT_FOUND',
  'DB_QUERY',
  'DB_LOCKED',
  'DOCKER_UNAVAILABLE',
  'JOB_FAILED',
  'CANCELLED',
  'TIMEOUT',
  'INTERNAL',
] as const;

/** One of {@link APP_ERROR_CODES}. */
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** Codes that mean "the request was wrong", as opposed to "the work failed". */
const INPUT_CODES: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  'VALIDATION',
  'BAD_URL',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'CONFLICT',
  'CONSTRAINT',
  'UNSUPPORTED',
]);

/** True when the code blames the request (CLI exit status 2) rather than the work (exit status 1). */
export function isInputError(code: AppErrorCode): boolean {
  return INPUT_CODES.has(code);
}

/**
 * An error as data: `message` says what went wrong, `hint` what to do next, `details` carries
 * machine-readable specifics (field, table, attribute, line, column, expected...).
 */
export interface AppErrorData {
  code: AppErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

/** The one exception type the core throws on purpose; anything else is a bug (INTERNAL). */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(data: AppErrorData, options?: { cause?: unknown }) {
    super(data.message, options);
    this.name = 'AppError';
    this.code = data.code;
    this.hint = data.hint;
    this.details = data.details;
  }

  /** The wire form: only the fields in {@link AppErrorData}, never a stack. */
  toData(): AppErrorData {
    const data: AppErrorData = { code: this.code, message: this.message };
    if (this.hint !== undefined) data.hint = this.hint;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }
}

/** Shorthand for `new AppError({code, message, ...})`. */
export function appError(
  code: AppErrorCode,
  message: string,
  extra?: Omit<AppErrorData, 'code' | 'message'>,
  cause?: unknown,
): AppError {
  return new AppError({ code, message, ...extra }, cause === undefined ? undefined : { cause });
}

/** Narrowing for values caught in `catch`. */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(x)}`);
}
