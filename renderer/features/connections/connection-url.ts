import type { AppErrorData } from '../../../shared/errors';

/** What the MySQL/MariaDB form holds; the password never goes into the URL. */
export interface MysqlFields {
  host: string;
  port: string;
  user: string;
}

/** Core error fields -> fields of the SQLite form (the core calls the whole target `url`). */
export const SQLITE_FIELDS = { url: 'path', path: 'path' } as const;
/** Core error fields -> fields of the MySQL form (a bad URL is a bad host, port or user). */
export const MYSQL_FIELDS = { url: 'host', host: 'host', port: 'port', user: 'user', password: 'password' } as const;

export type SqliteField = (typeof SQLITE_FIELDS)[keyof typeof SQLITE_FIELDS];
export type MysqlField = (typeof MYSQL_FIELDS)[keyof typeof MYSQL_FIELDS];

const SQLITE_PREFIX = 'sqlite:';

const fieldError = (field: string, message: string, hint: string): AppErrorData => ({
  code: 'VALIDATION',
  message,
  hint,
  details: { field },
});

/** `sqlite:<path>` for a path typed in the form (a pasted `sqlite:` URL is kept as it is). */
export function sqliteUrl(path: string): string {
  const p = path.trim();
  return p.toLowerCase().startsWith(SQLITE_PREFIX) ? p : SQLITE_PREFIX + p;
}

/** The path of a `sqlite:` URL, for the form's path field. */
export function sqlitePathOf(url: string): string {
  return url.toLowerCase().startsWith(SQLITE_PREFIX) ? url.slice(SQLITE_PREFIX.length) : url;
}

/** Checks the path before asking the core; null when it may be sent. */
export function checkSqlitePath(path: string): AppErrorData | null {
  if (sqlitePathOf(path.trim()).trim() === '') {
    return fieldError(
      'path',
      'Enter the path of a SQLite database file.',
      'For example /home/you/lab.db. "Create" makes a new file there.',
    );
  }
  return null;
}

/** Checks host, port and user; null when they make a URL. */
export function checkMysqlFields(f: MysqlFields): AppErrorData | null {
  const host = f.host.trim();
  if (host === '')
    return fieldError(
      'host',
      'Enter the host name or address of the server.',
      'For example db.example.org or 127.0.0.1.',
    );
  if (/[\s/@?#]/.test(host))
    return fieldError(
      'host',
      `"${host}" is not a host name.`,
      'Enter only the host, such as db.example.org, without mysql://, a user or a path.',
    );
  if (!isIpv6(host) && host.includes(':'))
    return fieldError('host', 'The host contains a port.', 'Enter the port in the Port field.');
  const port = f.port.trim();
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return fieldError(
      'port',
      'The port must be a number from 1 to 65535.',
      'MySQL and MariaDB listen on 3306 unless configured otherwise.',
    );
  }
  if (f.user.trim() === '')
    return fieldError(
      'user',
      'Enter the database user name.',
      'Ask your database administrator if you do not know it.',
    );
  return null;
}

/** `::1`, `[fe80::1]`: at least two colons (so `db:3307`, a host with a port, is not one). */
function isIpv6(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return (bare.match(/:/g)?.length ?? 0) >= 2 && /^[0-9a-fA-F:.]+(%.+)?$/.test(bare);
}

/** `mysql://<user>@<host>:<port>`; IPv6 hosts get brackets; never a password. */
export function mysqlUrl(f: MysqlFields): string {
  const host = f.host.trim().replace(/^\[|\]$/g, '');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `mysql://${encodeURIComponent(f.user.trim())}@${shownHost}:${f.port.trim()}`;
}

/** Host, port and user of a `mysql://` URL (to fill the form from a recent entry), or null. */
export function parseMysqlUrl(url: string): MysqlFields | null {
  let u: URL;
  try {
    u = new URL(url.replace(/^mariadb:/i, 'mysql:'));
  } catch {
    return null;
  }
  if (u.protocol !== 'mysql:' || !u.hostname) return null;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port || '3306',
    user: decodeURIComponent(u.username),
  };
}
