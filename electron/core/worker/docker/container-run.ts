import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { appError, isAppError } from '../../../../shared/errors';
import { LogTail } from './log-tail';

/** Label on every container a worker starts, so a restarted worker finds the ones it left behind. */
export const WORKER_LABEL = 'org.joinery.worker';
export const JOB_LABEL = 'org.joinery.job';

/** One container run of the job contract (ARCHITECTURE §5). */
export interface ContainerRunSpec {
  image: string;
  /** The task's command; null runs the image's own CMD. */
  command: string[] | null;
  /** Host folders mounted at /joinery/in (read-only) and /joinery/out. */
  inDir: string;
  outDir: string;
  env?: Record<string, string>;
  cpus: number;
  memoryBytes: number;
  pidsLimit?: number;
  /** GPU indexes to pass through (DeviceRequests); empty for none. */
  gpuIndexes: number[];
  /** Network and root only when the task asks; none by default. */
  network: boolean;
  runAsRoot: boolean;
  timeoutMs: number | null;
  labels: Record<string, string>;
  signal?: AbortSignal;
  onLog?: (stream: 'stdout' | 'stderr', text: string) => void;
  logLimitBytes?: number;
}

/** How a container run ended. */
export interface ContainerRunResult {
  exitCode: number | null;
  oomKilled: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** The image's content id (sha256:...), recorded in provenance. */
  imageId: string;
  logTail: string;
  peakMemoryBytes: number | null;
  durationMs: number;
}

const NOBODY = '65534:65534';

/**
 * Runs one job container: limits, no network and a non-root user unless asked, logs streamed and
 * a bounded tail kept, timeout and cancel kill it, OOM reported as such, and the container is
 * removed whatever happens.
 */
export async function runContainer(docker: Docker, spec: ContainerRunSpec): Promise<ContainerRunResult> {
  const imageId = await resolveImage(docker, spec.image);
  const container = await createContainer(docker, spec);
  const tail = new LogTail(spec.logLimitBytes ?? 1024 * 1024);
  const started = Date.now();
  let timedOut = false;
  let cancelled = false;
  let peak: number | null = null;
  const kill = () => container.kill().catch(() => {});
  const timer = spec.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        void kill();
      }, spec.timeoutMs)
    : null;
  const onAbort = () => {
    cancelled = true;
    void kill();
  };
  spec.signal?.addEventListener('abort', onAbort);
  try {
    await attachLogs(container, tail, spec.onLog);
    await container.start();
    if (spec.signal?.aborted) onAbort();
    const sampler = samplePeakMemory(container, (bytes) => {
      peak = Math.max(peak ?? 0, bytes);
    });
    const waited = await container.wait();
    sampler.stop();
    const exitCode = typeof waited.StatusCode === 'number' ? waited.StatusCode : null;
    const killedByUs = timedOut || cancelled;
    return {
      exitCode,
      oomKilled: await oomKilled(container, exitCode === SIGKILL_EXIT && !killedByUs),
      timedOut,
      cancelled,
      imageId,
      logTail: tail.text(),
      peakMemoryBytes: peak,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    throw translateDockerError(e, spec.image);
  } finally {
    if (timer) clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}

async function createContainer(docker: Docker, spec: ContainerRunSpec): Promise<Docker.Container> {
  try {
    return await docker.createContainer({
      Image: spec.image,
      ...(spec.command ? { Cmd: spec.command } : {}),
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      User: spec.runAsRoot ? '0:0' : NOBODY,
      WorkingDir: '/joinery/out',
      Labels: spec.labels,
      NetworkDisabled: !spec.network,
      HostConfig: {
        Binds: [`${spec.inDir}:/joinery/in:ro`, `${spec.outDir}:/joinery/out:rw`],
        NetworkMode: spec.network ? 'bridge' : 'none',
        NanoCpus: Math.round(spec.cpus * 1e9),
        Memory: spec.memoryBytes,
        MemorySwap: spec.memoryBytes, // no swap beyond the limit, so an overrun is an OOM, not a crawl
        PidsLimit: spec.pidsLimit ?? 512,
        ...(spec.gpuIndexes.length
          ? { DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: spec.gpuIndexes.map(String), Capabilities: [['gpu']] }] }
          : {}),
      },
    });
  } catch (e) {
    throw translateDockerError(e, spec.image);
  }
}

/** The image's id; a missing image is tried once with a pull (there may be no registry). */
async function resolveImage(docker: Docker, image: string): Promise<string> {
  try {
    return (await docker.getImage(image).inspect()).Id;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw translateDockerError(e, image);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      docker.pull(image, (err: Error | null, stream: NodeJS.ReadableStream) => {
        if (err) return reject(err);
        docker.modem.followProgress(stream, (e2: Error | null) => (e2 ? reject(e2) : resolve()));
      });
    });
    return (await docker.getImage(image).inspect()).Id;
  } catch (e) {
    throw appError(
      'NOT_FOUND',
      `The image ${image} is not on this machine and could not be pulled (${(e as Error).message.split('\n')[0]}).`,
      {
        details: { image },
        hint: `Load it on this worker (docker load / docker import) or push it to a registry the worker can reach.`,
      },
      e,
    );
  }
}

async function attachLogs(
  container: Docker.Container,
  tail: LogTail,
  onLog?: ContainerRunSpec['onLog'],
): Promise<void> {
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const sink = (name: 'stdout' | 'stderr') => {
    const s = new PassThrough();
    s.on('data', (b: Buffer) => {
      tail.push(b);
      onLog?.(name, b.toString('utf8'));
    });
    return s;
  };
  container.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
}

/** Samples memory use every second while the container runs (cgroup v1 also keeps the maximum). */
function samplePeakMemory(container: Docker.Container, record: (bytes: number) => void): { stop(): void } {
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      try {
        const s = (await container.stats({ stream: false })) as unknown as {
          memory_stats?: { usage?: number; max_usage?: number };
        };
        const m = s.memory_stats;
        if (m) record(Math.max(m.usage ?? 0, m.max_usage ?? 0));
      } catch {
        return; // the container is gone
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void tick();
  return {
    stop: () => {
      stopped = true;
    },
  };
}

/** dockerode errors -> AppErrors that say what to do. */
export function translateDockerError(e: unknown, image: string) {
  if (isAppError(e)) return e;
  const err = e as { statusCode?: number; code?: string; message?: string; json?: { message?: string } };
  const text = err.json?.message ?? err.message ?? String(e);
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EACCES') {
    return appError(
      'DOCKER_UNAVAILABLE',
      `Docker does not answer (${err.code}).`,
      { hint: 'Start the Docker engine, or check that this user may use /var/run/docker.sock.' },
      e,
    );
  }
  if (/could not select device driver/i.test(text)) {
    return appError(
      'UNSUPPORTED',
      `This machine cannot give GPUs to containers: ${text}`,
      { hint: 'Install the NVIDIA container toolkit, or run GPU tasks on another worker.' },
      e,
    );
  }
  if (err.statusCode === 404) return appError('NOT_FOUND', `Docker: ${text}`, { details: { image } }, e);
  return appError('JOB_FAILED', `Docker refused to run ${image}: ${text}`, { details: { image } }, e);
}

/** Removes containers a crashed run of this worker left behind (found by label). */
export async function removeOrphans(docker: Docker, workerId: string): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${WORKER_LABEL}=${workerId}`] } });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
  return list.length;
}

/** Exit status of a process killed by SIGKILL, as the kernel's OOM killer does. */
const SIGKILL_EXIT = 137;

/**
 * Whether Docker marks the container OOM-killed. The daemon handles the kernel's OOM event apart from
 * the exit, so after a SIGKILL nobody here sent it the mark can arrive a moment late (seen when the
 * killer took a child of the container's shell): then it is asked again for up to a second.
 */
async function oomKilled(container: Docker.Container, mayBeLate: boolean): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const info = await container.inspect();
    if (info.State?.OOMKilled) return true;
    if (!mayBeLate || attempt === 10) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
