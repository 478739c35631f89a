import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { Workflow as ArgoWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runJoinery } from '../../support/cli';
import { type JobsSetup, openJobsSetup } from '../jobs/support';

// these tests start joinery processes (and containers, Slurm jobs): slow on a loaded machine, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/**
 * `joinery export` on a real SQLite pipeline: every target's file parses with its own tool's rules and
 * holds exactly the DAG of jobs.plan; a lab's plugin receives the same workflow.
 */
describe('joinery export', () => {
  let s: JobsSetup;
  let dataDir: string;
  const cli = (args: string[]) => runJoinery(args, { dataDir, timeoutMs: 120_000 });
  /** The pipeline's tables, or the jobs that follow from session 2 (`restricted`). */
  const source = (restricted = true) => [
    ...['--db', s.url, '--schema', s.schema, '--table', 'session'],
    ...(restricted ? ['--restrict', 'session_id=2'] : []),
  ];

  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'export');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-export-data-'));
    const table = (class_name: string, tier: 'Manual' | 'Imported' | 'Computed', definition: string) => ({
      schema: s.schema,
      class_name,
      tier,
      definition,
    });
    await s.call('table.declare', {
      tables: [
        table('Session', 'Manual', 'session_id : int'),
        table('Scan', 'Imported', '-> Session\n---\nframes : int'),
        table('Spikes', 'Computed', '-> Scan\n---\nrate : double'),
      ],
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: 'session',
      rows: [1, 2, 3].map((session_id) => ({ session_id })),
    });
    await s.call('task.set', {
      schema: s.schema,
      table: '__spikes',
      spec: {
        image: 'lab/busybox:1',
        command: ['true'],
        resources: { cpus: 2, memory: '1G', gpus: 1 },
        timeout_s: 600,
        retries: 1,
      },
    });
    await s.core.dispose(); // the CLI opens the file itself
  });

  const planIds = async () => {
    const r = cli(['jobs', 'plan', ...source()]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { jobs: { id: string; full_name: string; key: object; depends_on: string[] }[] };
  };

  it('Slurm: one sbatch per planned job, each after its dependencies, and bash parses it', async () => {
    const plan = await planIds();
    const r = cli(['export', 'slurm', ...source(), '--partition', 'debug']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/sbatch /g)).toHaveLength(plan.jobs.length);
    expect(r.stdout).toContain('--partition=debug');
    expect(r.stdout).toContain('--gres=gpu:1');
    expect(r.stdout).toMatch(/--dependency=afterok:\$j1/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-export-'));
    writeFileSync(path.join(dir, 'submit.sh'), r.stdout);
    execFileSync('bash', ['-n', path.join(dir, 'submit.sh')]);
  });

  it('Argo and Kubernetes: YAML valid against the OpenAPI schemas, DAG equal to the plan', async () => {
    const plan = await planIds();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-export-'));
    for (const target of ['argo', 'k8s']) {
      const out = path.join(dir, `${target}.yaml`);
      const r = cli(['export', target, ...source(), '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const docs = YAML.parseAllDocuments(readFileSync(out, 'utf8')).map((d) => d.toJS());
      if (target === 'argo') {
        new ArgoWorkflow(docs[0]).validate();
        const tasks = docs[0].spec.templates[0].dag.tasks as { name: string; dependencies?: string[] }[];
        expect(tasks).toHaveLength(plan.jobs.length);
        expect(tasks.filter((t) => t.dependencies?.length)).toHaveLength(
          plan.jobs.filter((j) => j.depends_on.length).length,
        );
      } else {
        for (const d of docs.filter((x) => x.kind === 'Job')) new Job(d).validate();
        expect(docs.filter((x) => x.kind === 'Job').reduce((n, j) => n + j.spec.completions, 0)).toBe(plan.jobs.length);
      }
    }
  });

  it('a lab plugin receives the workflow; a bad target or module is a usage error', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-plugin-'));
    const plugin = path.join(dir, 'count.mjs');
    writeFileSync(
      plugin,
      'export default { name: "count", summary: "counts", export: ({ workflow, options }) => [{ name: "n.txt", content: `${workflow.steps.length} ${options.queue}` }] };\n',
    );
    const plan = await planIds();
    const r = cli(['export', '--plugin', plugin, ...source(), '--option', 'queue=long']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${plan.jobs.length} long`);
    const bad = cli(['export', 'airflow', ...source(false)]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown export target "airflow"');
    writeFileSync(path.join(dir, 'empty.mjs'), 'export const x = 1;\n');
    const notPlugin = cli(['export', '--plugin', path.join(dir, 'empty.mjs'), ...source(false)]);
    expect(notPlugin.status).toBe(2);
    expect(notPlugin.stderr).toContain('does not export a workflow plugin');
  });
});
