import type { Clock } from "../ports/clock.js";
import type { TimerService } from "../ports/timer-service.js";

/** setTimeout caps delays at 2^31-1 ms (~24.8 days); longer timers re-arm in steps. */
const MAX_STEP_MS = 2_147_483_647;

/** In-process timers on the real clock. */
export class SystemTimers implements TimerService {
  private readonly handles = new Map<string, NodeJS.Timeout>();
  constructor(private readonly clock: Clock) {}

  schedule(timerId: string, dueAt: number, fire: () => void): void {
    this.cancel(timerId);
    const arm = (): void => {
      const wait = dueAt - this.clock.now();
      const handle = setTimeout(() => {
        if (dueAt > this.clock.now()) return arm();
        this.handles.delete(timerId);
        fire();
      }, Math.max(0, Math.min(wait, MAX_STEP_MS)));
      this.handles.set(timerId, handle);
    };
    arm();
  }

  cancel(timerId: string): void {
    const h = this.handles.get(timerId);
    if (h) clearTimeout(h);
    this.handles.delete(timerId);
  }

  close(): void {
    for (const h of this.handles.values()) clearTimeout(h);
    this.handles.clear();
  }
}
