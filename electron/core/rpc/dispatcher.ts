import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isMethodName, methods, type Handlers } from '../../../shared/api/contract';
import { fail, ok, type Envelope } from '../../../shared/api/envelope';
import { firstIssue } from '../../../shared/api/input-issue';
import { appError } from '../../../shared/errors';
import type { Logger } from '../log';
import type { CallContext } from './call-context';
import { toAppError } from './to-app-error';

/** Calls one method by name with untrusted input and returns an envelope; never throws. */
export type Dispatch = (
  method: string,
  input: unknown,
  ctx: Omit<CallContext, 'requestId'> & { requestId?: string },
) => Promise<Envelope<unknown>>;

/**
 * The transport-free dispatcher: validate input -> handler -> validate output -> envelope.
 * The only catch-all in the core: anything that is not an AppError is logged and reported as
 * INTERNAL without its stack, so no transport ever shows a stack trace to a user.
 */
export function createDispatcher(handlers: Handlers<CallContext>, log: Logger): Dispatch {
  return async (method, rawInput, partialCtx) => {
    const ctx: CallContext = { ...partialCtx, requestId: partialCtx.requestId ?? randomUUID() };
    if (!isMethodName(method)) {
      return fail(
        appError('UNKNOWN_METHOD', `Unknown method "${method}"`, {
          hint: 'Use one of the methods listed by the API contract (domain.verb, e.g. "connection.open").',
        }).toData(),
      );
    }
    const spec = methods[method];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) return fail(validationError(method, parsed.error, rawInput).toData());
    try {
      const handler = handlers[method] as (input: unknown, c: CallContext) => Promise<unknown>;
      const value = await handler(parsed.data, ctx);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        log.error('handler returned a value outside the contract', {
          method,
          issues: checked.error.issues.slice(0, 5),
        });
        return fail(appError('INTERNAL', `The core returned an invalid result for ${method}`).toData());
      }
      return ok(checked.data);
    } catch (e) {
      const err = toAppError(e);
      if (err.code === 'INTERNAL')
        log.error('unexpected error', { method, requestId: ctx.requestId, error: String((e as Error)?.stack ?? e) });
      return fail(err.toData());
    }
  };
}

/** One readable message from zod issues, plus each issue's path for the UI to place it by its field. */
function validationError(method: string, error: z.ZodError, input: unknown) {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = firstIssue(error, input);
  const where = first.path ? `${first.path}: ` : '';
  return appError('VALIDATION', `Invalid input for ${method}: ${where}${first.message}`, {
    details: { issues, field: first.path || undefined },
    hint: 'Correct the highlighted field and try again.',
  });
}
