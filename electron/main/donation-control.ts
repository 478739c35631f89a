import type { In, MethodName, Out } from '../../shared/api/contract';
import type { DonationPolicy } from '../../shared/api/schemas/worker';

/** Calls the core in-process as the desktop host; rejects with the core's message on failure. */
export type CoreCall = <M extends MethodName>(method: M, input: In<M>) => Promise<Out<M>>;

interface Deps {
  call: CoreCall;
  /** Runs `fn` after `ms`; returns a cancel function (setTimeout in the app, a fake clock in tests). */
  later(fn: () => void, ms: number): () => void;
  /** ms since 1970 (Date.now in the app). */
  now?: () => number;
}

/**
 * The tray's quick actions on this machine's donation: pause for a while (and resume by itself),
 * resume, and stop after the jobs in hand. They change the same saved policy as the Workers screen.
 * A timed pause is saved with its end (`pausedUntil`), so a restart keeps it: the worker honours
 * the end by itself, and {@link restore} sets the timer again that clears the saved pause.
 */
export class DonationControl {
  private cancelResume: (() => void) | null = null;
  constructor(private readonly deps: Deps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Pauses now and resumes after `ms`, unless the owner resumed or paused again meanwhile. */
  async pauseFor(ms: number): Promise<void> {
    const until = this.now() + ms;
    await this.save({ paused: true, pausedUntil: until });
    this.resumeAt(until);
  }

  /** After a start: a saved timed pause gets its timer again, or ends now when its time has passed. */
  async restore(): Promise<void> {
    const { policy } = await this.deps.call('workers.settings', {});
    if (!policy.paused || policy.pausedUntil === null) return;
    if (policy.pausedUntil <= this.now()) await this.save({ paused: false, pausedUntil: null });
    else this.resumeAt(policy.pausedUntil);
  }

  /** Takes jobs again at once. */
  async resume(): Promise<void> {
    this.clearTimer();
    await this.save({ paused: false, pausedUntil: null });
  }

  /** Finishes the jobs in hand, takes no new ones, then stops donating (remembered). */
  async stopAfterCurrentJobs(): Promise<void> {
    this.clearTimer();
    await this.deps.call('workers.stop', { mode: 'finish' });
  }

  /** True while a timed pause waits to end. */
  get isTimedPause(): boolean {
    return this.cancelResume !== null;
  }

  private resumeAt(until: number): void {
    this.clearTimer();
    this.cancelResume = this.deps.later(
      () => {
        this.cancelResume = null;
        void this.endPause(until);
      },
      Math.max(0, until - this.now()),
    );
  }

  /** Ends the timed pause that was set to end at `until`, unless the owner changed the pause meanwhile. */
  private async endPause(until: number): Promise<void> {
    const { policy } = await this.deps.call('workers.settings', {});
    if (policy.paused && policy.pausedUntil === until) await this.save({ paused: false, pausedUntil: null });
  }

  private clearTimer(): void {
    this.cancelResume?.();
    this.cancelResume = null;
  }

  private async save(change: Pick<DonationPolicy, 'paused' | 'pausedUntil'>): Promise<void> {
    const { policy } = await this.deps.call('workers.settings', {});
    if (policy.paused !== change.paused || policy.pausedUntil !== change.pausedUntil)
      await this.deps.call('workers.setPolicy', { policy: { ...policy, ...change } });
  }
}
