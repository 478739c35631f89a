import { createClient, type ApiClient, type Transport } from '../../shared/api/client';
import type { Envelope } from '../../shared/api/envelope';
import { browserSocket } from './event-socket';
import { createIpcTransport } from './ipc-transport';
import { takeLoginToken } from './login-token';
import { createWebTransport, type WebTransport } from './web-transport';

/**
 * The renderer's only door to the core. The transport is chosen once, when this module loads:
 * inside the desktop app the preload script has put `window.joinery` there (IPC); anywhere else
 * the page was served by `joinery serve` (HTTP + WebSocket, same origin).
 */

/** Which transport this page uses. */
export type TransportKind = 'ipc' | 'web';

const loginRequiredListeners = new Set<() => void>();
const notifyLoginRequired = () => {
  for (const l of loginRequiredListeners) l();
};

/** Any UNAUTHORIZED answer means the session is gone (server restarted, cookie cleared). */
function watchSession(transport: Transport): Transport {
  return {
    async call(method, input) {
      const res = await transport.call(method, input);
      if (!res.ok && res.error.code === 'UNAUTHORIZED') notifyLoginRequired();
      return res;
    },
    subscribe: (event, listener) => transport.subscribe(event, listener),
  };
}

function pickTransport(): { kind: TransportKind; transport: Transport; web: WebTransport | null } {
  if (window.joinery) return { kind: 'ipc', transport: createIpcTransport(window.joinery), web: null };
  const web = createWebTransport({
    origin: window.location.origin,
    fetch: window.fetch.bind(window),
    connectSocket: browserSocket,
    onUnauthorized: notifyLoginRequired,
  });
  return { kind: 'web', transport: web, web };
}

const picked = pickTransport();

/** How this page reaches the core. */
export const transportKind: TransportKind = picked.kind;

/** The typed API client; failures reject with ApiError. Only store slices use it. */
export const api: ApiClient = createClient(watchSession(picked.transport));

/** Exchanges a login token for a session (web only; the desktop app needs no login). */
export function login(token: string): Promise<Envelope<unknown>> {
  return picked.web ? picked.web.login(token) : Promise.resolve({ ok: true, value: null });
}

/** Logs in with a database account (`joinery serve --auth mysql`). */
export function loginWithPassword(user: string, password: string): Promise<Envelope<unknown>> {
  return picked.web ? picked.web.loginWithPassword(user, password) : Promise.resolve({ ok: true, value: null });
}

/** Ends the web session. */
export function logout(): Promise<Envelope<unknown>> {
  return picked.web ? picked.web.logout() : Promise.resolve({ ok: true, value: null });
}

/** The token of the printed login link, removed from the address bar (web only). */
export function takeStartupLoginToken(): string | null {
  return picked.web ? takeLoginToken(window.location, window.history) : null;
}

/** Calls `listener` whenever the server says this page has no valid session. */
export function onLoginRequired(listener: () => void): () => void {
  loginRequiredListeners.add(listener);
  return () => {
    loginRequiredListeners.delete(listener);
  };
}
