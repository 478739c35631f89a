import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE } from '../../shared/api/wire';

/**
 * Web-mode login: a random token printed at start is exchanged once per browser for a session
 * cookie (HttpOnly, SameSite=Strict), as VS Code's server does. Sessions live in memory, so a
 * restart logs everybody out and prints a new token.
 */
export class WebAuth {
  readonly token = randomBytes(32).toString('base64url');
  private readonly sessions = new Set<string>();

  /** True when `candidate` is the start-up token (constant-time comparison). */
  checkToken(candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** A new session id and the Set-Cookie header value that carries it. */
  newSession(secure: boolean): { id: string; cookie: string } {
    const id = randomBytes(32).toString('base64url');
    this.sessions.add(id);
    const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
    return { id, cookie: `${SESSION_COOKIE}=${id}; ${attrs.join('; ')}` };
  }

  /** True when the Cookie header carries a live session. */
  isAuthenticated(cookieHeader: string | undefined): boolean {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    return id !== undefined && this.sessions.has(id);
  }
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * Browsers send Origin on cross-site requests and WebSocket upgrades; it must name this server.
 * A missing Origin (curl, the CLI, tests) is allowed: the cookie is still required.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}
