import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE } from '../../shared/api/wire';

/** Sessions end after this long without a request, unless `joinery serve --session-minutes` says otherwise. */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

/** One logged-in browser; `T` is what the login attached (a person's own core in MySQL mode). */
export interface WebSession<T> {
  id: string;
  lastSeen: number;
  data: T;
}

/**
 * Web-mode login: a random token printed at start is exchanged once per browser for a session
 * cookie (HttpOnly, SameSite=Strict), as VS Code's server does; `--auth mysql` logs people in with
 * their database account instead. Sessions live in memory (a restart logs everybody out and prints
 * a new token), end on logout, and expire after `idleMs` without a request.
 */
export class WebAuth<T = null> {
  readonly token = randomBytes(32).toString('base64url');
  private readonly sessions = new Map<string, WebSession<T>>();

  constructor(
    private readonly opts: {
      idleMs?: number;
      now?: () => number;
      /** Called once for each session that ends (logout or expiry), to free what it holds. */
      onEnd?: (session: WebSession<T>) => void;
    } = {},
  ) {}

  /** True when `candidate` is the start-up token (constant-time comparison). */
  checkToken(candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** A new session id and the Set-Cookie header value that carries it. */
  newSession(secure: boolean, data: T): { id: string; cookie: string } {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { id, lastSeen: this.now(), data });
    return { id, cookie: cookieHeader(id, secure) };
  }

  /** The live session the Cookie header carries (its idle time restarts), or null. */
  session(cookieHeader: string | undefined): WebSession<T> | null {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    const s = id === undefined ? undefined : this.sessions.get(id);
    if (!s) return null;
    if (this.now() - s.lastSeen > this.idleMs()) {
      this.end(s.id);
      return null;
    }
    s.lastSeen = this.now();
    return s;
  }

  /** True when the Cookie header carries a live session. */
  isAuthenticated(cookieHeader: string | undefined): boolean {
    return this.session(cookieHeader) !== null;
  }

  /** Ends the session of a Cookie header (logout); returns a Set-Cookie value that clears the cookie. */
  logout(cookieHeader: string | undefined, secure: boolean): string {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    if (id !== undefined) this.end(id);
    return clearedCookie(secure);
  }

  /** Ends every session (server shutdown). */
  endAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
  }

  private end(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    this.opts.onEnd?.(s);
  }

  /** Expired sessions are ended when the next one starts, so idle ones do not pile up. */
  private sweep(): void {
    const now = this.now();
    for (const s of [...this.sessions.values()]) if (now - s.lastSeen > this.idleMs()) this.end(s.id);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private idleMs(): number {
    return this.opts.idleMs ?? DEFAULT_SESSION_IDLE_MS;
  }
}

function cookieHeader(id: string, secure: boolean): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return `${SESSION_COOKIE}=${id}; ${attrs.join('; ')}`;
}

function clearedCookie(secure: boolean): string {
  return `${cookieHeader('', secure)}; Max-Age=0`;
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
