#!/usr/bin/env node
// Builds what runs outside of tsx: the renderer (Vite, served by `joinery serve` and loaded by
// Electron) and the Electron main/preload bundles (CommonJS, because a sandboxed preload cannot
// load ES modules). The CLI and the core run from TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = new Set(process.argv.slice(2));
const rendererIndex = path.join(root, 'dist/renderer/index.html');

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function buildRenderer() {
  if (!existsSync(path.join(root, 'renderer/index.html'))) return;
  run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
}

async function buildElectron() {
  const entry = path.join(root, 'electron/main/index.ts');
  if (!existsSync(entry)) return;
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    // native and heavy modules are loaded from node_modules at run time
    external: ['electron', 'better-sqlite3', 'mysql2', 'dockerode', 'systeminformation', 'fastify', '@fastify/*', 'ws'],
  };
  await esbuild.build({ ...common, entryPoints: [entry], outfile: path.join(root, 'dist/electron/main.cjs') });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'electron/preload/index.ts')],
    outfile: path.join(root, 'dist/electron/preload.cjs'),
  });
}

if (args.has('--renderer-if-missing')) {
  if (!existsSync(rendererIndex)) buildRenderer();
} else {
  buildRenderer();
  await buildElectron();
}
