import type { ConnectionSummary } from '../../../shared/api/schemas/connection';
import type { Core } from '../../core/container';
import { envPassword } from '../headless-core';
import { callOrThrow } from './call';

/** Opens `--db` (or the default SQLite database) with the password from the environment, if any. */
export async function openDb(core: Core, url: string | undefined): Promise<ConnectionSummary> {
  const info = await callOrThrow(core, 'app.info', {});
  return callOrThrow(core, 'connection.open', {
    url: url ?? info.defaultDbUrl,
    password: envPassword(),
    remember: false,
  });
}
