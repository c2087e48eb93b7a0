/**
 * Timers as data: version 2 of the TimerService port (timer-service.ts is version 1).
 *
 * Version 1 hands each timer a callback, which cannot outlive the process. Here a timer is
 * a record (id, due time, payload) and every due timer goes to the one handler given to
 * `start`, after a restart too; `schedule` and `cancel` are async because a durable
 * implementation persists them before it acts.
 *
 * Delivery is at least once: a timer leaves the service once its handler's promise has
 * resolved, so a timer whose handler did not finish before a crash fires again after the
 * restart (with its remaining time, or at once when past due). Handlers are idempotent:
 * the engine ignores `timer.fired` for a timer its actor no longer waits on.
 */
import type { TimerRecord } from "./execution-store.js";

export type { TimerRecord };

/** Receives each due timer. A rejected promise leaves the timer in place to fire again later. */
export type TimerHandler = (timer: TimerRecord) => void | Promise<void>;

export interface TimerServiceV2 {
  /** Starts delivering due timers to `onFire`, past-due ones at once. Called once. */
  start(onFire: TimerHandler): Promise<void>;
  /** Sets a timer (persisting it first when the service is durable); the same id replaces it. */
  schedule(timer: TimerRecord): Promise<void>;
  /** Removes a timer; an unknown id is a no-op. */
  cancel(timerId: string): Promise<void>;
  /**
   * Timers the caller has already written with its own store commit (ExecutionChange.timers,
   * atomically with its snapshot): the service only arms or disarms them.
   */
  committed(changes: { readonly set?: readonly TimerRecord[]; readonly cancel?: readonly string[] }): void;
  /** Stops delivering (engine shutdown); persisted timers stay for the next start. */
  close(): Promise<void>;
}
