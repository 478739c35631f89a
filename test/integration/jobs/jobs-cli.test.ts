import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PopulateSummary } from '../../../shared/api/schemas/jobs';
import { runJoinery } from '../../support/cli';
import { declareItems, openJobsSetup, type JobsSetup } from './support';

/**
 * `joinery task`, `joinery populate` and `joinery jobs` as a user runs them (SQLite file); each
 * run is a fresh process, seconds on a loaded machine, hence the generous time limit.
 */
describe('joinery task / populate / jobs', { timeout: 180_000 }, () => {
  let s: JobsSetup;
  const joinery = (...args: string[]) => runJoinery(args, { dataDir: s.dir });

  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'cli');
    await declareItems(s, 5);
    await s.core.dispose(); // the CLI opens the file itself
  }, 60_000);
  afterAll(async () => {
    await s?.close().catch(() => {});
  });

  it('sets a task from a file, shows and validates it', () => {
    const script =
      "const fs=require('fs'),p=require('path');const k=JSON.parse(fs.readFileSync(p.join(process.env.JOINERY_IN,'key.json')));" +
      "if(k.item_id===4){console.error('no four');process.exit(2)}fs.writeFileSync(p.join(process.env.JOINERY_OUT,'result.json'),JSON.stringify({rows:[{value:k.item_id*3}]}))";
    const file = path.join(s.dir, 'task.json');
    writeFileSync(
      file,
      JSON.stringify({ command: [process.execPath, '-e', script], resources: { cpus: 2, memory: '512M' }, retries: 0 }),
    );
    const set = joinery(
      'task',
      'set',
      '--db',
      s.url,
      '--schema',
      s.schema,
      '--table',
      'Square',
      '--file',
      file,
      '--json',
    );
    expect(set.status, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      full_name: `${s.schema}.__square`,
      version: 1,
      spec: { resources: { cpus: 2, memory: 512 * 2 ** 20 } },
    });
    const show = joinery('task', 'show', '--db', s.url, '--schema', s.schema, '--table', '__square');
    expect(show.stdout).toMatch(/__square {2}v1 {2}command/);
    const bad = joinery(
      'task',
      'validate',
      '--db',
      s.url,
      '--schema',
      s.schema,
      '--table',
      '__square',
      '--spec',
      JSON.stringify({ inline: 'f', inputs: [{ table: `${s.schema}.nope` }] }),
    );
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/inputs\.0\.table: There is no table .*nope/);
    const wrong = joinery(
      'task',
      'set',
      '--db',
      s.url,
      '--schema',
      s.schema,
      '--table',
      '__square',
      '--spec',
      '{"retries": -1}',
    );
    expect(wrong.status).toBe(2);
  });

  it('populates with the process runner, reports the failure with exit status 1, and lists and retries it', () => {
    const run = joinery(
      'populate',
      '--db',
      s.url,
      '--schema',
      s.schema,
      '--table',
      '__square',
      '--runner',
      'process',
      '--json',
    );
    expect(run.status, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as PopulateSummary;
    expect(summary.tables[0]).toMatchObject({ done: 4, failed: 1 });
    expect(summary.errors[0]!.message).toMatch(/exited with status 2: no four/);
    const text = joinery('jobs', '--db', s.url, '--status', 'error');
    expect(text.stdout).toMatch(
      /__square\s+error\s+[0-9a-f]{32} \{"item_id":4\}\s+JobError: the command exited with status 2: no four/,
    );
    const retry = joinery(
      'jobs',
      'retry',
      '--db',
      s.url,
      '--schema',
      s.schema,
      '--table',
      '__square',
      '--status',
      'error',
    );
    expect(retry.stdout).toBe('retried 1 job(s)\n');
    const pending = joinery('jobs', 'pending', '--db', s.url, '--json');
    expect(JSON.parse(pending.stdout).tables[0]).toMatchObject({
      table_name: '__square',
      pending_count: 1,
      pending_excluding_jobs_count: 1,
    });
  });

  it('says what is wrong with bad usage (exit status 2)', () => {
    expect(joinery('populate', '--db', s.url, '--runner', 'cloud').stderr).toMatch(
      /--runner must be inline, process or docker/,
    );
    const noTask = joinery('populate', '--db', s.url, '--schema', s.schema, '--table', '__summary');
    expect(noTask.status).toBe(2);
    expect(noTask.stderr).toMatch(/__summary has no task/);
    expect(joinery('jobs', 'frob', '--db', s.url).stderr).toMatch(/unknown jobs action "frob"/);
  });
});
