import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds the renderer once, so `joinery serve` never serves a stale (or missing) dist/renderer. */
export default function globalSetup(): void {
  if (process.env.JOINERY_E2E_SKIP_BUILD === '1') return;
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('`vite build` failed (see above); the e2e tests need dist/renderer.');
}
