import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/container';
import { silentLogger, type Logger } from '../../electron/core/log';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store';

/** A core with its own temporary data folder, as the CLI would build it (silent unless given a logger). */
export function createTestCore(
  host: 'web' | 'cli' | 'desktop' = 'cli',
  log: Logger = silentLogger,
): { core: Core; dataDir: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-test-'));
  const core = createCore(
    { host, dataDir, defaultDbUrl: `sqlite:${path.join(dataDir, 'joinery.db')}`, version: '0.0.0-test' },
    { secrets: new MemorySecretStore(), log, nativeDialogs: false },
  );
  return { core, dataDir };
}

/** A stand-in renderer folder for server tests that do not need the real UI. */
export function fakeRendererDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-ui-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Joinery</title>');
  return dir;
}

/** Calls the core in-process and throws on failure (scripts and benchmarks). */
export async function callCore(core: Core, method: string, input: object): Promise<unknown> {
  const res = await core.dispatch(method, input, { transport: 'in-process', host: 'cli' });
  if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
  return res.value;
}
