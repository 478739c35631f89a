import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import si from 'systeminformation';
import type { HardwareProfile, LoadSample } from '../../../shared/api/schemas/worker';

const run = promisify(execFile);

/**
 * What this machine has. Slow (hundreds of ms: it reads /proc, lspci, nvidia-smi and asks
 * Docker), so a worker probes once at start and then only samples load.
 */
export async function probeHardware(docker: () => Promise<{ version: string } | null>): Promise<HardwareProfile> {
  const [cpu, mem, graphics, osInfo, disks, nvidia, dockerInfo] = await Promise.all([
    si.cpu(),
    si.mem(),
    si.graphics().catch(() => ({ controllers: [] })),
    si.osInfo(),
    si.fsSize().catch(() => []),
    nvidiaSmi(),
    dockerVersion(docker),
  ]);
  const gpus = nvidia.length
    ? nvidia
    : graphics.controllers
        .filter((c) => /nvidia|amd|advanced micro|intel/i.test(c.vendor ?? '') && (c.vram ?? 0) > 0)
        .map((c, index) => ({
          index,
          vendor: c.vendor ?? 'unknown',
          model: c.model ?? 'unknown',
          memoryMiB: c.vram ?? null,
          driver: c.driverVersion ?? null,
          cudaVersion: null,
        }));
  const root = disks.find((d) => d.mount === '/') ?? disks[0];
  return {
    hostname: os.hostname(),
    cpu: {
      model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
      cores: cpu.physicalCores || cpu.cores,
      threads: cpu.cores,
      speedGHz: cpu.speed || 0,
    },
    memoryBytes: mem.total,
    gpus,
    os: { platform: osInfo.platform, distro: osInfo.distro, release: osInfo.release, arch: osInfo.arch },
    docker: dockerInfo,
    diskFreeBytes: root ? root.available : null,
  };
}

/** NVIDIA GPUs from nvidia-smi (memory, driver, CUDA version); none when it is absent. */
async function nvidiaSmi(): Promise<HardwareProfile['gpus']> {
  try {
    const q = await run(
      'nvidia-smi',
      ['--query-gpu=index,name,memory.total,driver_version', '--format=csv,noheader,nounits'],
      { timeout: 10_000 },
    );
    const header = await run('nvidia-smi', [], { timeout: 10_000 }).then(
      (r) => r.stdout,
      () => '',
    );
    const cuda = /CUDA Version:\s*([\d.]+)/.exec(header)?.[1] ?? null;
    return q.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [index, name, memory, driver] = line.split(',').map((s) => s.trim());
        return {
          index: Number(index),
          vendor: 'NVIDIA',
          model: name ?? 'unknown',
          memoryMiB: Number(memory) || null,
          driver: driver ?? null,
          cudaVersion: cuda,
        };
      });
  } catch {
    return [];
  }
}

async function dockerVersion(docker: () => Promise<{ version: string } | null>): Promise<HardwareProfile['docker']> {
  try {
    const v = await docker();
    return v
      ? { available: true, version: v.version, problem: null }
      : { available: false, version: null, problem: 'Docker is not configured for this worker' };
  } catch (e) {
    return { available: false, version: null, problem: `Docker does not answer: ${(e as Error).message}` };
  }
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0,
    total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

/**
 * A load sampler with its own baseline: each sample measures CPU use since that sampler's previous
 * one (no 0.5 s wait), so independent readers (the daemon, the Workers screen) do not shorten each other's interval.
 */
export function createLoadSampler(idleSeconds: () => number | null = () => null): () => LoadSample {
  let last = cpuTimes();
  return () => {
    const now = cpuTimes();
    const dTotal = now.total - last.total;
    const cpuPercent = dTotal > 0 ? 100 * (1 - (now.idle - last.idle) / dTotal) : 0;
    last = now;
    return {
      at: new Date().toISOString(),
      cpuPercent: Math.max(0, Math.min(100, cpuPercent)),
      memoryAvailableBytes: os.freemem(),
      idleSeconds: idleSeconds(),
    };
  };
}

let idleSource: () => number | null = () => null;
const daemonSampler = createLoadSampler(() => idleSource());

/** A cheap load sample: CPU use since the previous sample, available memory, owner idle time. */
export function sampleLoad(idleSeconds: () => number | null = () => null): LoadSample {
  idleSource = idleSeconds;
  return daemonSampler();
}

/** Labels a worker advertises from its profile, for task constraints such as `cuda>=12`. */
export function hardwareLabels(p: HardwareProfile): Record<string, string | true> {
  const labels: Record<string, string | true> = { os: p.os.platform, arch: p.os.arch, cpus: String(p.cpu.threads) };
  if (p.docker.available) labels.docker = p.docker.version ?? true;
  if (p.gpus.length) {
    labels.gpu = p.gpus[0]!.model;
    labels.gpus = String(p.gpus.length);
    if (p.gpus[0]!.cudaVersion) labels.cuda = p.gpus[0]!.cudaVersion;
    if (p.gpus[0]!.driver) labels.gpu_driver = p.gpus[0]!.driver;
  }
  return labels;
}
