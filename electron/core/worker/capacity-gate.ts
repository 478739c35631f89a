import type { ResourceRequest } from '../../../shared/api/schemas/task';
import type { DonationDecision } from '../../../shared/model/donation';
import { fitRequest, subtract, type Capacity } from '../../../shared/model/capacity';
import type { Labels } from '../../../shared/model/label-constraints';
import type { ClaimGate } from '../jobs/job-worker';
import type { StoredTask } from '../jobs/task-store';
import type { JobRunner, RunOutput, RunRequest } from '../jobs/runner';

/** Classes of tasks an owner may refuse, derived from what the task asks for. */
export function taskClasses(task: StoredTask): string[] {
  const s = task.spec;
  return [
    ...(s.network ? ['network'] : []),
    ...(s.run_as_root ? ['root'] : []),
    ...(s.resources.gpus > 0 ? ['gpu'] : []),
  ];
}

/**
 * HTCondor-style matchmaking at claim time: a job is claimed only when its task's request fits
 * the worker's donated capacity minus what its running jobs hold, its label constraints hold on
 * this worker, the owner does not refuse its class, and the owner's policy allows new work now.
 * Running jobs are counted by the runner wrapper, so every worker loop of the daemon shares one ledger.
 */
export class CapacityGate implements ClaimGate {
  private readonly running = new Map<RunRequest, ResourceRequest>();
  private decision: DonationDecision = { takeNewJobs: true, ownerIsBack: false, reason: '' };
  /** Why tasks were refused since the last look (requests this worker can never take), by full table name. */
  private refusals = new Map<string, string>();

  constructor(private readonly deps: { donated: () => Capacity; labels: Labels; refuse: () => readonly string[] }) {}

  /** The policy's latest verdict (the daemon updates it every tick). */
  setDecision(d: DonationDecision): void {
    this.decision = d;
  }

  admit(task: StoredTask): string | null {
    if (!this.decision.takeNewJobs) return this.decision.reason;
    const fit = fitRequest(task.spec.resources, this.free(), this.deps.labels, this.deps.refuse(), taskClasses(task));
    if (fit.fits) return null;
    // only refusals that an idle worker would make too are news; "busy" passes by itself
    const never = fitRequest(
      task.spec.resources,
      this.deps.donated(),
      this.deps.labels,
      this.deps.refuse(),
      taskClasses(task),
    );
    if (!never.fits) this.refusals.set(`${task.schema}.${task.table}`, never.reason);
    return fit.reason;
  }

  room(task: StoredTask): number {
    let free = this.free();
    let n = 0;
    for (; n < 64; n++) {
      const fit = fitRequest(task.spec.resources, free, this.deps.labels);
      if (!fit.fits) break;
      free = subtract(free, task.spec.resources, fit.gpuIndexes);
    }
    return n;
  }

  /** Capacity not held by running jobs. */
  free(): Capacity {
    let free = this.deps.donated();
    for (const req of this.running.values())
      free = subtract(
        free,
        req,
        free.gpus.slice(0, req.gpus).map((g) => g.index),
      );
    return free;
  }

  /** Jobs running now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** CPUs the running jobs asked for. */
  get heldCpus(): number {
    let n = 0;
    for (const r of this.running.values()) n += r.cpus;
    return n;
  }

  /** Refusals collected since the last call, then forgotten. */
  takeRefusals(): Map<string, string> {
    const r = this.refusals;
    this.refusals = new Map();
    return r;
  }

  /** Wraps a runner so every job it runs holds its resources in the ledger until it ends. */
  track(runner: JobRunner): JobRunner {
    const running = this.running;
    return {
      kind: runner.kind,
      batches: runner.batches,
      check: (spec) => runner.check(spec),
      async run(req: RunRequest): Promise<RunOutput> {
        running.set(req, req.task.spec.resources);
        try {
          return await runner.run(req);
        } finally {
          running.delete(req);
        }
      },
    };
  }
}
