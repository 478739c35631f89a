import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/container';
import { silentLogger } from '../../electron/core/log';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store';
import type { DeclareTable } from '../../shared/api/schemas/schema';
import { expectedFixture2, FIXTURE2_SQL } from './fixture';

/**
 * Helpers for declaring DataJoint 2.x's reference fixture with Joinery: the fixture's tables as a
 * declaration file (its `definition_declared`), its CREATE TABLE text per table from the dump,
 * and a core whose store `labstore` is configured (2.x codecs refuse stores not configured).
 */

/** A core with its own data folder and the fixture's store `labstore` configured. */
export function createCoreWithLabstore(): { core: Core; dataDir: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-dj2decl-'));
  const core = createCore(
    {
      host: 'cli',
      dataDir,
      defaultDbUrl: `sqlite:${path.join(dataDir, 'joinery.db')}`,
      version: '0.0.0-test',
      storesOverride: { labstore: { location: path.join(dataDir, 'labstore') } },
    },
    { secrets: new MemorySecretStore(), log: silentLogger, nativeDialogs: false },
  );
  return { core, dataDir };
}

/** The fixture's tables as a declaration file, its schemas renamed by `schemaOf`. */
export function fixture2Declaration(schemaOf: (s: string) => string): DeclareTable[] {
  const fixture = expectedFixture2();
  const out: DeclareTable[] = [];
  for (const s of Object.values<{ tables: Record<string, string>[] }>(fixture.schemas)) {
    for (const t of s.tables) {
      out.push({
        schema: schemaOf(t.schema!),
        class_name: t.class_name!,
        tier: t.tier as DeclareTable['tier'],
        definition: t.definition_declared!,
      });
    }
  }
  return out;
}

/** `database.table` -> the CREATE TABLE text of the fixture's dump (as SHOW CREATE TABLE gives it). */
export function fixture2CreateTables(): Map<string, string> {
  const sql = readFileSync(FIXTURE2_SQL, 'utf8');
  const out = new Map<string, string>();
  let database = '';
  for (const chunk of sql.split(/\n(?=USE `|CREATE TABLE `)/)) {
    const use = /^USE `([^`]+)`;/.exec(chunk);
    if (use) database = use[1]!;
    const create = /^CREATE TABLE `([^`]+)` \([\s\S]*?\n\) ENGINE=.*(?=;$)/m.exec(chunk);
    if (create) out.set(`${database}.${create[1]}`, create[0]);
  }
  return out;
}
