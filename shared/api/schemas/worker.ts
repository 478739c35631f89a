import { z } from 'zod';

/** What a worker machine has, probed once at start (systeminformation, nvidia-smi, Docker). */
export const HardwareProfile = z.object({
  hostname: z.string(),
  cpu: z.object({ model: z.string(), cores: z.number(), threads: z.number(), speedGHz: z.number() }),
  memoryBytes: z.number(),
  gpus: z.array(
    z.object({
      index: z.number(),
      vendor: z.string(),
      model: z.string(),
      memoryMiB: z.number().nullable(),
      driver: z.string().nullable(),
      cudaVersion: z.string().nullable(),
    }),
  ),
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
  /** A timed pause ("pause for an hour") ends at this time, ms since 1970, even across restarts; null: until resumed. */
  pausedUntil: z.number().int().min(0).nullable().default(null),
  /** Finish the jobs in hand, take no new ones, then stop. */
  finishThenStop: z.boolean().default(false),
  idleOnly: z.boolean().default(false),
  idleMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .default(10),
  /** Take no new job while other programs use more than this share of the CPU (100: no limit). */
  maxSystemLoadPercent: z.number().min(0).max(100).default(100),
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

/** The owner's hard limits on top of the policy's shares. */
export const WorkerLimits = z.object({
  cpus: z.number().positive().max(1024).optional(),
  memoryBytes: z.number().int().positive().optional(),
  /** GPU indexes the worker may use; all when omitted, none when empty. */
  gpus: z.array(z.number().int().min(0).max(63)).max(64).optional(),
});
export type WorkerLimits = z.infer<typeof WorkerLimits>;

/** This machine's worker settings, kept in the local settings file (they are the owner's, not the lab's). */
export const WorkerSettings = z.object({
  policy: DonationPolicy.default(DonationPolicy.parse({})),
  limits: WorkerLimits.default({}),
  /** The database to donate to when the app starts; null: donation is off. */
  donateTo: z.string().nullable().default(null),
});
export type WorkerSettings = z.infer<typeof WorkerSettings>;

/** The worker of this process: what it does now and why, in one line. */
export const WorkerStatus = z.object({
  running: z.boolean(),
  workerId: z.string().nullable(),
  state: z.enum(['ready', 'working', 'waiting', 'paused', 'stopping', 'stopped']),
  reason: z.string(),
  runningJobs: z.number(),
});
export type WorkerStatus = z.infer<typeof WorkerStatus>;

/** A registered worker as the lab sees it (the `~joinery_worker` registry). */
export const WorkerInfo = z.object({
  worker_id: z.string(),
  hostname: z.string(),
  owner: z.string(),
  version: z.string(),
  hardware: HardwareProfile,
  labels: z.record(z.string(), z.union([z.string(), z.literal(true)])),
  policy: DonationPolicy,
  state: z.string(),
  reason: z.string(),
  running_jobs: z.number(),
  started_at: z.string(),
  heartbeat_at: z.string(),
  /** Seconds since the last heartbeat by the database's clock when listed (the browser's clock and zone may differ). */
  heartbeat_age_s: z.number(),
  online: z.boolean(),
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

/** Input of workers.start: donate this machine to an open connection. */
export const WorkerStartInput = z
  .object({
    connectionId: z.string().min(1),
    policy: DonationPolicy.optional(),
    limits: WorkerLimits.optional(),
    /** Remember the choice, so the desktop app starts donating on its next start. */
    remember: z.boolean().default(true),
  })
  .strict();
