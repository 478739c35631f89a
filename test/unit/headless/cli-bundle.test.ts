import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the bin/ folder, without type declarations
import { bundleIsCurrent } from '../../../bin/cli-bundle.js';

const isCurrent = bundleIsCurrent as (root: URL, env: Record<string, string | undefined>) => boolean;

/** A package folder with a source file and a bundle built at `started` (ms) from it. */
function packageWithBundle(started: number, inputs = ['src/a.ts']): { dir: string; root: URL } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-bundle-'));
  mkdirSync(path.join(dir, 'dist/cli'), { recursive: true });
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'dist/cli/cli.mjs'), 'export {}');
  writeFileSync(path.join(dir, 'dist/cli/inputs.json'), JSON.stringify({ started, inputs }));
  writeFileSync(path.join(dir, 'src/a.ts'), 'export {}');
  return { dir, root: pathToFileURL(dir + '/') };
}

const touch = (file: string, ms: number) => utimesSync(file, ms / 1000, ms / 1000);

/** bin/joinery.js runs the bundle only when no source changed since the build started. */
describe('choosing the CLI bundle or the sources', () => {
  const started = Date.now() - 60_000;
  let pkg: { dir: string; root: URL };
  beforeEach(() => {
    pkg = packageWithBundle(started);
    touch(path.join(pkg.dir, 'src/a.ts'), started - 10_000);
  });

  it('runs a bundle built after its sources', () => {
    expect(isCurrent(pkg.root, {})).toBe(true);
  });

  it('runs the sources when one changed after the build started', () => {
    touch(path.join(pkg.dir, 'src/a.ts'), started + 1);
    expect(isCurrent(pkg.root, {})).toBe(false);
  });

  it('runs the sources when there is no bundle or no manifest', () => {
    expect(isCurrent(pathToFileURL(mkdtempSync(path.join(os.tmpdir(), 'joinery-nobundle-')) + '/'), {})).toBe(false);
    writeFileSync(path.join(pkg.dir, 'dist/cli/inputs.json'), '{not json');
    expect(isCurrent(pkg.root, {})).toBe(false);
  });

  it('runs the bundle of an installed package, which ships no sources', () => {
    const installed = packageWithBundle(started, ['electron/headless/cli.ts', 'shared/errors.ts']);
    expect(isCurrent(installed.root, {})).toBe(true);
  });

  it('runs the sources when JOINERY_FROM_SOURCE is set', () => {
    expect(isCurrent(pkg.root, { JOINERY_FROM_SOURCE: '1' })).toBe(false);
  });
});
