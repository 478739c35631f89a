#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed; otherwise say so in one line
// and serve the same UI to a browser on the default SQLite database (created on first run).
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** The Electron binary, found without require('electron') (which would try to download it). */
function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = electronBinary();
const [cmd, args] = electron
  ? [electron, [root]]
  : [process.execPath, [path.join(root, 'bin/joinery.js'), 'serve', ...process.argv.slice(2)]];
if (!electron)
  console.log(
    'Electron is not installed on this machine; serving the Joinery UI to your browser instead (joinery serve).',
  );
const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
