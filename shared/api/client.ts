import type { AppErrorData } from '../errors';
import type { Envelope } from './envelope';
import type { EventData, EventName, MethodName, Out, RawIn } from './contract';

/** Moves calls and events between a client and the core: IPC, HTTP+WebSocket, or in-process. */
export interface Transport {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(event: string, listener: (data: unknown) => void): () => void;
}

/** An error returned by the core, rethrown on the client side with its code and hint. */
export class ApiError extends Error {
  readonly data: AppErrorData;
  constructor(data: AppErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.data = data;
  }
  get code() {
    return this.data.code;
  }
}

/** The typed face of a transport: `call('connection.open', {...})` returns `Out<'connection.open'>`. */
export interface ApiClient {
  call<M extends MethodName>(method: M, input: RawIn<M>): Promise<Out<M>>;
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void;
}

/** Wraps a transport in the typed client; failures become {@link ApiError}. */
export function createClient(transport: Transport): ApiClient {
  return {
    async call(method, input) {
      const res = await transport.call(method, input);
      if (!res.ok) throw new ApiError(res.error);
      return res.value as never;
    },
    on(event, listener) {
      return transport.subscribe(event, (data) => listener(data as never));
    },
  };
}
