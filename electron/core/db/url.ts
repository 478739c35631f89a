import path from 'node:path';
import { appError } from '../../../shared/errors';

/** A parsed connection URL. */
export type ParsedUrl =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string | undefined };

const URL_HINT = 'Use sqlite:<path to file> or mysql://user@host:port (for example mysql://root@127.0.0.1:3306).';

/**
 * Parses the connection URLs of ARCHITECTURE §4: `sqlite:<path>` (relative paths resolve from the
 * working folder; `sqlite::memory:` is an in-memory database) and `mysql://user[:pass]@host[:port]`.
 */
export function parseConnectionUrl(url: string, cwd = process.cwd()): ParsedUrl {
  const trimmed = url.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    let p = trimmed.slice('sqlite:'.length);
    if (p.startsWith('//')) p = p.slice(2);
    if (!p) throw badUrl(url, 'The SQLite URL has no file path.');
    if (p === ':memory:') return { dialect: 'sqlite', path: p };
    return { dialect: 'sqlite', path: path.resolve(cwd, p) };
  }
  if (scheme === 'mysql' || scheme === 'mariadb') return parseMysql(trimmed, url);
  if (!scheme || /^[a-zA-Z]:[\\/]/.test(trimmed)) {
    throw badUrl(url, 'The connection URL has no scheme.');
  }
  throw badUrl(url, `Unsupported URL scheme "${scheme}:".`);
}

function parseMysql(trimmed: string, original: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw badUrl(original, 'The MySQL URL is malformed.');
  }
  if (!u.hostname) throw badUrl(original, 'The MySQL URL has no host.');
  if (u.pathname && u.pathname !== '/') {
    throw badUrl(original, 'A MySQL URL names a server, not a database (schemas are chosen in Joinery).');
  }
  const port = u.port ? Number(u.port) : 3306;
  return {
    dialect: 'mysql',
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: decodeURIComponent(u.username) || 'root',
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

function badUrl(url: string, why: string) {
  return appError('BAD_URL', `${why} Got "${redactUrl(url)}".`, { hint: URL_HINT, details: { field: 'url' } });
}

/** The URL with any password replaced by `***`, safe to log and show. */
export function redactUrl(url: string): string {
  return url.replace(/^((?:mysql|mariadb):\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/** Canonical URL text for a parsed URL (no password). */
export function formatUrl(p: ParsedUrl): string {
  return p.dialect === 'sqlite'
    ? `sqlite:${p.path}`
    : `mysql://${encodeURIComponent(p.user)}@${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
}

/** Whether the engine a URL names logs in with a password (so a saved one may be filled in). */
export function takesPassword(parsed: ParsedUrl): boolean {
  return parsed.dialect === 'mysql';
}

/** The password written into a URL, if any. */
export function urlPassword(parsed: ParsedUrl): string | undefined {
  return parsed.dialect === 'mysql' ? parsed.password : undefined;
}

/** The database file a URL names (absolute, relative paths resolved from `cwd`), or null for a server or memory. */
export function filePathOf(url: string, cwd = process.cwd()): string | null {
  const p = parseConnectionUrl(url, cwd);
  return p.dialect === 'sqlite' && p.path !== ':memory:' ? p.path : null;
}

/** The server a URL names, with the user it logs in as, or null for a database file. */
export function serverOf(url: string): { host: string; port: number; user: string } | null {
  const p = parseConnectionUrl(url);
  return p.dialect === 'mysql' ? { host: p.host, port: p.port, user: p.user } : null;
}

/** The URL of a server for `user` (no password): what a person logs in to in web mode's account login. */
export function serverUrl(server: { host: string; port: number }, user: string): string {
  return formatUrl({ dialect: 'mysql', host: server.host, port: server.port, user, password: undefined });
}
