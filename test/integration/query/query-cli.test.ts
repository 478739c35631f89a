import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MYSQL_URL } from '../../support/mysql';
import { type QueryEngines, openQueryEngines } from '../../support/query-engines';
import { installLab } from '../../support/query-lab';
import { runJoinery } from '../../support/cli';

/** `joinery query` as a user runs it: the fixed syntax, the --json document, exit statuses. */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-qcli-'));
let env: QueryEngines;
let lab: string;

const joinery = (...args: string[]) => runJoinery(['query', ...args], { dataDir });

beforeAll(async () => {
  env = await openQueryEngines('jt_qcli', { postgres: true });
  lab = env.schemaName('lab');
  for (const e of env.engines) await installLab(e.db, { lab, ephys: env.schemaName('ephys') });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe.each(['sqlite', 'mysql', 'postgres'] as const)('joinery query on %s', (dialect) => {
  const db = () =>
    dialect === 'mysql' ? MYSQL_URL : dialect === 'postgres' ? env.postgresUrl! : `sqlite:${env.sqlitePath}`;
  const skip = () => !env.engines.some((e) => e.name === dialect);

  it('prints one JSON document with typed values', () => {
    if (skip()) return;
    const r = joinery(
      '--db',
      db(),
      '--json',
      `${lab}.Subject * ${lab}.Session & 'session_date > "2024-01-01"' & {"rig": "B"}`,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      attributes: [
        'subject_id',
        'session_idx',
        'species',
        'sex',
        'date_of_birth',
        'weight',
        'notes',
        'session_date',
        'rig',
        'start_time',
        'operator',
      ],
      primary_key: ['subject_id', 'session_idx'],
      rows: [
        {
          subject_id: 1,
          session_idx: 2,
          species: 'mus musculus',
          sex: 'F',
          date_of_birth: '2023-01-05',
          weight: '20.50',
          notes: "it's fine",
          session_date: '2024-02-03',
          rig: 'B',
          start_time: '2024-02-03 14:00:05',
          operator: null,
        },
      ],
    });
  });

  it('resolves bare class names within --schema, and aggregates', () => {
    if (skip()) return;
    const r = joinery(
      '--db',
      db(),
      '--schema',
      lab,
      '--json',
      "Subject.aggr(Session, n='count(*)', keep_all_rows=True) & 'n < 2'",
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([
      { subject_id: 2, n: 1 },
      { subject_id: 3, n: 1 },
    ]);
  });

  it('prints a table, a count or the SQL', () => {
    if (skip()) return;
    const table = joinery('--db', db(), '--schema', lab, '--limit', '2', 'Session.proj(rig)');
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^\*subject_id\s+\*session_idx\s+rig$/);
    expect(table.stdout).toContain('(2 of 3 rows');
    const count = joinery('--db', db(), '--schema', lab, '--count', 'Session - Analysis');
    expect(count.stdout.trim()).toBe('1');
    const sql = joinery('--db', db(), '--schema', lab, '--sql', 'Session & \'rig = "A"\'');
    expect(sql.stdout).toContain('-- params: ["A"]');
  });

  it('exits with status 2 and points at the problem for bad input', () => {
    if (skip()) return;
    const bad = joinery('--db', db(), '--schema', lab, "Session & 'sesion_date > 1'");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Unknown attribute "sesion_date". (line 1, column 12)');
    expect(bad.stderr).toContain('Did you mean "session_date"?');
    expect(bad.stderr).toContain('           ^');
    const forbidden = joinery('--db', db(), '--schema', lab, 'Subject * Scan');
    expect(forbidden.status).toBe(2);
    expect(forbidden.stderr).toContain('dependent attribute "notes"');
    const quote = joinery('--db', db(), '--schema', lab, "Session & 'rig = 1");
    expect(quote.status).toBe(2);
    expect(quote.stderr).toContain('Unbalanced quote');
    expect(joinery('--db', db()).status).toBe(2);
  });
});
