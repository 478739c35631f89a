import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runJoinery } from '../../support/cli';
import { isSkipped } from '../../support/env';
import { type JobsSetup, openJobsSetup } from '../jobs/support';

// these tests start joinery processes (and containers, Slurm jobs): slow on a loaded machine, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/** The task authoring kit: init writes a recipe, build makes the image and records its id, test runs one key and writes nothing. */
describe('joinery task init | build | test', () => {
  let s: JobsSetup;
  let dataDir: string;
  let work: string;
  const cli = (args: string[]) => runJoinery(args, { dataDir, timeoutMs: 180_000 });
  const where = () => ['--db', s.url, '--schema', s.schema, '--table', 'Rate'];

  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'taskkit');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-taskkit-data-'));
    work = mkdtempSync(path.join(os.tmpdir(), 'joinery-taskkit-'));
    await s.call('table.declare', {
      tables: [
        { schema: s.schema, class_name: 'Session', tier: 'Manual', definition: 'session_id : int' },
        {
          schema: s.schema,
          class_name: 'Rate',
          tier: 'Computed',
          definition: "-> Session\n---\nrate : double # spikes/s\nlabel : varchar(16)\nquality : enum('good','bad')",
        },
      ],
    });
    await s.call('data.insert', { schema: s.schema, table: 'session', rows: [{ session_id: 1 }] });
    await s.core.dispose();
  });

  it('init writes a recipe per language whose result already fits the heading', () => {
    for (const lang of ['python', 'octave', 'r', 'shell']) {
      const out = path.join(work, lang);
      const r = cli(['task', 'init', ...where(), '--lang', lang, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(path.join(out, 'Dockerfile'))).toBe(true);
      expect(JSON.parse(readFileSync(path.join(out, 'task.json'), 'utf8')).command.length).toBeGreaterThan(0);
    }
    const py = readFileSync(path.join(work, 'python', 'compute.py'), 'utf8');
    expect(spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: py }).status).toBe(0);
    expect(py).toContain('rate : double');
    const again = cli(['task', 'init', ...where(), '--lang', 'shell', '--out', path.join(work, 'shell')]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('Not overwriting');
    const badLang = cli(['task', 'init', ...where(), '--lang', 'julia']);
    expect(badLang.status).toBe(2);
    expect(badLang.stderr).toContain('--lang must be one of python, octave, r, shell');
  });

  it('the shell recipe runs as a process: test shows the checked row and writes nothing', () => {
    const spec = JSON.parse(readFileSync(path.join(work, 'shell', 'task.json'), 'utf8'));
    spec.command = ['sh', path.join(work, 'shell', 'compute.sh')];
    delete spec.image;
    writeFileSync(path.join(work, 'local.json'), JSON.stringify(spec));
    const ok = cli([
      'task',
      'test',
      ...where(),
      '--key',
      '{"session_id": 1}',
      '--file',
      path.join(work, 'local.json'),
      '--json',
    ]);
    expect(ok.status, ok.stderr + ok.stdout).toBe(0);
    const out = JSON.parse(ok.stdout);
    expect(out.rows).toEqual([{ session_id: 1, rate: 0, label: '', quality: 'good' }]);
    const count = cli(['query', '--db', s.url, '--schema', s.schema, 'Rate', '--count']);
    expect(count.stdout.trim()).toBe('0');
  });

  it('a wrong result is shown with the attribute it names, exit 1', () => {
    writeFileSync(
      path.join(work, 'bad.sh'),
      `printf '{"rows":[{"rate":1,"lable":"x","quality":"good"}]}' > "$JOINERY_OUT/result.json"\n`,
    );
    writeFileSync(path.join(work, 'bad.json'), JSON.stringify({ command: ['sh', path.join(work, 'bad.sh')] }));
    const r = cli(['task', 'test', ...where(), '--key', '{"session_id": 1}', '--file', path.join(work, 'bad.json')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/lable/);
  });

  it.skipIf(isSkipped('docker'))(
    'build makes the image from the recipe, records its id, and the task runs in Docker',
    () => {
      const b = cli(['task', 'build', ...where(), '--dir', path.join(work, 'shell'), '--tag', 'joinery-test/rate:1']);
      expect(b.status, b.stderr + b.stdout).toBe(0);
      const shown = JSON.parse(cli(['task', 'show', ...where(), '--json']).stdout);
      expect(shown.spec.image).toMatch(/^sha256:[0-9a-f]{64}$/);
      const t = cli(['task', 'test', ...where(), '--key', '{"session_id": 1}', '--json']);
      expect(t.status, t.stderr + t.stdout).toBe(0);
      expect(JSON.parse(t.stdout).rows[0]).toMatchObject({ session_id: 1, quality: 'good' });
    },
  );
});
