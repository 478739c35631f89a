import { ApiError, type ApiClient } from '../../../shared/api/client';
import type { EventData, EventName, MethodName, Out, RawIn } from '../../../shared/api/contract';
import type { AppErrorData } from '../../../shared/errors';
import { createAppStore } from '../../../renderer/stores/app-store';
import type { SessionPort } from '../../../renderer/stores/store-types';

type Handler<M extends MethodName> = (input: RawIn<M>) => Out<M> | Promise<Out<M>>;
export type FakeHandlers = { [M in MethodName]?: Handler<M> };

/** A handler that fails the way the core does: the promise rejects with an ApiError. */
export const failWith = (error: AppErrorData) => () => {
  throw new ApiError(error);
};

/** A promise resolved from outside, to observe state while a call is pending. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An ApiClient answering from `handlers`, recording calls, and able to emit events. */
export function createFakeApi(handlers: FakeHandlers) {
  const calls: Array<{ method: MethodName; input: unknown }> = [];
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const api: ApiClient = {
    async call(method, input) {
      calls.push({ method, input });
      const h = handlers[method] as ((i: unknown) => unknown) | undefined;
      if (!h) throw new ApiError({ code: 'UNKNOWN_METHOD', message: `fake api: no handler for ${method}` });
      return (await h(input)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (d: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (d: unknown) => void);
    },
  };
  const emit = <E extends EventName>(event: E, data: EventData<E>) => {
    for (const l of listeners.get(event) ?? []) l(data);
  };
  return { api, calls, emit, listeners };
}

/** A login port that records what it was asked. */
export function createFakeSession(opts: { token?: string | null; loginOk?: boolean } = {}) {
  const loginRequired = new Set<() => void>();
  const logins: string[] = [];
  const port: SessionPort = {
    transport: 'web',
    takeLoginToken: () => opts.token ?? null,
    async login(token) {
      logins.push(token);
      return opts.loginOk === false
        ? { ok: false, error: { code: 'UNAUTHORIZED', message: 'The login token is not valid.' } }
        : { ok: true, value: { loggedIn: true } };
    },
    async loginWithPassword(user) {
      logins.push(`user:${user}`);
      return opts.loginOk === false
        ? { ok: false, error: { code: 'DB_AUTH', message: 'The server refused the login.' } }
        : { ok: true, value: { loggedIn: true } };
    },
    async logout() {
      logins.push('logout');
      return { ok: true, value: { loggedIn: false } };
    },
    onLoginRequired(listener) {
      loginRequired.add(listener);
      return () => loginRequired.delete(listener);
    },
  };
  return {
    port,
    logins,
    fireLoginRequired: () => {
      for (const l of loginRequired) l();
    },
  };
}

/** A store over fake dependencies. */
export function makeStore(handlers: FakeHandlers, session = createFakeSession()) {
  const fake = createFakeApi(handlers);
  const store = createAppStore({ api: fake.api, session: session.port });
  return { store, ...fake, session };
}
