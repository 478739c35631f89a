import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Workflow as ArgoWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { describe, expect, it, vi } from 'vitest';
import type { JobPlan } from '../../../../shared/api/schemas/jobs';
import {
  argoWorkflow,
  flyteWorkflow,
  kubernetesManifests,
  prefectFlow,
  sbatchResourceOptions,
  slurmScript,
  slurmTime,
  snakefile,
  withoutPassword,
  workflowFromPlan,
} from '../../../../shared/cluster';

// these tests start joinery processes (and containers, Slurm jobs): slow on a loaded machine, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/** A plan as jobs.plan gives it: two sessions staged, each with a scan job, then one spike job per scan. */
const plan: JobPlan = {
  staged: { full_name: 'lab.session', keys: 2 },
  tables: [
    { full_name: 'lab._scan', jobs: 2, note: null },
    { full_name: 'lab.__spikes', jobs: 2, note: null },
  ],
  jobs: [
    // deliberately out of order: the spike job comes before the scan job it waits for
    {
      id: 'lab.__spikes#b1',
      full_name: 'lab.__spikes',
      key: { session_id: 1 },
      key_hash: 'b1',
      depends_on: ['lab._scan#a1'],
    },
    { id: 'lab._scan#a1', full_name: 'lab._scan', key: { session_id: 1 }, key_hash: 'a1', depends_on: [] },
    { id: 'lab._scan#a2', full_name: 'lab._scan', key: { session_id: 2 }, key_hash: 'a2', depends_on: [] },
    {
      id: 'lab.__spikes#b2',
      full_name: 'lab.__spikes',
      key: { session_id: 2 },
      key_hash: 'b2',
      depends_on: ['lab._scan#a2'],
    },
  ],
};
const tasks = new Map([
  [
    'lab.__spikes',
    { resources: { cpus: 2, memory: 3 * 2 ** 30, gpus: 1, gpu_memory: 0, labels: [] }, timeout_s: 5400, retries: 2 },
  ],
]);
const wf = workflowFromPlan(plan, tasks, {
  name: 'Lab Spikes!',
  db: 'mysql://lab:secret@db:3306',
  image: 'lab/joinery:1',
});

describe('workflow from a plan', () => {
  it('orders steps after their dependencies and never writes the password', () => {
    expect(wf.name).toBe('lab-spikes');
    expect(wf.db).toBe('mysql://lab@db:3306');
    const order = wf.steps.map((s) => `${s.table}:${s.keyHash}`);
    for (const s of wf.steps)
      for (const d of s.dependsOn) expect(wf.steps.findIndex((x) => x.id === d)).toBeLessThan(wf.steps.indexOf(s));
    expect(order.indexOf('_scan:a1')).toBeLessThan(order.indexOf('__spikes:b1'));
    expect(withoutPassword('postgresql://u:p@h:5432/db')).toBe('postgresql://u@h:5432/db');
    expect(withoutPassword('sqlite:/data/x.db')).toBe('sqlite:/data/x.db');
  });

  it('refuses a cycle instead of hanging', () => {
    const cyclic: JobPlan = {
      ...plan,
      jobs: [
        { id: 'a', full_name: 'l.x', key: {}, key_hash: 'a', depends_on: ['b'] },
        { id: 'b', full_name: 'l.x', key: {}, key_hash: 'b', depends_on: ['a'] },
      ],
    };
    expect(() => workflowFromPlan(cyclic, new Map(), { name: 'x', db: 'sqlite:/x' })).toThrow(/cycle/);
  });
});

describe('Slurm', () => {
  it('maps task resources to sbatch options', () => {
    const spikes = wf.steps.find((s) => s.table === '__spikes')!;
    expect(sbatchResourceOptions(spikes.resources, spikes.timeoutS, { partition: 'gpu', account: 'lab' })).toEqual([
      '--cpus-per-task=2',
      '--mem=3072M',
      '--gres=gpu:1',
      '--time=0-01:30:00',
      '--partition=gpu',
      '--account=lab',
    ]);
    expect(slurmTime(1)).toBe('0-00:01:00');
    expect(slurmTime(2 * 86_400 + 61)).toBe('2-00:02:00');
  });

  it('submits each job after the jobs it depends on (afterok) in a script bash accepts', () => {
    const script = slurmScript(wf);
    const spike = wf.steps.find((s) => s.keyHash === 'b1')!;
    expect(script).toContain(`--dependency=afterok:$${spike.dependsOn[0]}`);
    expect(script).not.toContain('secret');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-slurm-'));
    writeFileSync(path.join(dir, 'submit.sh'), script);
    expect(spawnSync('bash', ['-n', path.join(dir, 'submit.sh')]).status).toBe(0);
  });
});

describe('Kubernetes and Argo', () => {
  it('writes Indexed Jobs that the Kubernetes OpenAPI schema accepts, with GPUs, deadline and retries', () => {
    const manifests = kubernetesManifests(wf, { namespace: 'lab' }) as Array<Record<string, never>>;
    const jobs = manifests.filter((m) => m.kind === 'Job');
    expect(jobs).toHaveLength(2);
    for (const m of manifests) (m.kind === 'Job' ? new Job(m) : new ConfigMap(m)).validate();
    const spikes = jobs.find((j) => JSON.stringify(j).includes('__spikes')) as unknown as {
      spec: {
        completions: number;
        backoffLimit: number;
        template: {
          spec: { activeDeadlineSeconds: number; containers: { resources: { limits: Record<string, string> } }[] };
        };
      };
    };
    expect(spikes.spec.completions).toBe(2);
    expect(spikes.spec.backoffLimit).toBe(4);
    expect(spikes.spec.template.spec.activeDeadlineSeconds).toBe(5400);
    expect(spikes.spec.template.spec.containers[0]!.resources.limits).toMatchObject({
      'nvidia.com/gpu': '1',
      memory: '3072Mi',
    });
  });

  it('catches a manifest the schema refuses (the validation can fail)', () => {
    const [, job] = kubernetesManifests(wf) as Array<{ spec: Record<string, unknown> }>;
    expect(() => new Job({ ...job, spec: { ...job!.spec, backoffLimit: 'twice' } } as never).validate()).toThrow(
      /backoffLimit/,
    );
  });

  it('writes an Argo Workflow whose DAG is the plan', () => {
    const doc = argoWorkflow(wf) as {
      spec: { templates: { name: string; dag?: { tasks: { name: string; dependencies?: string[] }[] } }[] };
    };
    new ArgoWorkflow(doc as never).validate();
    const dag = doc.spec.templates[0]!.dag!.tasks;
    expect(dag).toHaveLength(4);
    for (const s of wf.steps) expect(dag.find((t) => t.name === s.id)!.dependencies ?? []).toEqual(s.dependsOn);
  });
});

function pythonParses(code: string): boolean {
  return spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: code }).status === 0;
}

describe('Prefect, Flyte and Snakemake', () => {
  it("Prefect and Flyte files are valid Python with one call per step and the plan's waits", () => {
    const prefect = prefectFlow(wf);
    const flyte = flyteWorkflow(wf);
    expect(pythonParses(prefect)).toBe(true);
    expect(pythonParses(flyte)).toBe(true);
    expect(pythonParses('def broken(:\n')).toBe(false);
    const spike = wf.steps.find((s) => s.keyHash === 'b2')!;
    expect(prefect).toContain(`wait_for=[s_${spike.dependsOn[0]}]`);
    expect(flyte).toContain(`s_${spike.dependsOn[0]} >> s_${spike.id}`);
  });

  it('Snakemake accepts the Snakefile and plans every step after its dependencies', () => {
    const which = spawnSync('sh', ['-c', 'command -v snakemake']);
    if (which.status !== 0)
      throw new Error('snakemake is not installed: run `bash scripts/services.sh` (Debian package snakemake).');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-snake-'));
    writeFileSync(path.join(dir, 'Snakefile'), snakefile(wf));
    const out = execFileSync(
      'snakemake',
      ['-n', '--cores', '1', '-s', 'Snakefile', '--printshellcmds', '--quiet', 'rules'],
      { cwd: dir, encoding: 'utf8' },
    );
    void out;
    const dry = execFileSync('snakemake', ['-n', '--cores', '1', '-s', 'Snakefile', '-p'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const positions = wf.steps.map((s) => dry.indexOf(`--key '${JSON.stringify(s.key)}'`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    for (const s of wf.steps)
      for (const d of s.dependsOn)
        expect(dry.indexOf(`.joinery/done/${d}`)).toBeLessThan(dry.indexOf(`.joinery/done/${s.id}`));
  });
});
