#!/usr/bin/env node
// Builds what runs outside of tsx: the `joinery` CLI bundle (dist/cli, so that a command starts
// without transpiling TypeScript), the renderer (Vite, served by `joinery serve` and loaded by
// Electron) and the Electron main/preload bundles (CommonJS, because a sandboxed preload cannot
// load ES modules). `--renderer-if-missing` (npm's prepare) builds the CLI and, when absent, the renderer;
// `--cli-only` only the CLI.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
    // import.meta is read only where `require` is missing (ES modules: the CLI, tests), never in this CJS bundle
    logOverride: { 'empty-import-meta': 'silent' },
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

/**
 * The CLI as ES modules in one folder (package-info.ts counts on dist/cli being two levels down),
 * one chunk per command (cli.ts loads each command when it runs), with
 * node_modules left to Node. inputs.json lists the sources and when the build started, so that
 * bin/joinery.js runs the sources instead when one of them changed since (see there).
 */
async function buildCli() {
  const entry = path.join(root, 'electron/headless/cli.ts');
  if (!existsSync(entry)) return;
  const esbuild = await import('esbuild');
  const outdir = path.join(root, 'dist/cli');
  const started = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeFileSync(path.join(outdir, 'inputs.json'), JSON.stringify({ started, inputs }) + '\n');
}

if (args.has('--cli-only')) {
  await buildCli();
} else if (args.has('--renderer-if-missing')) {
  await buildCli();
  if (!existsSync(rendererIndex)) buildRenderer();
} else {
  await buildCli();
  buildRenderer();
  await buildElectron();
}
