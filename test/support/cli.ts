import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

/** The repository's `joinery` command. */
export const JOINERY_BIN = path.resolve(import.meta.dirname, '../../bin/joinery.js');

/** What a `joinery` run printed, and its exit status. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `joinery` as a user does: a fresh Node process (the CLI bundle, or the sources through tsx
 * when they changed since the last build: seconds on a loaded machine) with its own data folder,
 * so the tests never touch the user's settings.
 */
export function runJoinery(
  args: readonly string[],
  opts: { dataDir: string; env?: Record<string, string>; timeoutMs?: number },
): CliResult {
  const r = spawnSync(process.execPath, [JOINERY_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, JOINERY_DATA_DIR: opts.dataDir, ...opts.env },
    timeout: opts.timeoutMs ?? 120_000,
    // a whole shared server inspected as JSON is many megabytes (Node's default would kill the child at 1 MB)
    maxBuffer: 1024 ** 3,
  });
  // a child killed for time or output says so, instead of a bare null status
  const why = r.error ? `\n[runJoinery: ${r.error.message}]` : r.signal ? `\n[runJoinery: killed by ${r.signal}]` : '';
  return { status: r.status, stdout: r.stdout, stderr: r.stderr + why };
}

/** Like {@link runJoinery}, without blocking this process (for tests that serve something the command calls). */
export function runJoineryAsync(
  args: readonly string[],
  opts: { dataDir: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [JOINERY_BIN, ...args], {
      env: { ...process.env, JOINERY_DATA_DIR: opts.dataDir, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
