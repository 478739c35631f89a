import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { isEventName } from '../../shared/api/contract';
import { fail } from '../../shared/api/envelope';
import { ClientMessage, EVENTS_PATH, RPC_PATH, type ServerMessage } from '../../shared/api/wire';
import { appError, type AppError, type AppErrorCode } from '../../shared/errors';
import type { ConnectionList } from '../../shared/api/schemas/connection';
import type { Core } from '../core/container';
import { WebAuth, originAllowed, type WebSession } from './auth';
import { checkMysqlTarget, type MysqlSession } from './mysql-login';
import { confineSqlite, type SqlitePolicy } from './sqlite-confine';
import { addLogin, notLoggedIn, type LoginMode } from './web-login';

/** Where and what `joinery serve` serves. */
export interface WebServerOptions {
  core: Core;
  host: string;
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  /** Largest accepted request body. */
  bodyLimit?: number;
  /** Token link (default) or each person's own MySQL account. */
  login?: LoginMode;
  /** Where browsers may open or create SQLite files (default: the core's data folder). */
  sqlite?: SqlitePolicy;
  /** A session ends after this long without a request. */
  sessionIdleMs?: number;
  /** The clock for session expiry (tests). */
  now?: () => number;
}

/** A running web server. */
export interface WebServer {
  url: string;
  /** The URL to open, login token included (ARCHITECTURE §10). */
  loginUrl: string;
  close(): Promise<void>;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const failure = (code: AppErrorCode, message: string, hint?: string) =>
  fail(appError(code, message, hint ? { hint } : undefined).toData());

/**
 * `joinery serve`: the renderer's files, `POST /rpc/<method>` and a WebSocket for calls and
 * events, behind a login (the token link, or each person's MySQL account). Every response about
 * the API is an envelope, errors included.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const mode: LoginMode = opts.login ?? { kind: 'token' };
  const auth = new WebAuth<MysqlSession | null>({
    idleMs: opts.sessionIdleMs,
    now: opts.now,
    onEnd: (s) => void s.data?.core.dispose(),
  });
  const sqlite = opts.sqlite ?? { dir: await dataDirOf(opts.core), files: [] };
  const gate: Gate = { mode, auth, sqlite, sharedCore: opts.core };
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024 });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 * 1024 } });
  addSecurityHeaders(app);
  addErrorHandling(app);
  addLogin(app, auth, mode);
  addRpc(app, gate);
  addEvents(app, gate);
  await addStatic(app, opts.rendererDir);
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}`;
  const close = async () => {
    await app.close();
    auth.endAll();
  };
  return { url, loginUrl: mode.kind === 'token' ? `${url}/?token=${auth.token}` : `${url}/`, close };
}

async function dataDirOf(core: Core): Promise<string> {
  const res = await core.dispatch('app.info', {}, { transport: 'in-process', host: 'web' });
  if (!res.ok) throw new Error(res.error.message);
  return (res.value as { dataDir: string }).dataDir;
}

/** What every API request passes: the login, and what web mode lets a browser open. */
interface Gate {
  mode: LoginMode;
  auth: WebAuth<MysqlSession | null>;
  sqlite: SqlitePolicy;
  sharedCore: Core;
}

/** The core a session talks to: its own in MySQL mode, the server's in token mode. */
function coreOf(gate: Gate, session: WebSession<MysqlSession | null>): Core {
  return session.data?.core ?? gate.sharedCore;
}

/** Web mode's limits on what a browser may open, checked before the core sees the call. */
function admit(
  gate: Gate,
  session: WebSession<MysqlSession | null>,
  method: string,
  input: unknown,
): { input: unknown } | AppError {
  if (gate.mode.kind === 'account' && session.data) {
    const refused = checkMysqlTarget(gate.mode, session.data, method, input);
    return refused ?? { input };
  }
  return confineSqlite(method, input, gate.sqlite);
}

/** Dispatches one call of a session, or answers why web mode refuses it. */
async function dispatch(
  gate: Gate,
  session: WebSession<MysqlSession | null>,
  method: string,
  input: unknown,
  transport: 'http' | 'websocket',
) {
  const admitted = admit(gate, session, method, input);
  if (!('input' in admitted)) return fail(admitted.toData());
  return coreOf(gate, session).dispatch(method, admitted.input, { transport, host: 'web' });
}

function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
  });
}

function addErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(failure('VALIDATION', 'The request body is too large.', 'Send less data per call.'));
    }
    if (status === 400 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply
        .code(400)
        .send(
          failure(
            'VALIDATION',
            `Malformed request: ${err.message}`,
            'Send a JSON object as the body, with Content-Type: application/json.',
          ),
        );
    }
    return reply.code(status).send(failure('INTERNAL', 'The server failed to answer the request.'));
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith(RPC_PATH)) return reply.code(404).send(failure('UNKNOWN_METHOD', 'Unknown endpoint.'));
    return reply.code(404).type('text/plain').send('Not found');
  });
}

function addRpc(app: FastifyInstance, gate: Gate): void {
  app.post(`${RPC_PATH}:method`, async (req, reply) => {
    if (!originAllowed(req.headers.origin, req.headers.host)) {
      return reply.code(403).send(failure('FORBIDDEN', 'Cross-origin calls are refused.'));
    }
    const session = gate.auth.session(req.headers.cookie);
    if (!session) return reply.code(401).send(notLoggedIn(gate.mode));
    const { method } = req.params as { method: string };
    return dispatch(gate, session, method, req.body ?? {}, 'http');
  });
}

function addEvents(app: FastifyInstance, gate: Gate): void {
  app.get(EVENTS_PATH, { websocket: true }, (socket: WebSocket, req) => {
    const session = originAllowed(req.headers.origin, req.headers.host) ? gate.auth.session(req.headers.cookie) : null;
    if (!session) {
      socket.close(4401, 'unauthorized');
      return;
    }
    const core = coreOf(gate, session);
    const subscribed = new Set<string>();
    const send = (msg: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    const unsubscribe = core.events.subscribe((event, data) => {
      if (subscribed.has(event)) send({ op: 'event', event, data });
    });
    socket.on('close', unsubscribe);
    socket.on('message', async (raw) => {
      let msg: ClientMessage;
      try {
        msg = ClientMessage.parse(JSON.parse(String(raw)));
      } catch {
        socket.close(4400, 'malformed message');
        return;
      }
      // a session that expired or logged out ends its sockets too
      if (!gate.auth.session(req.headers.cookie)) {
        socket.close(4401, 'unauthorized');
        return;
      }
      if (msg.op === 'subscribe' && isEventName(msg.event)) {
        subscribed.add(msg.event);
        // state-like events start with the current state, so a reconnecting client misses nothing
        if (msg.event === 'connection.changed') {
          const list = await core.dispatch('connection.list', {}, { transport: 'websocket', host: 'web' });
          if (list.ok) send({ op: 'event', event: msg.event, data: { open: (list.value as ConnectionList).open } });
        }
      } else if (msg.op === 'unsubscribe') subscribed.delete(msg.event);
      else if (msg.op === 'call')
        send({ op: 'result', id: msg.id, envelope: await dispatch(gate, session, msg.method, msg.input, 'websocket') });
    });
  });
}

async function addStatic(app: FastifyInstance, rendererDir: string): Promise<void> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw appError('NOT_FOUND', `The user interface is not built (no ${path.join(rendererDir, 'index.html')}).`, {
      hint: 'Run `npm run build` once, then start the server again.',
    });
  }
  await app.register(fastifyStatic, { root: rendererDir, index: false, wildcard: true });
}
