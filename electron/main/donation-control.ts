import type { In, MethodName, Out } from '../../shared/api/contract';

/** Calls the core in-process as the desktop host; rejects with the core's message on failure. */
export type CoreCall = <M extends MethodName>(method: M, input: In<M>) => Promise<Out<M>>;

interface Deps {
  call: CoreCall;
  /** Runs `fn` after `ms`; returns a cancel function (setTimeout in the app, a fake clock in tests). */
  later(fn: () => void, ms: number): () => void;
}

/**
 * The tray's quick actions on this machine's donation: pause for a while (and resume by itself),
 * resume, and stop after the jobs in hand. They change the same saved policy as the Workers screen.
 */
export class DonationControl {
  private cancelResume: (() => void) | null = null;
  constructor(private readonly deps: Deps) {}

  /** Pauses now and resumes after `ms`, unless the owner resumed or paused again meanwhile. */
  async pauseFor(ms: number): Promise<void> {
    await this.setPaused(true);
    this.cancelResume?.();
    this.cancelResume = this.deps.later(() => {
      this.cancelResume = null;
      void this.setPaused(false);
    }, ms);
  }

  /** Takes jobs again at once. */
  async resume(): Promise<void> {
    this.cancelResume?.();
    this.cancelResume = null;
    await this.setPaused(false);
  }

  /** Finishes the jobs in hand, takes no new ones, then stops donating (remembered). */
  async stopAfterCurrentJobs(): Promise<void> {
    this.cancelResume?.();
    this.cancelResume = null;
    await this.deps.call('workers.stop', { mode: 'finish' });
  }

  /** True while a timed pause waits to end. */
  get isTimedPause(): boolean {
    return this.cancelResume !== null;
  }

  private async setPaused(paused: boolean): Promise<void> {
    const { policy } = await this.deps.call('workers.settings', {});
    if (policy.paused !== paused) await this.deps.call('workers.setPolicy', { policy: { ...policy, paused } });
  }
}
