/**
 * Durable timers on an ExecutionStore (TimerServiceV2). Every timer lives in the store;
 * only timers due within a near horizon (a minute by default) hold an in-memory
 * setTimeout, and a periodic scan of the store's due-time index arms the next ones. A
 * one-year Wait costs a stored record and nothing in memory until its last minute, and
 * after a restart `start` arms what is due with the time that remains (past-due timers
 * fire at once).
 */
import type { Clock } from "../ports/clock.js";
import { StoreCorruptionError, type ExecutionStore, type TimerRecord } from "../ports/execution-store.js";
import type { TimerHandler, TimerServiceV2 } from "../ports/timer-service-v2.js";

/** How DurableTimers waits: the global timers by default; tests pass a manual one. */
export interface TimerScheduler {
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DurableTimersOptions {
  readonly store: Pick<ExecutionStore, "updateTimers" | "timersDue">;
  readonly clock: Clock;
  /** Timers due within this many ms of now hold an in-memory timer. Default 60 s. */
  readonly horizonMs?: number;
  /** How often the store is scanned for timers entering the horizon. Default: half the horizon. */
  readonly scanIntervalMs?: number;
  readonly scheduler?: TimerScheduler;
  /**
   * Told when a handler or an acknowledgement fails (with the timer, which stays and fires
   * again at a later scan), when a scan fails, and when a corrupted timer record is dropped.
   */
  readonly onError?: (error: unknown, timer?: TimerRecord) => void;
}

const SCAN_PAGE = 1000;
/** Corrupted timer records one scan drops before it gives up (and reports the next). */
const MAX_DROPS_PER_SCAN = 100;

const globalScheduler: TimerScheduler = {
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Armed {
  readonly timer: TimerRecord;
  readonly handle: unknown;
}

export class DurableTimers implements TimerServiceV2 {
  private readonly store: DurableTimersOptions["store"];
  private readonly clock: Clock;
  private readonly scheduler: TimerScheduler;
  private readonly horizonMs: number;
  private readonly scanIntervalMs: number;
  private readonly onError: (error: unknown, timer?: TimerRecord) => void;
  private readonly armed = new Map<string, Armed>();
  /** Timers whose handler (and acknowledgement) runs, by id: their due time. */
  private readonly firing = new Map<string, number>();
  /** When this process last set or cancelled each id (a scan that read before must not re-arm it). */
  private readonly touched = new Map<string, number>();
  private readonly work = new Set<Promise<void>>();
  private handler: TimerHandler | undefined;
  private scanning: Promise<void> | undefined;
  private scanHandle: unknown;
  private seq = 0;
  private closed = false;

  constructor(options: DurableTimersOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.scheduler = options.scheduler ?? globalScheduler;
    this.horizonMs = options.horizonMs ?? 60_000;
    this.scanIntervalMs = options.scanIntervalMs ?? this.horizonMs / 2;
    // A timer must be armed by a scan before it is due: scans come at least once per horizon.
    if (!(this.scanIntervalMs > 0 && this.scanIntervalMs <= this.horizonMs)) throw new RangeError("scanIntervalMs must be positive and at most horizonMs");
    this.onError = options.onError ?? ((error, timer) => console.error(timer ? `timer ${timer.timerId} failed` : "durable timers", error));
  }

  async start(onFire: TimerHandler): Promise<void> {
    if (this.handler) throw new Error("DurableTimers.start was already called");
    this.handler = onFire;
    await this.scan();
  }

  async schedule(timer: TimerRecord): Promise<void> {
    await this.store.updateTimers({ set: [timer] });
    this.committed({ set: [timer] });
  }

  async cancel(timerId: string): Promise<void> {
    // Disarm first: a timer must not fire while its cancellation is being written.
    this.committed({ cancel: [timerId] });
    await this.store.updateTimers({ cancel: [timerId] });
  }

  committed(changes: { readonly set?: readonly TimerRecord[]; readonly cancel?: readonly string[] }): void {
    for (const id of changes.cancel ?? []) {
      this.touch(id);
      this.disarm(id);
    }
    for (const timer of changes.set ?? []) {
      this.touch(timer.timerId);
      if (timer.dueAt <= this.clock.now() + this.horizonMs) this.arm(timer);
      else this.disarm(timer.timerId);
    }
  }

  /** Timers holding an in-memory timer now (the rest wait in the store). */
  get armedCount(): number {
    return this.armed.size;
  }

  /** Resolves once no scan, handler or acknowledgement is in flight. */
  async idle(): Promise<void> {
    while (this.scanning || this.work.size > 0) await Promise.allSettled([this.scanning, ...this.work]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.clearTimeout(this.scanHandle);
    for (const id of [...this.armed.keys()]) this.disarm(id);
    await this.idle();
  }

  private touch(timerId: string): void {
    this.touched.set(timerId, ++this.seq);
  }

  /** Arms every stored timer due within the horizon, then sleeps until the next scan. */
  private scan(): Promise<void> {
    this.scanning ??= this.scanStore().finally(() => {
      this.scanning = undefined;
      if (!this.closed) this.scanHandle = this.scheduler.setTimeout(() => void this.scan().catch((e: unknown) => this.onError(e)), this.scanIntervalMs);
    });
    return this.scanning;
  }

  private async scanStore(): Promise<void> {
    this.scheduler.clearTimeout(this.scanHandle);
    const startedAt = this.seq;
    const until = this.clock.now() + this.horizonMs;
    let cursor: string | undefined;
    let dropped = 0;
    while (!this.closed) {
      let page: Awaited<ReturnType<ExecutionStore["timersDue"]>>;
      try {
        page = await this.store.timersDue(until, cursor === undefined ? { limit: SCAN_PAGE } : { limit: SCAN_PAGE, cursor });
      } catch (error) {
        // A timer record that cannot be read would stop every later timer: report it, drop it, go on.
        if (!(error instanceof StoreCorruptionError) || error.record.kind !== "timer" || ++dropped > MAX_DROPS_PER_SCAN) throw error;
        this.onError(error);
        await this.store.updateTimers({ cancel: [error.record.key] });
        continue;
      }
      for (const timer of page.items) if ((this.touched.get(timer.timerId) ?? 0) <= startedAt) this.arm(timer);
      if ((cursor = page.cursor) === undefined) break;
    }
    for (const [id, at] of this.touched) if (at <= startedAt) this.touched.delete(id);
  }

  private arm(timer: TimerRecord): void {
    const id = timer.timerId;
    if (this.closed || !this.handler || this.firing.get(id) === timer.dueAt) return;
    if (this.armed.get(id)?.timer.dueAt === timer.dueAt) return;
    this.disarm(id);
    const wait = Math.max(0, timer.dueAt - this.clock.now());
    this.armed.set(id, { timer, handle: this.scheduler.setTimeout(() => this.due(id), wait) });
  }

  private disarm(timerId: string): void {
    const armed = this.armed.get(timerId);
    if (armed) this.scheduler.clearTimeout(armed.handle);
    this.armed.delete(timerId);
  }

  private due(timerId: string): void {
    const armed = this.armed.get(timerId);
    if (!armed) return;
    this.armed.delete(timerId);
    // The clock may lag the scheduler (or have been set back): wait for the rest.
    if (armed.timer.dueAt > this.clock.now()) return this.arm(armed.timer);
    const run = this.fire(armed.timer).finally(() => this.work.delete(run));
    this.work.add(run);
  }

  private async fire(timer: TimerRecord): Promise<void> {
    const { timerId, dueAt } = timer;
    this.firing.set(timerId, dueAt);
    try {
      await (this.handler as TimerHandler)(timer);
      // Removed only while still due then: the handler may have set the same id again.
      await this.store.updateTimers({ acknowledge: [{ timerId, dueAt }] });
    } catch (error) {
      this.onError(error, timer);
    } finally {
      if (this.firing.get(timerId) === dueAt) this.firing.delete(timerId);
    }
  }
}
