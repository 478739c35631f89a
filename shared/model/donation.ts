import type { DonationPolicy, TimeWindow } from '../api/schemas/worker';

/** The state the policy looks at. */
export interface DonationInputs {
  now: Date;
  /** Seconds since the owner last touched keyboard or mouse; null when the desktop cannot tell. */
  idleSeconds: number | null;
  /** CPU use by everything except this worker's jobs, in percent. */
  otherCpuPercent: number;
  runningJobs: number;
}

/** Whether to take new jobs now, whether the owner is back, and the one line that says why. */
export interface DonationDecision {
  takeNewJobs: boolean;
  /** The owner returned while jobs run: apply `onOwnerReturn` to them. */
  ownerIsBack: boolean;
  reason: string;
}

/** Whether the owner's pause holds at `now` (ms since 1970): a timed pause ends by itself, restart or not. */
export function isPaused(policy: Pick<DonationPolicy, 'paused' | 'pausedUntil'>, now: number): boolean {
  return policy.paused && (policy.pausedUntil === null || policy.pausedUntil === undefined || now < policy.pausedUntil);
}

/**
 * The owner's policy applied to the machine's state. The worker always states `reason` in one
 * line, so the owner can see at a glance why it does or does not work (BOINC's "suspended: user active").
 */
export function decideDonation(policy: DonationPolicy, s: DonationInputs): DonationDecision {
  const no = (reason: string, ownerIsBack = false): DonationDecision => ({ takeNewJobs: false, ownerIsBack, reason });
  if (isPaused(policy, s.now.getTime()))
    return no(
      policy.pausedUntil
        ? `Paused by the owner until ${clockTime(new Date(policy.pausedUntil))}.`
        : 'Paused by the owner.',
    );
  if (policy.finishThenStop)
    return no(
      s.runningJobs
        ? `Finishing ${s.runningJobs} job${s.runningJobs > 1 ? 's' : ''}, then stopping (finish-then-stop).`
        : 'Stopped after finishing its jobs (finish-then-stop).',
    );
  if (policy.windows.length && !inAnyWindow(policy.windows, s.now))
    return no(`Outside the donation hours (${policy.windows.map(describeWindow).join('; ')}).`, s.runningJobs > 0);
  if (policy.idleOnly) {
    if (s.idleSeconds === null)
      return no(
        'Donating only when idle, but this machine cannot tell when it is idle; turn "only when idle" off or run on a desktop session.',
      );
    const needed = policy.idleMinutes * 60;
    if (s.idleSeconds < needed)
      return no(
        `The owner is active (last input ${formatDuration(s.idleSeconds)} ago; waits for ${policy.idleMinutes} min idle).`,
        s.runningJobs > 0,
      );
  }
  if (s.otherCpuPercent > policy.maxSystemLoadPercent)
    return no(
      `Other programs use ${Math.round(s.otherCpuPercent)}% of the CPU (limit ${policy.maxSystemLoadPercent}%).`,
    );
  return {
    takeNewJobs: true,
    ownerIsBack: false,
    reason: s.runningJobs
      ? `Working: ${s.runningJobs} job${s.runningJobs > 1 ? 's' : ''} running, taking more that fit.`
      : 'Ready: taking jobs that fit.',
  };
}

/** True when `now` (local time) falls in one of the windows. */
export function inAnyWindow(windows: readonly TimeWindow[], now: Date): boolean {
  const minutes = now.getHours() * 60 + now.getMinutes();
  const day = now.getDay();
  return windows.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    if (start === end) return w.days.includes(day);
    if (start < end) return w.days.includes(day) && minutes >= start && minutes < end;
    // past midnight: the evening belongs to `day`, the morning to the day before
    return (w.days.includes(day) && minutes >= start) || (w.days.includes((day + 6) % 7) && minutes < end);
  });
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function describeWindow(w: TimeWindow): string {
  return `${w.days.map((d) => DAY_NAMES[d]).join(',')} ${w.start}-${w.end}`;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function formatDuration(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/** `HH:MM` in local time. */
function clockTime(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
