import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// the whole line: with the token, or (--auth mysql) without one
const LOGIN_LINE = /(http:\/\/127\.0\.0\.1:(\d+))\/(?:\?token=([A-Za-z0-9_-]+))?\r?\n/;

/** A running `joinery serve` for one spec. */
export interface JoineryServer {
  /** `http://127.0.0.1:<port>` (no login). */
  origin: string;
  /** The printed link, token included: opening it logs the browser in. */
  loginUrl: string;
  /** The server's own data folder (settings, recent connections), deleted on stop. */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts `node bin/joinery.js serve --db <url> --port 0` with a private data folder and resolves
 * once it printed its login link (ARCHITECTURE §10); rejects with its stderr if it exits first.
 */
export async function startJoineryServer(opts: {
  db: string;
  /** More `joinery serve` options, e.g. ['--auth', 'mysql']. */
  args?: string[];
  timeoutMs?: number;
}): Promise<JoineryServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-data-'));
  const args = ['serve', '--db', opts.db, '--port', '0', ...(opts.args ?? [])];
  const child = spawn(process.execPath, [path.join(root, 'bin/joinery.js'), ...args], {
    cwd: root,
    env: { ...process.env, JOINERY_DATA_DIR: dataDir, JOINERY_SECRET_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const { origin, loginUrl } = await waitForLoginLine(child, opts.timeoutMs ?? 30_000);
    return { origin, loginUrl, dataDir, stop: () => stop(child, dataDir) };
  } catch (e) {
    await stop(child, dataDir);
    throw e;
  }
}

function waitForLoginLine(child: ChildProcess, timeoutMs: number): Promise<{ origin: string; loginUrl: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(`joinery serve printed no login link within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${why}.\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = LOGIN_LINE.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1]!, loginUrl: m[0].trim() });
      }
    });
    child.once('error', (e) => fail(`could not start joinery serve: ${e.message}`));
    child.once('exit', (code, signal) =>
      fail(`joinery serve exited (code ${code}, signal ${signal}) before printing its link`),
    );
  });
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
