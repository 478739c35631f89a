/** A FIFO mutex for async work: one holder at a time, waiters served in arrival order. */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; resolves with the release function. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }

  /** Runs `work` while holding the lock. */
  async run<T>(work: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
