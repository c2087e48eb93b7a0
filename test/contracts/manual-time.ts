/**
 * A clock and a timer scheduler that move only when a test says so (STYLE.md 6): tests
 * skip time instead of sleeping, and know exactly when each timer ran.
 */
import type { Clock } from "../../runtime/ports/clock.js";
import type { TimerScheduler } from "../../runtime/timers/durable-timers.js";

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly fire: () => void;
}

export class ManualTime implements Clock, TimerScheduler {
  private current: number;
  private order = 0;
  private readonly queue = new Map<number, Scheduled>();

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fire: () => void, ms: number): unknown {
    const id = ++this.order;
    this.queue.set(id, { at: this.current + Math.max(0, ms), order: id, fire });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }

  /** Scheduled callbacks not run yet. */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Moves time forward by `ms`, running each callback at its time in order and awaiting
   * `settle` (the async work it started) after each.
   */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = [...this.queue].filter(([, s]) => s.at <= target).sort(([, a], [, b]) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.queue.delete(next[0]);
      this.current = Math.max(this.current, next[1].at);
      next[1].fire();
      await settle();
    }
    this.current = target;
  }

  /** Moves the clock without running anything (the machine was suspended, or the process down). */
  jump(ms: number): void {
    this.current += ms;
  }
}
