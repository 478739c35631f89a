import type { Transport } from '../../shared/api/client';
import type { Envelope } from '../../shared/api/envelope';
import { EVENTS_PATH, LOGIN_PATH, LOGOUT_PATH, RPC_PATH } from '../../shared/api/wire';
import { asEnvelope, transportFailure } from './envelopes';
import { createEventSocket, type SocketLike } from './event-socket';

/** The browser transport of `joinery serve`, plus the token login only the browser needs. */
export interface WebTransport extends Transport {
  /** Trades the token of the printed link for the session cookie. */
  login(token: string): Promise<Envelope<unknown>>;
  /** `joinery serve --auth mysql`: logs in with the person's database account. */
  loginWithPassword(user: string, password: string): Promise<Envelope<unknown>>;
  /** Ends the session (the server clears the cookie). */
  logout(): Promise<Envelope<unknown>>;
}

export interface WebTransportOptions {
  /** The page's origin, e.g. `http://127.0.0.1:8765`. */
  origin: string;
  fetch: typeof fetch;
  connectSocket: (url: string) => SocketLike;
  /** Told when the server says the session is missing or expired (the socket's 4401 close). */
  onUnauthorized?: () => void;
}

const SERVER_HINT = 'Check that `joinery serve` is still running (see its terminal), then reload this page.';

/** `http://host:port` -> `ws://host:port/events` (`wss:` behind HTTPS). */
export function eventsUrl(origin: string): string {
  const u = new URL(EVENTS_PATH, origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.href;
}

/**
 * Calls are `POST /rpc/<method>` with the JSON input, answered by an envelope (also on 4xx/5xx);
 * the session cookie goes along because the page is same-origin. Events come over one WebSocket.
 */
export function createWebTransport(opts: WebTransportOptions): WebTransport {
  const socket = createEventSocket({
    url: eventsUrl(opts.origin),
    connect: opts.connectSocket,
    ...(opts.onUnauthorized ? { onUnauthorized: opts.onUnauthorized } : {}),
  });

  const post = async (path: string, body: unknown, what: string): Promise<Envelope<unknown>> => {
    let res: Response;
    try {
      res = await opts.fetch(new URL(path, opts.origin).href, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    } catch {
      return transportFailure('INTERNAL', `Cannot reach the Joinery server (${what}).`, SERVER_HINT);
    }
    const envelope = asEnvelope(await res.json().catch(() => undefined));
    if (envelope) return envelope;
    if (res.status === 401) {
      return transportFailure(
        'UNAUTHORIZED',
        'Not logged in.',
        'Open the link that `joinery serve` printed when it started.',
      );
    }
    return transportFailure(
      'INTERNAL',
      `The server answered ${what} with HTTP ${res.status} and no result.`,
      SERVER_HINT,
    );
  };

  return {
    call: (method, input) => post(RPC_PATH + encodeURIComponent(method), input, method),
    subscribe: (event, listener) => socket.subscribe(event, listener),
    async login(token) {
      const res = await post(LOGIN_PATH, { token }, 'the login');
      if (res.ok) socket.resume();
      return res;
    },
    async loginWithPassword(user, password) {
      const res = await post(LOGIN_PATH, { user, password }, 'the login');
      if (res.ok) socket.resume();
      return res;
    },
    logout: () => post(LOGOUT_PATH, {}, 'the logout'),
  };
}
