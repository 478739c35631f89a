import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rawMysql } from './mysql';

/** The product owner's DataJoint reference fixture (read-only, beside the project). */
export const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../../shared/fixtures');
export const FIXTURE_SQL = path.join(FIXTURE_DIR, 'datajoint-reference.sql');
export const FIXTURE_STORE = path.join(FIXTURE_DIR, 'datajoint-reference-store');

/** The ground truth of the fixture (`datajoint-reference.expected.json`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expectedFixture(): any {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'datajoint-reference.expected.json'), 'utf8'));
}

/** Names under which one test file loads the fixture, so concurrent files never share databases. */
export interface FixtureNames {
  lab: string;
  ephys: string;
}

/**
 * Loads the real DataJoint dump into MariaDB under renamed databases (`<prefix>_lab`,
 * `<prefix>_ephys`); every mention of the original names (FKs across schemas, comments, ~log) is
 * renamed the same way, so `rename(name)` maps results back for comparison.
 */
export async function loadFixture(prefix: string): Promise<FixtureNames & { rename: (s: string) => string }> {
  const names = { lab: `${prefix}_lab`, ephys: `${prefix}_ephys` };
  const sql = readFileSync(FIXTURE_SQL, 'utf8')
    .replaceAll('djref_lab', names.lab)
    .replaceAll('djref_ephys', names.ephys);
  const c = await rawMysql();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${names.ephys}\`; DROP DATABASE IF EXISTS \`${names.lab}\``);
    await c.query(sql);
  } finally {
    await c.end();
  }
  const rename = (s: string) => s.replaceAll(names.lab, 'djref_lab').replaceAll(names.ephys, 'djref_ephys');
  return { ...names, rename };
}

/** Drops the databases made by {@link loadFixture}. */
export async function dropFixture(names: FixtureNames): Promise<void> {
  const c = await rawMysql();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${names.ephys}\`; DROP DATABASE IF EXISTS \`${names.lab}\``);
  } finally {
    await c.end();
  }
}

/** DataJoint 2.3.2's reference fixture (`datajoint2-reference.*`, databases dj2ref_lab and dj2ref_ephys). */
export const FIXTURE2_SQL = path.join(FIXTURE_DIR, 'datajoint2-reference.sql');
export const FIXTURE2_STORE = path.join(FIXTURE_DIR, 'datajoint2-reference-store');

/** The ground truth of the 2.x fixture (`datajoint2-reference.expected.json`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expectedFixture2(): any {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'datajoint2-reference.expected.json'), 'utf8'));
}

/** Loads the DataJoint 2.x dump under renamed databases, as {@link loadFixture} does for 0.14. */
export async function loadFixture2(prefix: string): Promise<FixtureNames & { rename: (s: string) => string }> {
  const names = { lab: `${prefix}_lab`, ephys: `${prefix}_ephys` };
  const sql = readFileSync(FIXTURE2_SQL, 'utf8')
    .replaceAll('dj2ref_lab', names.lab)
    .replaceAll('dj2ref_ephys', names.ephys);
  const c = await rawMysql();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${names.ephys}\`; DROP DATABASE IF EXISTS \`${names.lab}\``);
    await c.query(sql);
  } finally {
    await c.end();
  }
  const rename = (s: string) => s.replaceAll(names.lab, 'dj2ref_lab').replaceAll(names.ephys, 'dj2ref_ephys');
  return { ...names, rename };
}
