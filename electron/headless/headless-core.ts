import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '../core/container';
import { createStderrLogger } from '../core/log';
import { defaultDataDir, defaultDbUrl } from '../core/paths';
import { parseStoresEnv } from '../core/services/settings-service';
import { packageVersion } from './package-info';
import { EncryptedFileSecretStore, MemorySecretStore, type SecretStore } from '../core/secrets/secret-store';

export { PACKAGE_ROOT, packageVersion } from './package-info';

/**
 * Without a keychain, passwords are kept in memory only, unless the user gives a passphrase in
 * JOINERY_SECRET_KEY; then they are saved encrypted (AES-256-GCM) in the data folder.
 */
function headlessSecrets(dataDir: string): SecretStore {
  const passphrase = process.env.JOINERY_SECRET_KEY;
  if (passphrase) return new EncryptedFileSecretStore({ file: path.join(dataDir, 'secrets.enc.json'), passphrase });
  return new MemorySecretStore();
}

/** A core for the CLI or the web server, with the data folder created. */
export function createHeadlessCore(host: 'web' | 'cli'): Core {
  const dataDir = defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  return createCore(
    {
      host,
      dataDir,
      defaultDbUrl: defaultDbUrl(dataDir),
      version: packageVersion(),
      storesOverride: parseStoresEnv(process.env.JOINERY_STORES),
    },
    { secrets: headlessSecrets(dataDir), log: createStderrLogger(), nativeDialogs: false },
  );
}

/** Password for a `--db` URL from the environment (the URL itself may also carry one). */
export function envPassword(): string | undefined {
  return process.env.JOINERY_DB_PASSWORD ?? process.env.MYSQL_PWD;
}
