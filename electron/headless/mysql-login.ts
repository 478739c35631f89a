import { AppError, appError } from '../../shared/errors';
import type { Core } from '../core/container';
import { serverOf, serverUrl } from '../core/db/url';

/** `joinery serve --auth mysql`: the MySQL/MariaDB server people log in to, and a core per person. */
export interface MysqlAuth {
  kind: 'account';
  host: string;
  port: number;
  /** A fresh core for one session: its connections are that person's alone. */
  newCore: () => Core;
}

/** What a MySQL login gives a session: the person's own core with their connection open. */
export interface MysqlSession {
  core: Core;
  user: string;
}

const CTX = { transport: 'http', host: 'web' } as const;

/**
 * Logs a person in with their own database account: a connection opened with their user and
 * password on the configured server, in a core of their own, so the database decides what they
 * see and do. The password lives only in that connection's memory (never written anywhere).
 */
export async function mysqlLogin(auth: MysqlAuth, body: unknown): Promise<MysqlSession> {
  const { user, password } = (body ?? {}) as { user?: unknown; password?: unknown };
  if (
    typeof user !== 'string' ||
    !user.trim() ||
    user.length > 128 ||
    typeof password !== 'string' ||
    password.length > 1024
  )
    throw appError('VALIDATION', 'Give your database user name and password.', { details: { field: 'user' } });
  const core = auth.newCore();
  const res = await core.dispatch(
    'connection.open',
    { url: serverUrl(auth, user.trim()), password, remember: false },
    CTX,
  );
  if (!res.ok) {
    await core.dispose();
    throw new AppError(res.error);
  }
  return { core, user: user.trim() };
}

/**
 * In MySQL login mode a browser may open (again) only its own account on the configured server:
 * no SQLite files on the server's disk, no other servers, no other accounts.
 */
export function checkMysqlTarget(
  auth: MysqlAuth,
  session: MysqlSession,
  method: string,
  input: unknown,
): AppError | null {
  if (method !== 'connection.open' && method !== 'connection.test') return null;
  const url = (input as { url?: unknown } | null)?.url;
  try {
    const p = serverOf(typeof url === 'string' ? url : '');
    if (p && p.host === auth.host && p.port === auth.port && p.user === session.user) return null;
  } catch {
    // refused below, with the same message
  }
  return appError(
    'FORBIDDEN',
    `This server logs you in to ${auth.host}:${auth.port} as ${session.user}; other databases cannot be opened here.`,
    { details: { field: 'url' } },
  );
}
