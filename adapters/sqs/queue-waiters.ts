/**
 * The long polls waiting on one queue of a shared store. They are told of every change
 * that may matter as "a message is visible in N ms" (0: now): one visible now ends the
 * waits, one visible later brings their next look forward. `changes` counts the "visible
 * now" news, so a poll that looked at the queue before such news and starts waiting after it
 * looks again at once instead of missing it (news of later visibility, such as a receive by
 * another process, does not count: polls would look again at every receive for nothing).
 */
export class QueueWaiters {
  private readonly waiting = new Set<(visibleInMs: number) => void>();
  private count = 0;

  get changes(): number {
    return this.count;
  }

  /** A message is (or may be) visible in `visibleInMs` (0 or less: now). */
  changed(visibleInMs: number): void {
    if (visibleInMs <= 0) this.count += 1;
    for (const w of [...this.waiting]) w(visibleInMs);
  }

  /** Resolves when told of a message visible now, after `ms` (or sooner, when told of one visible sooner), or when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let wakeAt = Date.now() + ms;
      let timer = setTimeout(() => done(), ms);
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiting.delete(waiter);
        resolve();
      };
      const waiter = (visibleInMs: number): void => {
        if (visibleInMs <= 0) return done();
        if (Date.now() + visibleInMs >= wakeAt) return;
        clearTimeout(timer);
        wakeAt = Date.now() + visibleInMs;
        timer = setTimeout(done, visibleInMs);
      };
      if (signal?.aborted) return done();
      signal?.addEventListener("abort", done, { once: true });
      this.waiting.add(waiter);
    });
  }

  /** Ends every wait (the store closes). */
  wakeAll(): void {
    this.changed(0);
  }
}
