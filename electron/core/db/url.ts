import path from 'node:path';
import { appError } from '../../../shared/errors';

/** A parsed connection URL. */
export type ParsedUrl =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string | undefined }
  | {
      dialect: 'postgres';
      host: string;
      port: number;
      user: string;
      password: string | undefined;
      database: string;
    };

const URL_HINT =
  'Use sqlite:<path to file>, mysql://user@host:port (for example mysql://root@127.0.0.1:3306) or ' +
  'postgresql://user@host:port/database (for example postgresql://postgres@127.0.0.1:5432/lab).';

/**
 * Parses the connection URLs of ARCHITECTURE §4: `sqlite:<path>` (relative paths resolve from the
 * working folder; `sqlite::memory:` is an in-memory database), `mysql://user[:pass]@host[:port]` and
 * `postgresql://user[:pass]@host[:port]/database` (a PostgreSQL database holds the schemas).
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
  if (scheme === 'postgresql' || scheme === 'postgres') return parsePostgres(trimmed, url);
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

function parsePostgres(trimmed: string, original: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw badUrl(original, 'The PostgreSQL URL is malformed.');
  }
  if (!u.hostname) throw badUrl(original, 'The PostgreSQL URL has no host.');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) {
    throw badUrl(original, 'A PostgreSQL URL names one database after the port (its schemas are chosen in Joinery).');
  }
  return {
    dialect: 'postgres',
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
  };
}

function badUrl(url: string, why: string) {
  return appError('BAD_URL', `${why} Got "${redactUrl(url)}".`, { hint: URL_HINT, details: { field: 'url' } });
}

/** The URL with any password replaced by `***`, safe to log and show. */
export function redactUrl(url: string): string {
  return url.replace(/^((?:mysql|mariadb|postgres|postgresql):\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/** Canonical URL text for a parsed URL (no password). */
export function formatUrl(p: ParsedUrl): string {
  if (p.dialect === 'sqlite') return `sqlite:${p.path}`;
  const server = `${encodeURIComponent(p.user)}@${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
  return p.dialect === 'mysql' ? `mysql://${server}` : `postgresql://${server}/${encodeURIComponent(p.database)}`;
}

/** Whether the engine a URL names logs in with a password (so a saved one may be filled in). */
export function takesPassword(parsed: ParsedUrl): boolean {
  return parsed.dialect !== 'sqlite';
}

/** The password written into a URL, if any. */
export function urlPassword(parsed: ParsedUrl): string | undefined {
  return parsed.dialect === 'sqlite' ? undefined : parsed.password;
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
