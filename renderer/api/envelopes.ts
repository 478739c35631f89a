import { EnvelopeSchema, type Envelope } from '../../shared/api/envelope';
import type { AppErrorCode } from '../../shared/errors';

/**
 * What a transport hands back when the core itself could not be asked (network down, a proxy's
 * HTML error page, a broken bridge): still an envelope, so callers handle exactly one shape.
 */
export function transportFailure(code: AppErrorCode, message: string, hint: string): Envelope<never> {
  return { ok: false, error: { code, message, hint } };
}

/** The value as an envelope, or null when it is not one (checked, because it crossed a boundary). */
export function asEnvelope(raw: unknown): Envelope<unknown> | null {
  const parsed = EnvelopeSchema.safeParse(raw);
  return parsed.success ? (parsed.data as Envelope<unknown>) : null;
}
