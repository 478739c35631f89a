import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/** Resolves with the first match of `pattern` in the stream's text. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) resolve(m);
    });
  });
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

/** `npm start` where Electron is missing serves the UI; SIGTERM to npm must stop that server too. */
describe('npm start', { timeout: 180_000 }, () => {
  it('stops its server when npm gets SIGTERM', async () => {
    const npm = spawn('npm', ['start', '--', '--port', '0'], {
      cwd: root,
      env: {
        ...process.env,
        JOINERY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'joinery-start-')),
        JOINERY_START_SKIP_BUILD: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, origin] = await waitFor(npm.stdout!, /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/);
    expect(await answers(origin!)).toBe(true);
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    npm.kill('SIGTERM');
    await exited;
    // the server's own exit follows npm's: wait for it rather than for a fixed time
    while (await answers(origin!)) await new Promise((r) => setTimeout(r, 200));
    expect(await answers(origin!)).toBe(false);
  });
});
