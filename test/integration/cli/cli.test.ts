import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/headless/cli';
import { isSkipped } from '../../support/env';
import { MYSQL_URL } from '../../support/mysql';
import { runJoinery } from '../../support/cli';
import { createTestDatabase, dropTestDatabase, postgresUrl, rawPostgres } from '../../support/postgres';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-cli-'));

const joinery = (...args: string[]) => runJoinery(args, { dataDir });

/** What the CLI printed on stdout when run in this process (its start is not what is tested). */
async function inProcess(args: string[]): Promise<{ status: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { status: await main(args), stdout };
  } finally {
    spy.mockRestore();
  }
}

/**
 * The `joinery` command as a user runs it: exit statuses, stdout JSON, stderr messages. Each run
 * is a fresh process, seconds on a loaded machine, hence the generous time limit.
 */
describe('joinery CLI', { timeout: 180_000 }, () => {
  it('lists only commands that exist and answer --help', async () => {
    const r = joinery('--help');
    expect(r.status).toBe(0);
    const commands = [...r.stdout.matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['serve', 'inspect', 'declare']));
    for (const c of commands) {
      const help = await inProcess([c, '--help']);
      expect(help.status, c).toBe(0);
      expect(help.stdout, c).toMatch(new RegExp(`Usage: joinery ${c}`));
    }
    // one process per command, each starting tsx: minutes on a loaded machine
  }, 300_000);

  it('runs the same commands from the bundle as from the sources', () => {
    const fromSource = runJoinery(['--help'], { dataDir, env: { JOINERY_FROM_SOURCE: '1' } });
    expect(fromSource.status).toBe(0);
    expect(joinery('--help').stdout).toBe(fromSource.stdout);
  });

  it('inspects a SQLite database as JSON', () => {
    const file = path.join(dataDir, 'lab.db');
    const db = new Database(file);
    db.exec('CREATE TABLE "lab.subject" (subject_id INTEGER NOT NULL PRIMARY KEY, sex TEXT NOT NULL)');
    db.exec('CREATE TABLE "lab.#rig" (rig TEXT NOT NULL PRIMARY KEY)');
    db.exec(`INSERT INTO "lab.subject" VALUES (1, 'M'), (2, 'F')`);
    db.close();
    const r = joinery('inspect', '--db', `sqlite:${file}`, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const tables = doc.schemas.lab.tables.map(
      (t: { table_name: string; tier: string; class_name: string; row_count: number }) => [
        t.table_name,
        t.tier,
        t.class_name,
        t.row_count,
      ],
    );
    expect(tables).toEqual([
      ['#rig', 'Lookup', 'Rig', 0],
      ['subject', 'Manual', 'Subject', 2],
    ]);
    expect(doc.schemas.lab.jobs).toEqual([]);
  });

  it.skipIf(isSkipped('mysql'))('inspects a MySQL server as one JSON document', () => {
    const r = joinery('inspect', '--db', MYSQL_URL, '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(typeof doc.schemas).toBe('object');
    expect(Object.keys(doc.schemas)).not.toContain('mysql');
  });

  it.skipIf(isSkipped('postgres'))('inspects a PostgreSQL database as one JSON document', async () => {
    const { name, url } = await createTestDatabase('jt_cli');
    try {
      const c = await rawPostgres(name);
      await c.query('CREATE SCHEMA lab; CREATE TABLE lab."#species" (species varchar(32) PRIMARY KEY)');
      await c.end();
      const r = joinery('inspect', '--db', url, '--json');
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(Object.keys(doc.schemas)).toEqual(['lab']);
      expect(doc.schemas.lab.tables.map((t: { class_name: string }) => t.class_name)).toEqual(['Species']);
    } finally {
      await dropTestDatabase(name);
    }
  });

  it.skipIf(isSkipped('postgres'))('a PostgreSQL database that does not exist is a clear error (exit 1)', () => {
    const r = joinery('inspect', '--db', postgresUrl(`jt_cli_missing_${process.pid}`), '--json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/jt_cli_missing_\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['inspect', '--db', 'oracle://x'], 2, /Unsupported URL scheme/],
    [['inspect', '--db', 'sqlite:/no/such/folder/x.db'], 1, /folder \/no\/such\/folder does not exist/],
    [['inspect', '--wat'], 2, /unknown option --wat/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [['serve', '--port', 'abc'], 2, /--port must be a number/],
  ])('%j exits with %i and says why', (args, status, message) => {
    const r = joinery(...args);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it.skipIf(isSkipped('mysql'))('a wrong password is a failed login (exit 1), not a crash', () => {
    const u = new URL(MYSQL_URL);
    u.password = 'definitely-wrong';
    const r = joinery('inspect', '--db', u.toString().replace(/\/$/, ''));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refused the login/);
    expect(r.stderr).not.toContain('definitely-wrong');
  });
});
