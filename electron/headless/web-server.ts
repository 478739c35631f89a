import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { isEventName } from '../../shared/api/contract';
import { fail } from '../../shared/api/envelope';
import { ClientMessage, EVENTS_PATH, LOGIN_PATH, RPC_PATH, type ServerMessage } from '../../shared/api/wire';
import { appError, type AppErrorCode } from '../../shared/errors';
import type { ConnectionList } from '../../shared/api/schemas/connection';
import type { Core } from '../core/container';
import { WebAuth, originAllowed } from './auth';

/** Where and what `joinery serve` serves. */
export interface WebServerOptions {
  core: Core;
  host: string;
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  /** Largest accepted request body. */
  bodyLimit?: number;
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
 * events, behind the token login. Every response about the API is an envelope, errors included.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const auth = new WebAuth();
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024 });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 * 1024 } });
  addSecurityHeaders(app);
  addErrorHandling(app);
  addLogin(app, auth);
  addRpc(app, opts.core, auth);
  addEvents(app, opts.core, auth);
  await addStatic(app, opts.rendererDir);
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}`;
  return { url, loginUrl: `${url}/?token=${auth.token}`, close: () => app.close() };
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

function addLogin(app: FastifyInstance, auth: WebAuth): void {
  const login = (reply: FastifyReply, secure: boolean) => reply.header('Set-Cookie', auth.newSession(secure).cookie);
  // Opening the printed link: trade the token for a cookie and drop it from the address bar.
  app.get('/', async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token;
    if (token !== undefined) {
      // a bad token just lands on the page without a session: the UI then explains how to log in
      if (auth.checkToken(token)) login(reply, req.protocol === 'https');
      return reply.redirect('/', 303);
    }
    return reply.sendFile('index.html');
  });
  app.post(LOGIN_PATH, async (req, reply) => {
    if (!originAllowed(req.headers.origin, req.headers.host))
      return reply.code(403).send(failure('FORBIDDEN', 'Cross-origin login refused.'));
    const token = (req.body as Record<string, unknown> | null)?.token;
    if (!auth.checkToken(token)) {
      return reply
        .code(401)
        .send(
          failure(
            'UNAUTHORIZED',
            'The login token is not valid.',
            'Open the link that `joinery serve` printed when it started.',
          ),
        );
    }
    login(reply, req.protocol === 'https');
    return { ok: true, value: { loggedIn: true } };
  });
}

function addRpc(app: FastifyInstance, core: Core, auth: WebAuth): void {
  app.post(`${RPC_PATH}:method`, async (req, reply) => {
    if (!originAllowed(req.headers.origin, req.headers.host)) {
      return reply.code(403).send(failure('FORBIDDEN', 'Cross-origin calls are refused.'));
    }
    if (!auth.isAuthenticated(req.headers.cookie)) {
      return reply
        .code(401)
        .send(failure('UNAUTHORIZED', 'Not logged in.', 'Open the link that `joinery serve` printed when it started.'));
    }
    const { method } = req.params as { method: string };
    return core.dispatch(method, req.body ?? {}, { transport: 'http', host: 'web' });
  });
}

function addEvents(app: FastifyInstance, core: Core, auth: WebAuth): void {
  app.get(EVENTS_PATH, { websocket: true }, (socket: WebSocket, req) => {
    if (!originAllowed(req.headers.origin, req.headers.host) || !auth.isAuthenticated(req.headers.cookie)) {
      socket.close(4401, 'unauthorized');
      return;
    }
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
      if (msg.op === 'subscribe' && isEventName(msg.event)) {
        subscribed.add(msg.event);
        // state-like events start with the current state, so a reconnecting client misses nothing
        if (msg.event === 'connection.changed') {
          const list = await core.dispatch('connection.list', {}, { transport: 'websocket', host: 'web' });
          if (list.ok) send({ op: 'event', event: msg.event, data: { open: (list.value as ConnectionList).open } });
        }
      } else if (msg.op === 'unsubscribe') subscribed.delete(msg.event);
      else if (msg.op === 'call')
        send({
          op: 'result',
          id: msg.id,
          envelope: await core.dispatch(msg.method, msg.input, { transport: 'websocket', host: 'web' }),
        });
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
