/**
 * TimerServiceV2 over a version-1 TimerService (SystemTimers, VirtualTimers): timers that
 * live and die with the process, for `aslan run`, Express executions and tests. Nothing
 * is persisted, so `committed` and `schedule` do the same thing.
 */
import type { TimerRecord } from "../ports/execution-store.js";
import type { TimerService } from "../ports/timer-service.js";
import type { TimerHandler, TimerServiceV2 } from "../ports/timer-service-v2.js";

export class InProcessTimers implements TimerServiceV2 {
  private readonly pending = new Map<string, TimerRecord>();
  private handler: TimerHandler | undefined;

  constructor(private readonly timers: TimerService) {}

  async start(onFire: TimerHandler): Promise<void> {
    this.handler = onFire;
  }

  async schedule(timer: TimerRecord): Promise<void> {
    this.committed({ set: [timer] });
  }

  async cancel(timerId: string): Promise<void> {
    this.committed({ cancel: [timerId] });
  }

  committed(changes: { readonly set?: readonly TimerRecord[]; readonly cancel?: readonly string[] }): void {
    for (const id of changes.cancel ?? []) {
      this.pending.delete(id);
      this.timers.cancel(id);
    }
    for (const timer of changes.set ?? []) {
      this.pending.set(timer.timerId, timer);
      this.timers.schedule(timer.timerId, timer.dueAt, () => this.fire(timer));
    }
  }

  /** The earliest due time of a pending timer (drives a VirtualClock in tests). */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.pending.values()) if (next === undefined || t.dueAt < next) next = t.dueAt;
    return next;
  }

  async close(): Promise<void> {
    this.pending.clear();
    this.timers.close();
  }

  private fire(timer: TimerRecord): void {
    if (this.pending.get(timer.timerId) !== timer) return;
    this.pending.delete(timer.timerId);
    // In-process timers are not redelivered: a failing handler's error is reported, not retried.
    void Promise.resolve()
      .then(() => this.handler?.(timer))
      .catch((error: unknown) => console.error(`timer ${timer.timerId} failed`, error));
  }
}
