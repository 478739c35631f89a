import type { MethodName, Out, RawIn } from '../../../shared/api/contract';
import { ApiError, createClient } from '../../../shared/api/client';
import { AppError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import { inProcess } from '../../core/rpc/in-process';

/**
 * Calls the core through the typed in-process client (the same dispatcher, validation and error
 * mapping as the transports) and throws its error as an AppError, which the CLI prints.
 */
export async function callOrThrow<M extends MethodName>(core: Core, method: M, input: RawIn<M>): Promise<Out<M>> {
  try {
    return await createClient(inProcess(core, 'cli')).call(method, input);
  } catch (e) {
    throw e instanceof ApiError ? new AppError(e.data) : e;
  }
}
