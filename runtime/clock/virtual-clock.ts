import type { Clock } from "../ports/clock.js";

/**
 * A clock that only moves when told to: the engine advances it to the next timer whenever
 * nothing else can make progress, so Waits, retry backoff and timeouts take no real time
 * while the history keeps the times they would have had.
 */
export class VirtualClock implements Clock {
  private current: number;
  constructor(start: number = Date.now()) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  advanceTo(ms: number): void {
    if (ms > this.current) this.current = ms;
  }
}
