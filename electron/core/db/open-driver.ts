import type { ConnectionTarget } from '../../../shared/api/schemas/connection';
import type { DbDriver } from './driver';
import { Mysql2Driver } from './mysql-driver';
import { PgDriver } from './postgres-driver';
import { BetterSqlite3Driver } from './sqlite-driver';
import { formatUrl, parseConnectionUrl } from './url';

/** Opens the driver a URL names; the login is checked before this returns. */
export async function openDriver(target: Pick<ConnectionTarget, 'url' | 'password' | 'mustExist'>): Promise<DbDriver> {
  const parsed = parseConnectionUrl(target.url);
  const url = formatUrl(parsed);
  if (parsed.dialect === 'sqlite')
    return BetterSqlite3Driver.open({ path: parsed.path, mustExist: target.mustExist, url });
  if (parsed.dialect === 'postgres')
    return PgDriver.open({ ...parsed, password: target.password ?? parsed.password, url });
  return Mysql2Driver.open({ ...parsed, password: target.password ?? parsed.password, url });
}
