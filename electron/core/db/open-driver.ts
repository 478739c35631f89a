import type { ConnectionTarget } from '../../../shared/api/schemas/connection';
import type { DbDriver } from './driver';
import { formatUrl, parseConnectionUrl } from './url';

/**
 * Opens the driver a URL names; the login is checked before this returns. Each engine's driver
 * is loaded when first asked for, so a command on SQLite never loads mysql2 or pg.
 */
export async function openDriver(target: Pick<ConnectionTarget, 'url' | 'password' | 'mustExist'>): Promise<DbDriver> {
  const parsed = parseConnectionUrl(target.url);
  const url = formatUrl(parsed);
  if (parsed.dialect === 'sqlite') {
    const { BetterSqlite3Driver } = await import('./sqlite-driver');
    return BetterSqlite3Driver.open({ path: parsed.path, mustExist: target.mustExist, url });
  }
  if (parsed.dialect === 'postgres') {
    const { PgDriver } = await import('./postgres-driver');
    return PgDriver.open({ ...parsed, password: target.password ?? parsed.password, url });
  }
  const { Mysql2Driver } = await import('./mysql-driver');
  return Mysql2Driver.open({ ...parsed, password: target.password ?? parsed.password, url });
}
