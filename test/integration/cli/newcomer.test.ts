import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../../support/cli';
import { scratchDir } from '../../support/data-engines';

/**
 * The CLI as a newcomer meets it (issue 12, item 7), on a SQLite file: populate picks the runner
 * from the task and says when keys sit in error, `jobs retry` needs no --status, a task's command
 * may be one shell string, a misspelled value names its field and the allowed values, and a typo
 * in a database path creates nothing. Each run is a fresh process, hence the generous limit.
 */
describe('the CLI for a newcomer', { timeout: 300_000 }, () => {
  const dir = scratchDir();
  const db = `sqlite:${path.join(dir, 'lab.db')}`;
  const joinery = (...args: string[]) => runJoinery(args, { dataDir: dir });

  beforeAll(() => {
    const defs = path.join(dir, 'defs.json');
    writeFileSync(
      defs,
      JSON.stringify([
        { schema: 'lab', class_name: 'Item', tier: 'Manual', definition: 'item_id : int' },
        { schema: 'lab', class_name: 'Square', tier: 'Computed', definition: '-> Item\n---\nvalue : int' },
        { schema: 'lab', class_name: 'Cube', tier: 'Computed', definition: '-> Item\n---\nvalue : int' },
      ]),
    );
    expect(joinery('declare', '--db', db, '--file', defs).status).toBe(0);
    const rows = path.join(dir, 'items.csv');
    writeFileSync(rows, 'item_id\n1\n2\n3\n');
    expect(joinery('insert', '--db', db, '--table', 'lab.Item', '--file', rows).status).toBe(0);
  });

  it('runs a command task without --runner, and exits 1 while keys sit in error', () => {
    // one shell string, run by /bin/sh -c: item 3 fails
    const script =
      'k=$(cat "$JOINERY_IN/key.json" | tr -dc 0-9); [ "$k" = 3 ] && { echo three >&2; exit 4; }; ' +
      'echo "{\\"rows\\": [{\\"value\\": $((k * k))}]}" > "$JOINERY_OUT/result.json"';
    const set = joinery(
      'task',
      'set',
      '--db',
      db,
      '--schema',
      'lab',
      '--table',
      'Square',
      '--spec',
      JSON.stringify({ command: script }),
    );
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toContain('command ["/bin/sh","-c",');

    const first = joinery('populate', '--db', db, '--schema', 'lab', '--table', 'Square');
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/lab\.__square\s+2 done\s+1 failed/);
    expect(first.stderr).toContain("running the tasks' commands on this machine (--runner process)");
    expect(first.stderr).toContain('lab.__square: 1 key(s) in error');

    const again = joinery('populate', '--db', db, '--schema', 'lab', '--table', 'Square');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('"joinery jobs retry --schema lab --table Square" runs them again');

    const retry = joinery('jobs', 'retry', '--db', db, '--schema', 'lab');
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout).toBe('retried 1 job(s)\n');
  });

  it('says which runner each table needs when the tasks differ', () => {
    const set = joinery(
      'task',
      'set',
      '--db',
      db,
      '--schema',
      'lab',
      '--table',
      'Cube',
      '--spec',
      '{"inline": "cube"}',
    );
    expect(set.status, set.stderr).toBe(0);
    const r = joinery('populate', '--db', db, '--schema', 'lab');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/need different runners/);
    expect(r.stderr).toContain('lab.__square: --runner process');
    expect(r.stderr).toContain('lab.__cube: --runner inline --inline MODULE');
  });

  it('names the field and the allowed values of a misspelled tier', () => {
    const file = path.join(dir, 'typo.json');
    writeFileSync(
      file,
      JSON.stringify([{ schema: 'lab', class_name: 'Rig', tier: 'Manuel', definition: 'rig : int' }]),
    );
    const r = joinery('declare', '--db', db, '--file', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at 0\.tier: tier must be one of "Lookup", "Manual", .* not "Manuel"/);
  });

  it('creates no database for a mistyped path', () => {
    const typo = path.join(dir, 'lab-typo.db');
    const r = joinery('inspect', '--db', `sqlite:${typo}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`There is no SQLite file at ${typo}`);
    expect(r.stderr).toContain('add --create to start an empty database there');
    expect(existsSync(typo)).toBe(false);
    // commands that must find an existing database do not offer --create
    const job = joinery(
      'run-job',
      '--db',
      `sqlite:${typo}`,
      '--schema',
      'lab',
      '--table',
      'Square',
      '--key',
      '{"item_id": 1}',
    );
    expect(job.status).toBe(1);
    expect(job.stderr).toContain(`There is no SQLite file at ${typo}`);
    expect(job.stderr).not.toContain('--create');
    expect(existsSync(typo)).toBe(false);
  });

  it('creates an empty database with --create, and then finds it without', () => {
    const fresh = path.join(dir, 'fresh.db');
    const created = joinery('inspect', '--db', `sqlite:${fresh}`, '--create', '--json');
    expect(created.status, created.stderr).toBe(0);
    expect(existsSync(fresh)).toBe(true);
    expect(JSON.parse(created.stdout).schemas).toEqual({});
    expect(joinery('inspect', '--db', `sqlite:${fresh}`).status).toBe(0);
    const rows = path.join(dir, 'new-items.csv');
    writeFileSync(rows, 'item_id\n1\n');
    // on a database that exists, --create changes nothing: the insert goes where it would without it
    const insert = joinery(
      'insert',
      '--db',
      db,
      '--create',
      '--table',
      'lab.Item',
      '--file',
      rows,
      '--skip-duplicates',
    );
    expect(insert.status, insert.stderr).toBe(0);
  });

  it('refuses --create where a command has no such option', () => {
    const r = joinery('migrate', 'history', '--db', db, '--create');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --create for "joinery migrate"');
  });
});
