#!/usr/bin/env node
// `npm run bench [-- name...]`: runs bench/<name>.bench.ts (all when no name is given); each
// prints JSON lines {bench, metric, value, unit, baseline, baseline_value, ratio}.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const available = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
// a name that stands for several benchmarks: the issue's `diagram-500` figures are the diagram's
// drawing time and the data grid's rows per scroll page, kept in two files
const GROUPS = { 'diagram-500': ['diagram-500', 'data-grid'] };
const expand = (name) => (GROUPS[name] ?? [name]).filter((n) => available.includes(n));
const wanted = [...new Set(process.argv.slice(2).flatMap((w) => (expand(w).length ? expand(w) : [w])))];
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  const names = [...new Set([...available, ...Object.keys(GROUPS)])].sort();
  console.error(`npm run bench: no benchmark named ${unknown.join(', ')}. Available: ${names.join(', ')}`);
  process.exit(2);
}
// the bars were set on DataJoint 0.14 schemas; without this the conventions of a bench's new schemas
// would follow whatever the shared server holds (populate-dj2 names both and compares them)
const env = { ...process.env, JOINERY_CONVENTIONS: process.env.JOINERY_CONVENTIONS || '0.14' };
let status = 0;
for (const name of wanted.length ? wanted : available) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.bench.ts`)], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`benchmark ${name} failed`);
    status = 1;
  }
}
process.exit(status);
