import { existsSync, readFileSync } from 'node:fs';
import { safeStorage } from 'electron';
import { appError } from '../../shared/errors';
import type { SecretStore } from '../core/secrets/secret-store';
import { writeFileAtomic } from '../core/settings/write-file-atomic';

/** Passwords encrypted by the OS keychain (Electron safeStorage), stored as ciphertext in a 0600 file. */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  constructor(private readonly deps: { file: string }) {}

  async get(name: string): Promise<string | undefined> {
    const sealed = this.load()[name];
    return sealed === undefined ? undefined : safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  async set(name: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) {
      throw appError('UNSUPPORTED', 'This system offers no keychain, so the password cannot be saved.', {
        hint: 'Enter the password each time instead.',
      });
    }
    this.save({ ...this.load(), [name]: safeStorage.encryptString(value).toString('base64') });
  }

  async delete(name: string): Promise<void> {
    const all = this.load();
    delete all[name];
    this.save(all);
  }

  private load(): Record<string, string> {
    return existsSync(this.deps.file)
      ? (JSON.parse(readFileSync(this.deps.file, 'utf8')) as Record<string, string>)
      : {};
  }

  private save(all: Record<string, string>): void {
    writeFileAtomic(this.deps.file, JSON.stringify(all), 0o600);
  }
}
