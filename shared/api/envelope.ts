import { z } from 'zod';
import { APP_ERROR_CODES, type AppErrorData } from '../errors';

/** What every call returns on every transport: a value, or an error as data. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

/** Schema of {@link AppErrorData}, used by transports to check what they receive. */
export const AppErrorDataSchema = z.object({
  code: z.enum(APP_ERROR_CODES),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Schema of an envelope whose value is not checked (the dispatcher already checked it). */
export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorDataSchema }),
]);

/** Builds a success envelope. */
export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });

/** Builds a failure envelope. */
export const fail = (error: AppErrorData): Envelope<never> => ({ ok: false, error });
