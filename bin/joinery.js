#!/usr/bin/env node
// The `joinery` command. `npm install` (prepare) and `npm run build` bundle the CLI into dist/cli,
// which starts without transpiling TypeScript. A checkout runs its TypeScript sources through tsx
// instead whenever the bundle is missing or any source it was built from changed after the build
// started (bin/cli-bundle.js), so an edited checkout never runs old code. JOINERY_FROM_SOURCE=1
// forces the sources.
import { bundleIsCurrent } from './cli-bundle.js';

const root = new URL('../', import.meta.url);
let main;
if (bundleIsCurrent(root, process.env)) {
  ({ main } = await import(new URL('dist/cli/cli.mjs', root).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/headless/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
