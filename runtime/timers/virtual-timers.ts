import type { VirtualClock } from "../clock/virtual-clock.js";
import type { TimerService } from "../ports/timer-service.js";

interface Pending {
  readonly dueAt: number;
  readonly order: number;
  readonly fire: () => void;
}

/** Timers on a VirtualClock: nothing fires until the engine calls `fireNext` when idle. */
export class VirtualTimers implements TimerService {
  private readonly pending = new Map<string, Pending>();
  private order = 0;
  constructor(private readonly clock: VirtualClock) {}

  schedule(timerId: string, dueAt: number, fire: () => void): void {
    this.pending.set(timerId, { dueAt, order: this.order++, fire });
  }

  cancel(timerId: string): void {
    this.pending.delete(timerId);
  }

  close(): void {
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Moves the clock on by `ms` and fires every timer due by then; false if none was. */
  advanceBy(ms: number): boolean {
    this.clock.advanceTo(this.clock.now() + ms);
    return this.fireDue();
  }

  /** Moves the clock to the earliest timer and fires every timer due by then; false if none. */
  fireNext(): boolean {
    let first: [string, Pending] | undefined;
    for (const entry of this.pending) {
      const [, p] = entry;
      if (!first || p.dueAt < first[1].dueAt || (p.dueAt === first[1].dueAt && p.order < first[1].order)) first = entry;
    }
    if (!first) return false;
    this.clock.advanceTo(first[1].dueAt);
    return this.fireDue();
  }

  private fireDue(): boolean {
    const now = this.clock.now();
    const due = [...this.pending].filter(([, p]) => p.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt || a[1].order - b[1].order);
    for (const [id, p] of due) {
      this.pending.delete(id);
      p.fire();
    }
    return due.length > 0;
  }
}
