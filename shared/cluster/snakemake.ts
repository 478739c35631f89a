import { runJobArgs, type Workflow } from './workflow';

const py = (v: unknown) => JSON.stringify(v);

/**
 * A Snakefile: one rule whose wildcard is the step id; a step's input is the marker files of the
 * steps it depends on, its output its own marker (`.joinery/done/<id>`), so Snakemake's DAG is
 * the plan's. Threads and memory come from the task's resources.
 */
export function snakefile(wf: Workflow): string {
  const steps: Record<string, { args: string[]; deps: string[]; threads: number; mem_mb: number; runtime: number }> =
    {};
  for (const s of wf.steps) {
    steps[s.id] = {
      args: runJobArgs(wf, s),
      deps: s.dependsOn,
      threads: Math.max(1, Math.ceil(s.resources.cpus)),
      mem_mb: Math.ceil(s.resources.memory / 2 ** 20),
      runtime: Math.ceil(s.timeoutS / 60),
    };
  }
  return [
    `# Joinery workflow "${wf.name}": ${wf.steps.length} job(s); run with: snakemake --cores N -s <this file>`,
    '# Each step is `joinery run-job`; the database password comes from JOINERY_DB_PASSWORD.',
    'import shlex',
    '',
    `STEPS = ${py(steps)}`,
    '',
    'rule all:',
    '    input: [f".joinery/done/{s}" for s in STEPS]',
    '',
    'rule run_job:',
    '    input: lambda wc: [f".joinery/done/{d}" for d in STEPS[wc.step]["deps"]]',
    '    output: touch(".joinery/done/{step}")',
    '    threads: lambda wc: STEPS[wc.step]["threads"]',
    '    resources:',
    '        mem_mb=lambda wc: STEPS[wc.step]["mem_mb"],',
    '        runtime=lambda wc: STEPS[wc.step]["runtime"]',
    '    params: command=lambda wc: shlex.join(STEPS[wc.step]["args"])',
    '    shell: "{params.command}"',
    '',
  ].join('\n');
}
