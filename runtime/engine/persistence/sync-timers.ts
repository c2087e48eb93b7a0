/**
 * Durable executions' timers on virtual time: the engine's VirtualTimers fire them, and the
 * handler runs at once, inside the engine's idle step (InProcessTimers defers it to a
 * microtask, which would let virtual time skip past the work the timer starts). The timer
 * records are in the store all the same (each commit writes them), so a restart finds them.
 */
import type { TimerRecord } from "../../ports/execution-store.js";
import type { TimerService } from "../../ports/timer-service.js";
import type { TimerHandler, TimerServiceV2 } from "../../ports/timer-service-v2.js";

export class SyncTimers implements TimerServiceV2 {
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
    for (const id of changes.cancel ?? []) this.timers.cancel(id);
    // A timer its handler could not apply is armed again by whoever reloads its execution.
    for (const timer of changes.set ?? []) this.timers.schedule(timer.timerId, timer.dueAt, () => void Promise.resolve(this.handler?.(timer)).catch(() => {}));
  }

  /** The engine closes the virtual timers themselves. */
  async close(): Promise<void> {
    this.handler = undefined;
  }
}
