import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { runJoinery } from '../../support/cli';
import { openEngine, type EngineSession } from '../../support/data-engines';
import { isSkipped } from '../../support/env';
import { addLab } from './support';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const REFUSAL =
  /Schema migrations are not supported on PostgreSQL yet: .*MySQL\/MariaDB and SQLite.*Nothing was changed/;

/**
 * The migration engine has MySQL/MariaDB and SQLite SQL only: on a real PostgreSQL, plan, dry
 * run and apply (API and CLI) are refused up front with UNSUPPORTED and what to do instead, and
 * nothing is written (no journal, no shadows, the tables as they were).
 */
describe.skipIf(isSkipped('postgres'))('migrations on PostgreSQL are refused up front', () => {
  let s: EngineSession;
  let hiddenBefore: string[];
  const hidden = async () =>
    [...(await hiddenTables(s.core.services.connections.driver(s.connectionId), s.lab))].sort();

  beforeAll(async () => {
    s = await openEngine('postgres', 'migpg');
    await s.call('table.declare', {
      tables: [
        {
          schema: s.lab,
          class_name: 'Subject',
          tier: 'Manual',
          definition: 'subject_id : int\n---\nname : varchar(32)\nweight = null : float\n',
        },
        {
          schema: s.lab,
          class_name: 'Session',
          tier: 'Manual',
          definition: '-> Subject\nsession_idx : int\n---\nsession_date : date\n',
        },
      ],
    });
    await s.call('data.insert', { schema: s.lab, table: 'subject', rows: [{ subject_id: 1, name: 's1' }] });
    hiddenBefore = await hidden();
  });
  afterAll(async () => s?.close());

  const untouched = async () => {
    // no journal, no shadows
    expect(await hidden()).toEqual(hiddenBefore);
    const info = await s.call('pipeline.inspect', { schemas: [s.lab] });
    const subject = info.schemas[s.lab]!.tables.find((t) => t.table_name === 'subject')!;
    expect(subject.primary_key).toEqual(['subject_id']);
    expect((await s.call('migration.history', {})).migrations).toEqual([]);
  };

  it.each(['migration.plan', 'migration.dryRun', 'migration.apply'] as const)(
    '%s answers UNSUPPORTED',
    async (method) => {
      const err = await s.fail(method, { changes: addLab(s.lab) });
      expect(err.code).toBe('UNSUPPORTED');
      expect(err.message).toMatch(REFUSAL);
      expect(err.hint).toMatch(/ALTER TABLE/);
      await untouched();
    },
  );

  it('the CLI refuses plan and apply with the reason, exit status 2', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-migpg-'));
    const file = path.join(dataDir, 'change.json');
    writeFileSync(file, JSON.stringify({ changes: addLab(s.lab) }));
    for (const args of [
      ['migrate', 'plan', '--db', s.url, '--file', file],
      ['migrate', 'apply', '--db', s.url, '--file', file, '--yes'],
    ]) {
      const r = runJoinery(args, { dataDir });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(REFUSAL);
      expect(r.stdout).not.toMatch(/RENAME TABLE|CREATE TABLE/);
    }
    await untouched();
  });
});
