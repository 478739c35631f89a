import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appError } from '../../../shared/errors';
import { writeFileAtomic } from '../settings/write-file-atomic';

/**
 * Where saved passwords live. Desktop: the OS keychain through Electron's safeStorage. Headless:
 * memory only, or a file encrypted with a key the user provides in JOINERY_SECRET_KEY. Never a
 * plain-text file and never a constant key in source.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'encrypted-file' | 'memory';
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Secrets for the life of the process only. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, string>();
  async get(name: string) {
    return this.values.get(name);
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    this.values.delete(name);
  }
}

interface Sealed {
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** AES-256-GCM file (mode 0600) keyed by a passphrase the user supplies, for servers without a keychain. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  constructor(private readonly deps: { file: string; passphrase: string }) {}

  async get(name: string) {
    return this.load()[name];
  }
  async set(name: string, value: string) {
    this.save({ ...this.load(), [name]: value });
  }
  async delete(name: string) {
    const all = this.load();
    delete all[name];
    this.save(all);
  }

  private load(): Record<string, string> {
    if (!existsSync(this.deps.file)) return {};
    try {
      const sealed = JSON.parse(readFileSync(this.deps.file, 'utf8')) as Sealed;
      const key = scryptSync(this.deps.passphrase, Buffer.from(sealed.salt, 'base64'), 32);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch (e) {
      throw appError(
        'FORBIDDEN',
        `The saved passwords in ${this.deps.file} cannot be decrypted with this JOINERY_SECRET_KEY.`,
        {
          hint: 'Set the key that was used when they were saved, or delete the file and enter the passwords again.',
        },
        e,
      );
    }
  }

  private save(values: Record<string, string>): void {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = scryptSync(this.deps.passphrase, salt, 32);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    const sealed: Sealed = {
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    writeFileAtomic(this.deps.file, JSON.stringify(sealed), 0o600);
  }
}
