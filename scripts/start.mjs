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

// JOINERY_START_SKIP_BUILD=1 starts what is built already (tests of start and stop)
if (process.env.JOINERY_START_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const electron = electronBinary();
const [cmd, args] = electron
  ? [electron, [root]]
  : [process.execPath, [path.join(root, 'bin/joinery.js'), 'serve', ...process.argv.slice(2)]];
if (!electron)
  console.log(
    'Electron is not installed on this machine; serving the Joinery UI to your browser instead (joinery serve).',
  );
const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
// npm's script is `exec node scripts/start.mjs`, so npm's SIGTERM reaches this process (not only
// the shell npm started), and is passed on: stopping `npm start` stops the server.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
