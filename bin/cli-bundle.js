// Which code `joinery` runs: the CLI bundle (dist/cli, built by `npm install`'s prepare and by
// `npm run build`) when it is current, else the TypeScript sources through tsx. Kept apart from
// bin/joinery.js so that tests can check the choice on a folder of their own.
import { readFileSync, statSync } from 'node:fs';

/**
 * True when `<root>/dist/cli` holds a bundle that started building after the last change to every
 * source it was built from. A source that is missing is skipped: an installed package ships none,
 * and a deleted one stopped being imported by a file that changed (and so is newer).
 * JOINERY_FROM_SOURCE=1 in `env` always chooses the sources.
 * @param {URL} root the package root, ending in '/'
 * @param {Record<string, string | undefined>} env
 */
export function bundleIsCurrent(root, env) {
  if (env.JOINERY_FROM_SOURCE) return false;
  let manifest;
  try {
    statSync(new URL('dist/cli/cli.mjs', root));
    manifest = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
  } catch {
    return false;
  }
  if (typeof manifest.started !== 'number' || !Array.isArray(manifest.inputs)) return false;
  for (const file of manifest.inputs) {
    let changed;
    try {
      changed = statSync(new URL(file, root)).mtimeMs;
    } catch {
      continue;
    }
    if (changed >= manifest.started) return false;
  }
  return true;
}
