import type Docker from 'dockerode';
import type { TaskSpec } from '../../../../shared/api/schemas/task';
import { isAppError } from '../../../../shared/errors';
import { prepareJobFolder, readResultFile } from '../job-folder';
import { JobRunError, type JobRunner, type RunOutput, type RunRequest } from '../../jobs/runner';
import { type GpuPool } from './gpu-pool';
import { JOB_LABEL, runContainer, WORKER_LABEL, type ContainerRunResult } from './container-run';

/** What the Docker runner needs from its worker. */
export interface DockerRunnerDeps {
  docker: Docker;
  workerId: string;
  /** GPUs this worker may hand to containers. */
  gpus: GpuPool;
  /** Memory limit for tasks that state none (the worker's donated memory). */
  defaultMemoryBytes: () => number;
  /** Kept log tail per job. */
  logLimitBytes?: number;
}

/**
 * The container contract's runner (ARCHITECTURE §5): the job folder mounted at /joinery/in and
 * /joinery/out, the task's image and command, the task's resources as hard limits, no network,
 * no database credentials and a non-root user unless the task asks. The image id actually run is
 * reported as the code hash, so provenance names the exact image.
 */
export class DockerJobRunner implements JobRunner {
  readonly kind = 'docker' as const;
  readonly batches = false;
  constructor(private readonly deps: DockerRunnerDeps) {}

  check(spec: TaskSpec): string | null {
    return spec.image ? null : 'the docker runner needs the task\'s "image"';
  }

  async run(req: RunRequest): Promise<RunOutput> {
    const reason = this.check(req.task.spec);
    if (reason) throw new JobRunError('JobError', reason);
    const spec = req.task.spec;
    const gpuIndexes = this.deps.gpus.take(spec.resources.gpus);
    const folder = await prepareJobFolder(req);
    let ok = false;
    try {
      const res = await this.start(req, folder.inDir, folder.outDir, gpuIndexes);
      throwIfFailed(res, req, spec);
      const output: RunOutput = { exitCode: res.exitCode, peakMemory: res.peakMemoryBytes, codeHash: res.imageId };
      if (spec.mode !== 'legacy') output.result = (await readResultFile(folder.outDir)).result;
      ok = true;
      return output;
    } finally {
      this.deps.gpus.give(gpuIndexes);
      if (ok || !process.env.JOINERY_KEEP_FAILED_JOB_DIRS) await folder.cleanup();
    }
  }

  private async start(
    req: RunRequest,
    inDir: string,
    outDir: string,
    gpuIndexes: number[],
  ): Promise<ContainerRunResult> {
    const spec = req.task.spec;
    let partial = '';
    try {
      return await runContainer(this.deps.docker, {
        image: spec.image!,
        command: spec.command ?? null,
        inDir,
        outDir,
        env: {
          JOINERY_TABLE: req.job.fullName,
          JOINERY_KEY_HASH: req.job.keyHash,
          JOINERY_ATTEMPT: String(req.job.attempt),
        },
        cpus: spec.resources.cpus,
        memoryBytes: spec.resources.memory || this.deps.defaultMemoryBytes(),
        gpuIndexes,
        network: spec.network,
        runAsRoot: spec.run_as_root,
        timeoutMs: req.timeoutMs,
        labels: { [WORKER_LABEL]: this.deps.workerId, [JOB_LABEL]: `${req.job.fullName}/${req.job.keyHash}` },
        signal: req.signal,
        logLimitBytes: this.deps.logLimitBytes,
        onLog: (_stream, text) => {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const l of lines) req.log(l);
        },
      });
    } catch (e) {
      // the image or the engine: the job cannot run here; the message names what is missing
      throw new JobRunError('JobError', isAppError(e) ? e.message : String(e));
    } finally {
      if (partial) req.log(partial);
    }
  }
}

/** A container that did not end well -> the attempt's error, with the log tail as its stack. */
function throwIfFailed(res: ContainerRunResult, req: RunRequest, spec: TaskSpec): void {
  const extra = { exitCode: res.exitCode, peakMemory: res.peakMemoryBytes, stack: res.logTail };
  if (req.signal.aborted) {
    const reason: unknown = req.signal.reason;
    throw reason instanceof JobRunError ? reason : new JobRunError('CancelledError', 'the job was cancelled', extra);
  }
  if (res.timedOut)
    throw new JobRunError('TimeoutError', `the container ran longer than ${spec.timeout_s} s and was killed`, extra);
  if (res.cancelled) throw new JobRunError('CancelledError', 'the job was cancelled', extra);
  if (res.oomKilled) {
    const limit = Math.round((spec.resources.memory || 0) / 1024 ** 2);
    throw new JobRunError(
      'OutOfMemoryError',
      `the container ran out of memory${limit ? ` (limit ${limit} MB)` : ''} and was killed; ask for more memory in the task's resources`,
      extra,
    );
  }
  if (res.exitCode !== 0) {
    const last = res.logTail.trim().split('\n').at(-1) ?? '';
    throw new JobRunError(
      'JobError',
      `the container exited with status ${res.exitCode}${last ? `: ${last}` : ''}`,
      extra,
    );
  }
}
