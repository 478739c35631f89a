import type Docker from 'dockerode';
import type { DonationPolicy, HardwareProfile } from '../../../shared/api/schemas/worker';
import type { Capacity } from '../../../shared/model/capacity';

/** What a donated machine gives its jobs: the policy's shares within the owner's hard limits, on the allowed GPUs. */
export function donatedCapacity(
  hw: HardwareProfile,
  policy: DonationPolicy,
  limits: { cpus?: number; memoryBytes?: number },
  gpus: readonly number[],
): Capacity {
  const cpus = Math.min(limits.cpus ?? Infinity, hw.cpu.threads * policy.maxCpuShare);
  const memoryBytes = Math.min(limits.memoryBytes ?? Infinity, hw.memoryBytes * policy.maxMemoryShare);
  const allowedGpus = gpus.slice(0, policy.maxGpus ?? gpus.length);
  return {
    cpus,
    memoryBytes,
    gpus: hw.gpus.filter((g) => allowedGpus.includes(g.index)).map((g) => ({ index: g.index, memoryMiB: g.memoryMiB })),
  };
}

/** Pauses (or resumes) every container this worker started, found by its label; one that ended meanwhile is skipped. */
export async function setContainersPaused(docker: Docker, workerId: string, paused: boolean): Promise<void> {
  const list = await docker.listContainers({ filters: { label: [`org.joinery.worker=${workerId}`] } });
  for (const c of list) {
    const container = docker.getContainer(c.Id);
    await (paused ? container.pause() : container.unpause()).catch(() => {});
  }
}
