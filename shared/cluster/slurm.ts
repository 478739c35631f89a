import type { ResourceRequest } from '../api/schemas/task';
import { memoryMiB, runJobArgs, shellQuote, slurmTime, type Workflow } from './workflow';

/** Where and as whom Slurm runs the jobs. */
export interface SlurmTarget {
  partition?: string;
  account?: string;
}

/**
 * sbatch options for one job of a task: CPUs, memory, GPUs and wall time from the task's
 * resources, plus the partition and account the user chose.
 */
export function sbatchResourceOptions(
  resources: ResourceRequest,
  timeoutS: number,
  target: SlurmTarget = {},
): string[] {
  const opts = [`--cpus-per-task=${Math.max(1, Math.ceil(resources.cpus))}`];
  if (resources.memory > 0) opts.push(`--mem=${memoryMiB(resources.memory)}M`);
  if (resources.gpus > 0) opts.push(`--gres=gpu:${resources.gpus}`);
  opts.push(`--time=${slurmTime(timeoutS)}`);
  if (target.partition) opts.push(`--partition=${target.partition}`);
  if (target.account) opts.push(`--account=${target.account}`);
  return opts;
}

/**
 * A bash script that submits every step with `sbatch --parsable`, each after the steps it
 * depends on (`--dependency=afterok:...`), so Slurm keeps the pipeline's order. Logs go to
 * `joinery-<workflow>-<step>-%j.out` in the submit directory.
 */
export function slurmScript(wf: Workflow, target: SlurmTarget = {}): string {
  const lines = [
    '#!/usr/bin/env bash',
    `# Joinery workflow "${wf.name}": ${wf.steps.length} job(s) in dependency order, each one \`joinery run-job\`.`,
    "# Submit with: bash <this file>. The database password comes from JOINERY_DB_PASSWORD in the jobs' environment.",
    'set -euo pipefail',
    '',
  ];
  for (const step of wf.steps) {
    const opts = [
      '--parsable',
      `--job-name=${shellQuote(`${wf.name}-${step.id}`)}`,
      `--output=${shellQuote(`joinery-${wf.name}-${step.id}-%j.out`)}`,
      '--export=ALL',
      ...sbatchResourceOptions(step.resources, step.timeoutS, target).map(shellQuote),
    ];
    if (step.dependsOn.length) opts.push(`--dependency=afterok:${step.dependsOn.map((d) => `$${d}`).join(':')}`);
    const command = runJobArgs(wf, step).map(shellQuote).join(' ');
    lines.push(`# ${step.schema}.${step.table} ${JSON.stringify(step.key)}`);
    lines.push(`${step.id}=$(sbatch ${opts.join(' ')} --wrap ${shellQuote(command)})`);
  }
  lines.push('', `echo "submitted ${wf.steps.length} job(s) of ${wf.name}"`, '');
  return lines.join('\n');
}
