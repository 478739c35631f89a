import type { ConnectionSummary } from '../../shared/api/schemas/connection';

/**
 * "SQLite 3.53.2" / "MariaDB 10.11.19" / "MySQL 8.4.0": the engine as its users call it. The core
 * reports SQLite as "SQLite 3.x" and MySQL as VERSION() ("10.11.19-MariaDB-0+deb12u1"), so both
 * forms are accepted.
 */
export function engineLabel(c: Pick<ConnectionSummary, 'dialect' | 'serverVersion'>): string {
  const version = c.serverVersion.trim();
  if (c.dialect === 'sqlite') return /^sqlite\b/i.test(version) ? version : `SQLite ${version}`;
  const isMariaDb = /mariadb/i.test(version);
  const number = version.replace(/^(mysql|mariadb)\s+/i, '').replace(/-.*$/, '');
  return `${isMariaDb ? 'MariaDB' : 'MySQL'} ${number}`;
}
