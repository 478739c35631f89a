import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, MemorySecretStore } from '../../../electron/core/secrets/secret-store';

describe('secret stores', () => {
  it('keeps secrets encrypted in a private file', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joinery-sec-')), 'secrets.enc.json');
    const store = new EncryptedFileSecretStore({ file, passphrase: 'correct horse' });
    await store.set('db-password:mysql://root@h:3306', 'hunter2');
    expect(await store.get('db-password:mysql://root@h:3306')).toBe('hunter2');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const reopened = new EncryptedFileSecretStore({ file, passphrase: 'correct horse' });
    expect(await reopened.get('db-password:mysql://root@h:3306')).toBe('hunter2');
    await expect(new EncryptedFileSecretStore({ file, passphrase: 'wrong' }).get('x')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: /cannot be decrypted/,
    });
    await reopened.delete('db-password:mysql://root@h:3306');
    expect(await reopened.get('db-password:mysql://root@h:3306')).toBeUndefined();
  });

  it('memory store forgets on restart', async () => {
    const s = new MemorySecretStore();
    await s.set('a', 'b');
    expect(await s.get('a')).toBe('b');
    expect(new MemorySecretStore().get('a')).resolves.toBeUndefined();
  });
});
