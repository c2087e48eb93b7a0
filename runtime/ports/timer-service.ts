/**
 * Timers for Wait states, retry backoff, task timeouts and heartbeats. Setting a timer id
 * that is already set replaces it.
 */
export interface TimerService {
  schedule(timerId: string, dueAt: number, fire: () => void): void;
  cancel(timerId: string): void;
  /** Stops every timer (engine shutdown). */
  close(): void;
}
