import { DonationPolicy, type TimeWindow } from '../../../shared/api/schemas/worker';

/** Task classes an owner may refuse (the worker derives them from what each task asks for). */
export const TASK_CLASSES = [
  { label: 'network', text: 'Network access' },
  { label: 'root', text: 'Running as root' },
  { label: 'gpu', text: 'A GPU' },
] as const;

/** The policy form as typed: numbers stay text until saved, so a half-typed value is not lost. */
export interface PolicyDraft {
  paused: boolean;
  finishThenStop: boolean;
  idleOnly: boolean;
  idleMinutes: string;
  maxSystemLoadPercent: string;
  cpuPercent: string;
  memoryPercent: string;
  /** Empty: every GPU of the machine. */
  maxGpus: string;
  onOwnerReturn: DonationPolicy['onOwnerReturn'];
  windows: TimeWindow[];
  refuseLabels: string[];
}

/** The fields a draft error can be about (window errors are `windows.<index>`). */
export type PolicyErrors = Partial<Record<string, string>>;

/** A saved policy as a draft. */
export function toDraft(p: DonationPolicy): PolicyDraft {
  return {
    paused: p.paused,
    finishThenStop: p.finishThenStop,
    idleOnly: p.idleOnly,
    idleMinutes: String(p.idleMinutes),
    maxSystemLoadPercent: String(p.maxSystemLoadPercent),
    cpuPercent: String(Math.round(p.maxCpuShare * 100)),
    memoryPercent: String(Math.round(p.maxMemoryShare * 100)),
    maxGpus: p.maxGpus === null ? '' : String(p.maxGpus),
    onOwnerReturn: p.onOwnerReturn,
    windows: p.windows.map((w) => ({ ...w, days: [...w.days] })),
    refuseLabels: [...p.refuseLabels],
  };
}

function numberIn(text: string, min: number, max: number, integer: boolean): number | null {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return null;
  const n = Number(text);
  if (n < min || n > max || (integer && !Number.isInteger(n))) return null;
  return n;
}

/** The policy a draft stands for, or an error per field saying what is allowed. */
export function fromDraft(
  d: PolicyDraft,
): { policy: DonationPolicy; errors: null } | { policy: null; errors: PolicyErrors } {
  const errors: PolicyErrors = {};
  const idleMinutes = numberIn(d.idleMinutes, 0, 1440, false);
  if (idleMinutes === null) errors.idleMinutes = 'Minutes from 0 to 1440.';
  const load = numberIn(d.maxSystemLoadPercent, 0, 100, false);
  if (load === null) errors.maxSystemLoadPercent = 'A percentage from 0 to 100 (100: no limit).';
  const cpu = numberIn(d.cpuPercent, 0, 100, false);
  if (cpu === null) errors.cpuPercent = 'A percentage from 0 to 100.';
  const memory = numberIn(d.memoryPercent, 0, 100, false);
  if (memory === null) errors.memoryPercent = 'A percentage from 0 to 100.';
  const gpus = d.maxGpus.trim() === '' ? null : numberIn(d.maxGpus, 0, 64, true);
  if (d.maxGpus.trim() !== '' && gpus === null) errors.maxGpus = 'A whole number from 0 to 64, or empty for all.';
  d.windows.forEach((w, i) => {
    if (w.days.length === 0) errors[`windows.${i}`] = 'Pick at least one day.';
    else if (!/^\d\d:\d\d$/.test(w.start) || !/^\d\d:\d\d$/.test(w.end)) errors[`windows.${i}`] = 'Times as HH:MM.';
  });
  if (Object.keys(errors).length) return { policy: null, errors };
  const parsed = DonationPolicy.safeParse({
    paused: d.paused,
    finishThenStop: d.finishThenStop,
    idleOnly: d.idleOnly,
    idleMinutes,
    maxSystemLoadPercent: load,
    maxCpuShare: cpu! / 100,
    maxMemoryShare: memory! / 100,
    maxGpus: gpus,
    onOwnerReturn: d.onOwnerReturn,
    windows: d.windows,
    refuseLabels: d.refuseLabels,
  });
  if (!parsed.success)
    return {
      policy: null,
      errors: { form: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
    };
  return { policy: parsed.data, errors: null };
}

/** Adds or removes one refused task class. */
export function toggleRefused(labels: readonly string[], label: string, refuse: boolean): string[] {
  const rest = labels.filter((l) => l !== label);
  return refuse ? [...rest, label] : rest;
}
