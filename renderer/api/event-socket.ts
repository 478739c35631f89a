import type { ClientMessage } from '../../shared/api/wire';
import { reconnectDelay } from './reconnect-delay';

/** The part of the browser's WebSocket the event socket uses (a fake one in unit tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Close code the web server uses when the socket has no valid session. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;
const OPEN = 1;

export interface EventSocketOptions {
  url: string;
  connect: (url: string) => SocketLike;
  /** Called when the server refuses the session; the socket then waits for {@link EventSocket.resume}. */
  onUnauthorized?: () => void;
  delay?: (attempt: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** One WebSocket for all event subscriptions, reconnecting with backoff and re-subscribing. */
export interface EventSocket {
  subscribe(event: string, listener: (data: unknown) => void): () => void;
  /** Reconnect now (after a login, or when the page comes back online). */
  resume(): void;
  close(): void;
}

/**
 * Opens the socket lazily on the first subscription. After any drop it reconnects (0.5 s, 1 s,
 * 2 s ... 30 s) and sends `subscribe` again for every event that still has listeners, because
 * the server forgets a socket's subscriptions when it closes.
 */
export function createEventSocket(opts: EventSocketOptions): EventSocket {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const delay = opts.delay ?? reconnectDelay;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let attempt = 0;
  let paused = false;
  let closed = false;

  const send = (msg: ClientMessage) => {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(msg));
  };

  const dispatch = (raw: unknown) => {
    let msg: { op?: unknown; event?: unknown; data?: unknown };
    try {
      msg = JSON.parse(String(raw)) as typeof msg;
    } catch {
      return; // not ours to understand; the server only sends JSON
    }
    if (msg.op !== 'event' || typeof msg.event !== 'string') return;
    for (const listener of listeners.get(msg.event) ?? []) listener(msg.data);
  };

  const scheduleReconnect = () => {
    if (closed || paused || timer !== null || listeners.size === 0) return;
    timer = setTimer(() => {
      timer = null;
      open();
    }, delay(attempt++));
  };

  function open(): void {
    if (closed || paused || socket || listeners.size === 0) return;
    let s: SocketLike;
    try {
      s = opts.connect(opts.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      attempt = 0;
      for (const event of listeners.keys()) send({ op: 'subscribe', event });
    };
    s.onmessage = (ev) => dispatch(ev.data);
    s.onerror = () => {
      /* a close event always follows; reconnecting happens there */
    };
    s.onclose = (ev) => {
      if (socket === s) socket = null;
      if (ev.code === UNAUTHORIZED_CLOSE_CODE) {
        paused = true;
        opts.onUnauthorized?.();
        return;
      }
      scheduleReconnect();
    };
  }

  return {
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        send({ op: 'subscribe', event });
      }
      set.add(listener);
      open();
      return () => {
        const current = listeners.get(event);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(event);
        send({ op: 'unsubscribe', event });
      };
    },
    resume() {
      paused = false;
      if (timer !== null) {
        clearTimer(timer);
        timer = null;
      }
      attempt = 0;
      open();
    },
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      socket?.close(1000, 'client closed');
      socket = null;
    },
  };
}

/** The browser's WebSocket behind the {@link SocketLike} face the event socket uses. */
export function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const s: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  ws.onopen = (ev) => s.onopen?.(ev);
  ws.onmessage = (ev) => s.onmessage?.({ data: ev.data });
  ws.onclose = (ev) => s.onclose?.({ code: ev.code });
  ws.onerror = (ev) => s.onerror?.(ev);
  return s;
}
