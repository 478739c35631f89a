import type { JobPlan } from '../api/schemas/jobs';
import type { ResourceRequest, TaskSpec } from '../api/schemas/task';
import { appError } from '../errors';

/** One job of an exported workflow: one key of one table, run by `joinery run-job` after the jobs it depends on. */
export interface WorkflowStep {
  /** Short, unique, safe in every target's names: `j<N>` in dependency order. */
  id: string;
  schema: string;
  /** Stored table name (`__spikes`). */
  table: string;
  key: Record<string, unknown>;
  keyHash: string;
  /** Ids of the steps that must succeed first. */
  dependsOn: string[];
  resources: ResourceRequest;
  timeoutS: number;
  retries: number;
}

/** What every exporter writes: the steps in dependency order and how to reach the database from the cluster. */
export interface Workflow {
  /** A name for the workflow (letters, digits, dashes). */
  name: string;
  /** The `--db` URL the steps use, without a password (the cluster provides JOINERY_DB_PASSWORD). */
  db: string;
  /** How the cluster starts Joinery (`joinery`, or a path). */
  joinery: string;
  /** The container image with Joinery in it, for container-based targets (Argo, Kubernetes, Flyte). */
  image: string;
  steps: WorkflowStep[];
}

/** Where an exporter's options come from: the plan, the tables' tasks and the target. */
export interface WorkflowOptions {
  name: string;
  db: string;
  joinery?: string;
  image?: string;
}

const DEFAULT_TASK: Pick<TaskSpec, 'resources' | 'timeout_s' | 'retries'> = {
  resources: { cpus: 1, memory: 0, gpus: 0, gpu_memory: 0, labels: [] },
  timeout_s: 3600,
  retries: 0,
};

/**
 * Turns `jobs.plan` into a workflow: one step per planned job, in an order where every step
 * follows the steps it depends on, with the hardware of its table's task. A table without a task
 * gets the defaults (1 CPU, one hour); `run-job` itself refuses it with a clear message.
 */
export function workflowFromPlan(
  plan: JobPlan,
  tasks: ReadonlyMap<string, Pick<TaskSpec, 'resources' | 'timeout_s' | 'retries'>>,
  opts: WorkflowOptions,
): Workflow {
  const ordered = dependencyOrder(plan.jobs);
  const ids = new Map(ordered.map((j, i) => [j.id, `j${i + 1}`]));
  const steps = ordered.map((j): WorkflowStep => {
    const dot = j.full_name.indexOf('.');
    const task = tasks.get(j.full_name) ?? DEFAULT_TASK;
    return {
      id: ids.get(j.id)!,
      schema: j.full_name.slice(0, dot),
      table: j.full_name.slice(dot + 1),
      key: j.key,
      keyHash: j.key_hash,
      dependsOn: j.depends_on.map((d) => ids.get(d)!).filter(Boolean),
      resources: task.resources,
      timeoutS: task.timeout_s,
      retries: task.retries,
    };
  });
  return {
    name: safeName(opts.name),
    db: withoutPassword(opts.db),
    joinery: opts.joinery ?? 'joinery',
    image: opts.image ?? 'joinery/runner:latest',
    steps,
  };
}

/** Kahn's order, stable in plan order; a cycle (never made by jobs.plan) is an error, not a hang. */
function dependencyOrder(jobs: JobPlan['jobs']): JobPlan['jobs'] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const done = new Set<string>();
  const out: JobPlan['jobs'] = [];
  let progressed = true;
  while (out.length < jobs.length && progressed) {
    progressed = false;
    for (const j of jobs) {
      if (done.has(j.id) || !j.depends_on.every((d) => done.has(d) || !byId.has(d))) continue;
      done.add(j.id);
      out.push(j);
      progressed = true;
    }
  }
  if (out.length < jobs.length) throw appError('VALIDATION', 'The plan has a dependency cycle; nothing exported.');
  return out;
}

/** The argument vector of `joinery run-job` for one step (ARCHITECTURE §8, fixed). */
export function runJobArgs(wf: Workflow, step: WorkflowStep): string[] {
  return [
    wf.joinery,
    'run-job',
    '--db',
    wf.db,
    '--schema',
    step.schema,
    '--table',
    step.table,
    '--key',
    JSON.stringify(step.key),
  ];
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** `mysql://user:secret@host` -> `mysql://user@host`: passwords never go into generated files. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+):[^@]*@/i, '$1@');
}

/** Lower-case letters, digits and dashes, as Kubernetes and Argo names must be. */
export function safeName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (s || 'joinery').slice(0, 50);
}

/** Memory in MiB, rounded up (Slurm's --mem unit); 0 when not requested. */
export function memoryMiB(bytes: number): number {
  return Math.ceil(bytes / 2 ** 20);
}

/** Seconds as Slurm's D-HH:MM:SS, rounded up to whole minutes (at least one). */
export function slurmTime(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(minutes / 1440)}-${two(Math.floor((minutes % 1440) / 60))}:${two(minutes % 60)}:00`;
}
