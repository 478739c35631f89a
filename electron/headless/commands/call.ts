import type { MethodName, Out, RawIn } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import type { Core } from '../../core/container';

/** Calls the core through the same dispatcher as the transports and throws its error as an AppError. */
export async function callOrThrow<M extends MethodName>(core: Core, method: M, input: RawIn<M>): Promise<Out<M>> {
  const res = await core.dispatch(method, input, { transport: 'in-process', host: 'cli' });
  if (!res.ok) throw new AppError(res.error);
  return res.value as Out<M>;
}
