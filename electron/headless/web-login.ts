import type { FastifyInstance, FastifyReply } from 'fastify';
import { fail } from '../../shared/api/envelope';
import { LOGIN_PATH, LOGOUT_PATH } from '../../shared/api/wire';
import { appError, isAppError, type AppErrorCode } from '../../shared/errors';
import { originAllowed, type WebAuth } from './auth';
import { mysqlLogin, type MysqlAuth, type MysqlSession } from './mysql-login';

/** How people log in: the printed token link, or their own MySQL account (`--auth mysql`). */
export type LoginMode = { kind: 'token' } | MysqlAuth;

/** A 401 envelope; `details.auth` tells the UI which login screen to show. */
export function notLoggedIn(mode: LoginMode, message = 'Not logged in.') {
  const hint =
    mode.kind === 'account'
      ? 'Log in with your database user name and password.'
      : 'Open the link that `joinery serve` printed when it started.';
  return fail(appError('UNAUTHORIZED', message, { hint, details: { auth: mode.kind } }).toData());
}

const failure = (code: AppErrorCode, message: string) => fail(appError(code, message).toData());

/**
 * Login and logout routes. Token mode: opening the printed link (or POST {token}) trades the
 * token for a session cookie. MySQL mode: POST {user, password} opens that person's connection.
 * POST logout ends the session and clears the cookie in both.
 */
export function addLogin(app: FastifyInstance, auth: WebAuth<MysqlSession | null>, mode: LoginMode): void {
  const start = (reply: FastifyReply, secure: boolean, data: MysqlSession | null) =>
    reply.header('Set-Cookie', auth.newSession(secure, data).cookie);
  app.get('/', async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token;
    if (token !== undefined) {
      // a bad token just lands on the page without a session: the UI then explains how to log in
      if (mode.kind === 'token' && auth.checkToken(token)) start(reply, req.protocol === 'https', null);
      return reply.redirect('/', 303);
    }
    return reply.sendFile('index.html');
  });
  app.post(LOGIN_PATH, async (req, reply) => {
    if (!originAllowed(req.headers.origin, req.headers.host))
      return reply.code(403).send(failure('FORBIDDEN', 'Cross-origin login refused.'));
    const secure = req.protocol === 'https';
    if (mode.kind === 'account') {
      try {
        start(reply, secure, await mysqlLogin(mode, req.body));
        return { ok: true, value: { loggedIn: true } };
      } catch (e) {
        const error = isAppError(e) ? e : appError('INTERNAL', 'The login failed.');
        const status = error.code === 'DB_AUTH' ? 401 : error.code === 'VALIDATION' ? 400 : 502;
        return reply.code(status).send(fail({ ...error.toData(), details: { ...error.details, auth: 'account' } }));
      }
    }
    if (!auth.checkToken((req.body as Record<string, unknown> | null)?.token))
      return reply.code(401).send(notLoggedIn(mode, 'The login token is not valid.'));
    start(reply, secure, null);
    return { ok: true, value: { loggedIn: true } };
  });
  app.post(LOGOUT_PATH, async (req, reply) => {
    if (!originAllowed(req.headers.origin, req.headers.host))
      return reply.code(403).send(failure('FORBIDDEN', 'Cross-origin logout refused.'));
    reply.header('Set-Cookie', auth.logout(req.headers.cookie, req.protocol === 'https'));
    return { ok: true, value: { loggedIn: false } };
  });
}
