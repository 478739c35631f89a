#!/usr/bin/env node
// The `joinery` command. The core is TypeScript run through tsx, so a source checkout needs no
// build step for the CLI; only the browser UI (dist/renderer) is built, by `npm install`/`npm run build`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/headless/cli.ts');
process.exitCode = await main(process.argv.slice(2));
