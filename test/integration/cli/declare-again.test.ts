import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeclareTable } from '../../../shared/api/schemas/schema';
import { runJoinery } from '../../support/cli';
import { declareFixtureTables } from '../../support/declare-fixture';
import { dropFixture, loadFixture } from '../../support/fixture';
import { uniqueDbName } from '../../support/mysql';
import {
  ENGINES_WITH_POSTGRES,
  openEngine,
  pipelineDefinitions,
  scratchDir,
  type EngineSession,
} from '../../support/data-engines';

/**
 * Declaring a file again, as a user does after adding tables to it: tables that exist with the
 * same definition are skipped, new ones (children of existing ones included) are declared, and
 * those whose definition changed are named with how, and left as they are.
 */
describe.each(ENGINES_WITH_POSTGRES)('declaring a file again on %s', { timeout: 180_000 }, (engine) => {
  const sessions: EngineSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it('skips what exists, declares what is new, names what differs', async () => {
    const s = await openEngine(engine, 'jt_redecl');
    sessions.push(s);
    const defs = pipelineDefinitions(s.lab, s.ephys);
    const first = await s.call('table.declare', { tables: defs });
    expect(first.declared.length).toBe(defs.length);

    const again = await s.call('table.declare', { tables: defs });
    expect(again.declared).toEqual([]);
    expect(again.existing.length).toBe(defs.length);
    expect(again.differing).toEqual([]);

    const subject = defs.find((d) => d.class_name === 'Subject')!;
    const changed: DeclareTable[] = defs.map((d) =>
      d === subject ? { ...d, definition: d.definition.replace('varchar(100)', 'varchar(200)') } : d,
    );
    const child: DeclareTable = {
      schema: s.lab,
      class_name: 'Weighing',
      tier: 'Manual',
      definition: '-> Subject\nweighed_on : date\n---\ngrams : float',
    };
    const third = await s.call('table.declare', { tables: [...changed, child] });
    expect(third.declared).toEqual([`${s.lab}.weighing`]);
    expect(third.differing).toEqual([
      {
        table: `${s.lab}.subject`,
        differences: ['notes is varchar(200) in the file but varchar(100) in the database'],
      },
    ]);
  });

  it.runIf(engine === 'mysql')(
    'finds no difference in the tables DataJoint declared from the same definitions',
    async () => {
      const s = await openEngine(engine, 'jt_redecl_dj');
      sessions.push(s);
      const names = await loadFixture(uniqueDbName('jt_redecl_fx'));
      try {
        const tables = declareFixtureTables().map(({ expected }) => ({
          schema: names.lab.replace(/_lab$/, expected.schema === 'djref_lab' ? '_lab' : '_ephys'),
          class_name: expected.class_name,
          tier: expected.tier!,
          definition: expected.definition_declared
            .replaceAll('djref_lab', names.lab)
            .replaceAll('djref_ephys', names.ephys),
        }));
        const again = await s.call('table.declare', { tables });
        expect(again.declared).toEqual([]);
        expect(again.differing).toEqual([]);
        expect(again.existing.length).toBe(tables.length);
      } finally {
        await dropFixture(names);
      }
    },
  );

  it.runIf(engine === 'sqlite')('says so on the command line', () => {
    const dir = scratchDir();
    const file = path.join(dir, 'defs.json');
    const url = `sqlite:${path.join(dir, 'lab.db')}`;
    const defs = [
      { schema: 'lab', class_name: 'Subject', tier: 'Manual', definition: 'subject_id : int\n---\nname : varchar(20)' },
      { schema: 'lab', class_name: 'Session', tier: 'Manual', definition: '-> Subject\nsession_idx : int' },
    ];
    writeFileSync(file, JSON.stringify(defs));
    expect(runJoinery(['declare', '--db', url, '--file', file], { dataDir: dir }).status).toBe(0);
    defs[0]!.definition = 'subject_id : int\n---\nname : varchar(40)';
    defs.push({ schema: 'lab', class_name: 'Scan', tier: 'Manual', definition: '-> Session\nscan_idx : int' });
    writeFileSync(file, JSON.stringify(defs));
    const r = runJoinery(['declare', '--db', url, '--file', file], { dataDir: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('declared lab.scan');
    expect(r.stdout).toContain('exists   lab.session (same definition)');
    expect(r.stdout).toContain(
      'differs  lab.subject (left as it is): name is varchar(40) in the file but varchar(20) in the database',
    );
    expect(r.stderr).toMatch(/1 existing table\(s\) differ .* lab\.subject/);
  });
});
