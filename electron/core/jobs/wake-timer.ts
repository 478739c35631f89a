/** A sleep that another part of the worker can cut short (new work arrived, the worker stops). */
export class WakeTimer {
  private wakeUp: (() => void) | null = null;

  /** Resolves after `ms`, or at once when {@link wake} is called meanwhile. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  /** Ends the current sleep, if any. */
  wake(): void {
    this.wakeUp?.();
  }
}
