import { z } from 'zod';

/**
 * The web transport's wire format (ARCHITECTURE §3). HTTP: `POST /rpc/<method>` with the input as
 * the JSON body answers an envelope. WebSocket `/events`: the client sends {@link ClientMessage}s,
 * the server answers {@link ServerMessage}s; calls over the socket give the same envelopes as HTTP.
 * Electron IPC carries the same calls on channel {@link IPC_RPC_CHANNEL} and events on {@link IPC_EVENT_CHANNEL}.
 */

/** Path of the WebSocket endpoint. */
export const EVENTS_PATH = '/events';
/** Prefix of the HTTP RPC endpoint. */
export const RPC_PATH = '/rpc/';
/** Login endpoint: POST {token} (or {user, password} with `--auth mysql`) sets the session cookie. */
export const LOGIN_PATH = '/auth/login';
/** Logout endpoint: POST ends the session and clears the cookie. */
export const LOGOUT_PATH = '/auth/logout';
/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'joinery_session';

/** Electron invoke channel for calls. */
export const IPC_RPC_CHANNEL = 'joinery:rpc';
/** Electron push channel for events. */
export const IPC_EVENT_CHANNEL = 'joinery:event';

/** What a browser sends on the socket. */
export const ClientMessage = z.discriminatedUnion('op', [
  z.object({ op: z.literal('call'), id: z.number().int(), method: z.string().max(200), input: z.unknown() }),
  z.object({ op: z.literal('subscribe'), event: z.string().max(200) }),
  z.object({ op: z.literal('unsubscribe'), event: z.string().max(200) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** What the server sends on the socket: a call's envelope, or an event the client subscribed to. */
export type ServerMessage =
  { op: 'result'; id: number; envelope: unknown } | { op: 'event'; event: string; data: unknown };
