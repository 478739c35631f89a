import { spawn } from 'node:child_process';
import { appError } from '../../../shared/errors';

/** Runs a program and resolves with its exit code and output (injected so tests can see the calls). */
export type Exec = (
  program: string,
  args: readonly string[],
) => Promise<{ code: number; stdout: string; stderr: string }>;

/** The real thing: spawn, no shell. */
export const spawnExec: Exec = (program, args) =>
  new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });

/**
 * Slurm's command-line tools (sbatch, squeue, scontrol, scancel), the only way Joinery talks to
 * Slurm: it works with any Slurm version and needs no REST daemon or accounting database.
 */
export class SlurmCli {
  constructor(private readonly exec: Exec = spawnExec) {}

  /** `sbatch --parsable`; resolves with the job id. A refusal is an error carrying Slurm's own words. */
  async submit(options: readonly string[], script: string): Promise<string> {
    const r = await this.exec('sbatch', ['--parsable', ...options, script]);
    if (r.code !== 0) {
      const missing = r.code === 127 || /ENOENT/.test(r.stderr);
      throw appError(
        missing ? 'UNSUPPORTED' : 'JOB_FAILED',
        `Slurm refused the jobs: ${r.stderr.trim() || `sbatch exited ${r.code}`}`,
        {
          hint: missing
            ? 'sbatch is not installed here: run populate --backend slurm on a Slurm login node.'
            : 'Check the partition, account and resources (sinfo shows what the cluster offers).',
        },
      );
    }
    return r.stdout.trim().split(';')[0]!;
  }

  /**
   * States of jobs and array tasks by id (`123`, `123_4`). Live ones come from squeue; finished
   * ones from `scontrol show job` (kept for MinJobAge); ids Slurm no longer knows are `GONE`.
   */
  async states(jobIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (jobIds.length === 0) return out;
    const roots = [...new Set(jobIds.map((id) => id.split('_')[0]!))];
    const q = await this.exec('squeue', ['-h', '-r', '-o', '%i|%T', '-j', roots.join(',')]);
    if (q.code === 0) for (const [id, state] of parseLines(q.stdout)) out.set(id, state);
    for (const root of roots) {
      const s = await this.exec('scontrol', ['show', 'job', '-o', root]);
      if (s.code !== 0) continue;
      for (const line of s.stdout.split('\n')) {
        const rec = parseScontrol(line);
        if (rec.id && !out.has(rec.id)) out.set(rec.id, rec.state);
      }
    }
    for (const id of jobIds) if (!out.has(id)) out.set(id, 'GONE');
    return out;
  }

  /** `scancel` of jobs or array tasks; a job that already ended is not an error. */
  async cancel(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const r = await this.exec('scancel', [...jobIds]);
    if (r.code !== 0 && !/already completing|Invalid job id/i.test(r.stderr))
      throw appError('JOB_FAILED', `scancel failed: ${r.stderr.trim()}`);
  }
}

function parseLines(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim().split('|'))
    .filter((p) => p.length === 2 && p[0])
    .map((p) => [p[0]!, p[1]!]);
}

/** One `scontrol show job -o` record: its id (array task as `<job>_<index>`) and state. */
export function parseScontrol(line: string): { id: string | null; state: string } {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(line)?.[1];
  const job = field('JobId');
  const arrayJob = field('ArrayJobId');
  const task = field('ArrayTaskId');
  const state = field('JobState') ?? 'UNKNOWN';
  if (!job) return { id: null, state };
  return { id: arrayJob && task && /^\d+$/.test(task) ? `${arrayJob}_${task}` : job, state };
}
