import { z } from 'zod';

/** What a worker machine has, probed once at start (systeminformation, nvidia-smi, Docker). */
export const HardwareProfile = z.object({
  hostname: z.string(),
  cpu: z.object({ model: z.string(), cores: z.number(), threads: z.number(), speedGHz: z.number() }),
  memoryBytes: z.number(),
  gpus: z.array(z.object({
    index: z.number(),
    vendor: z.string(),
    model: z.string(),
    memoryMiB: z.number().nullable(),
    driver: z.string().nullable(),
    cudaVersion: z.string().nullable(),
  })),
  os: z.object({ platform: z.string(), distro: z.string(), release: z.string(), arch: z.string() }),
  docker: z.object({ available: z.boolean(), version: z.string().nullable(), problem: z.string().nullable() }),
  diskFreeBytes: z.number().nullable(),
});
export type HardwareProfile = z.infer<typeof HardwareProfile>;

/** A cheap load sample, taken often. */
export const LoadSample = z.object({
  at: z.string(),
  cpuPercent: z.number(),
  memoryAvailableBytes: z.number(),
  /** Seconds since the last keyboard/mouse input, where the desktop can tell; null elsewhere. */
  idleSeconds: z.number().nullable(),
});
export type LoadSample = z.infer<typeof LoadSample>;

/** A weekly time window in local time; `end` before `start` wraps past midnight. */
export const TimeWindow = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
});
export type TimeWindow = z.infer<typeof TimeWindow>;

/**
 * The owner's donation policy, as BOINC's computing preferences and HTCondor's desktop policy
 * offer it: when to work, how much of the machine to give, and what to do when the owner is back.
 */
export const DonationPolicy = z.object({
  paused: z.boolean().default(false),
  /** Finish the jobs in hand, take no new ones, then stop. */
  finishThenStop: z.boolean().default(false),
  idleOnly: z.boolean().default(false),
  idleMinutes: z.number().min(0).max(24 * 60).default(10),
  /** Take no new job while other programs use more than this share of the CPU. */
  maxSystemLoadPercent: z.number().min(0).max(100).default(75),
  /** Empty: any time. */
  windows: z.array(TimeWindow).max(50).default([]),
  maxCpuShare: z.number().min(0).max(1).default(1),
  maxMemoryShare: z.number().min(0).max(1).default(0.8),
  maxGpus: z.number().int().min(0).max(64).nullable().default(null),
  /** When the owner comes back: pause running containers, or stop them and requeue the jobs (no retry spent). */
  onOwnerReturn: z.enum(['suspend', 'requeue']).default('suspend'),
  /** Task labels this worker refuses (e.g. `network`, `privileged`). */
  refuseLabels: z.array(z.string().max(100)).max(100).default([]),
});
export type DonationPolicy = z.infer<typeof DonationPolicy>;

/** What a task asks for; every job of the task needs this much free capacity. */
export const ResourceRequest = z.object({
  cpus: z.number().positive().max(1024).default(1),
  memoryBytes: z.number().int().positive().default(512 * 1024 * 1024),
  gpus: z.number().int().min(0).max(64).default(0),
  gpuMemoryMiB: z.number().int().min(0).default(0),
  /** Constraints on worker labels: `cuda>=12`, `gpu=H100`, `os=linux`, or a bare label that must exist. */
  labels: z.array(z.string().max(100)).max(50).default([]),
});
export type ResourceRequest = z.infer<typeof ResourceRequest>;
