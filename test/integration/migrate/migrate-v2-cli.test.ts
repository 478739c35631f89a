import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../../support/cli';

/**
 * `joinery migrate plan` on a DataJoint 2.x schema in a SQLite file, as a user meets it: declared
 * with `joinery declare --conventions 2`, rows inserted, then `lab` added to Subject's key. The
 * definitions are read in 2.x conventions (`int32` is a type), and a 0.14 spelling in a 2.x
 * schema is refused with its line and column.
 */
describe('joinery migrate plan on a DataJoint 2.x schema (sqlite)', () => {
  let dir: string;
  let db: string;
  const file = (name: string, content: unknown) => {
    const p = path.join(dir, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const joinery = (...args: string[]) => runJoinery(args, { dataDir: dir, timeoutMs: 120_000 });

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-mig2cli-'));
    db = `sqlite:${path.join(dir, 'lab.db')}`;
    const defs = file('defs.json', [
      {
        schema: 'lab',
        class_name: 'Subject',
        tier: 'Manual',
        definition: 'subject_id : int32\n---\nname : varchar(32)',
      },
      {
        schema: 'lab',
        class_name: 'Session',
        tier: 'Manual',
        definition: '-> Subject\nsession_idx : int16\n---\nday : date',
      },
    ]);
    const declared = joinery('declare', '--db', db, '--file', defs, '--conventions', '2');
    expect(declared.stderr).toBe('');
    expect(declared.stdout).toContain('created schema lab (DataJoint 2 conventions)');
    const rows = file('subjects.csv', 'subject_id,name\n1,a\n2,b\n3,c\n');
    expect(joinery('insert', '--db', db, '--table', 'lab.subject', '--file', rows).status).toBe(0);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans adding lab to the key: 2.x types parse, the cascade follows, markers in the DDL', () => {
    const change = file('c.json', {
      changes: [
        {
          table: 'lab.Subject',
          definition: 'lab : varchar(16)\nsubject_id : int32\n---\nname : varchar(32)\n',
          values: { lab: 'ours' },
        },
      ],
    });
    const text = joinery('migrate', 'plan', '--db', db, '--file', change);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('lab.subject: add key attribute: add lab (varchar(16)) to the primary key in 3 rows');
    expect(text.stdout).toContain('lab.session: cascade key');
    expect(text.stdout).toContain('This plan loses no data.');
    const json = joinery('migrate', 'plan', '--db', db, '--file', change, '--json');
    const plan = JSON.parse(json.stdout) as { steps: Array<{ kind: string; sql: { mysql: string[] } }> };
    const ddl = plan.steps.find((s) => s.kind === 'create_shadows')!.sql.mysql.join('\n');
    expect(ddl).toContain("`subject_id` int NOT NULL COMMENT ':int32:'");
    expect(ddl).toContain("`session_idx` smallint NOT NULL COMMENT ':int16:'");
  }, 240_000);

  it('refuses a 0.14 spelling in a 2.x definition, naming the table, line and column', () => {
    const change = file('bad.json', {
      changes: [
        { table: 'lab.Subject', definition: 'subject_id : int32\n---\nname : varchar(32)\nraw = null : blob@raw\n' },
      ],
    });
    const r = joinery('migrate', 'plan', '--db', db, '--file', change);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/lab\.Subject, line 4, column \d+/);
    expect(r.stderr).toContain('<blob@raw>');
  }, 240_000);
});
