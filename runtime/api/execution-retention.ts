/**
 * Retention: finished executions are kept for a period (AWS keeps them 90 days) and then
 * removed, from the store and from the engine's memory, by a sweep that runs at start and
 * then periodically, on the engine's clock. (Finished executions leave the engine's memory
 * long before that: a durable engine lets go of each once its end is stored, and the API
 * reads it from the store from then on.)
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (execution history retention)
 */
import type { Logger } from "pino";
import type { Engine } from "../engine/engine.js";
import type { ExecutionStore } from "../ports/execution-store.js";

/** AWS keeps a finished execution for 90 days. */
export const DEFAULT_RETENTION_MS = 90 * 24 * 3600 * 1000;
const DEFAULT_SWEEP_EVERY_MS = 3600 * 1000;

export interface RetentionOptions {
  /** How long finished executions are kept (DEFAULT_RETENTION_MS unless given). */
  readonly retentionMs?: number;
  /** How often the sweep runs (hourly unless given); the first runs at start. */
  readonly sweepEveryMs?: number;
}

export class ExecutionRetention {
  private readonly retentionMs: number;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  private closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly store: ExecutionStore | undefined,
    private readonly options: RetentionOptions = {},
    private readonly log?: Logger,
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  /** Runs the first sweep now and then one every `sweepEveryMs`. */
  start(): void {
    const every = this.options.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS;
    const tick = (delay: number): void => {
      if (this.closed) return;
      this.timer = setTimeout(() => {
        void this.sweep().catch((err: unknown) => this.log?.error({ err }, "retention sweep failed"));
        tick(every);
      }, delay);
      this.timer.unref();
    };
    tick(0);
  }

  /**
   * Removes what finished before `now - retention` from the store and from the engine's
   * memory; resolves with how many executions the store removed. Tests call it with a time
   * of their choosing; a sweep already running is joined.
   */
  sweep(now: number = this.engine.clock.now()): Promise<number> {
    this.sweeping ??= this.sweepAt(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Stops the sweeps; waits for one in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  private async sweepAt(now: number): Promise<number> {
    const cutoff = now - this.retentionMs;
    const removed = this.store ? await this.store.removeFinishedBefore(cutoff) : 0;
    // A map run's child executions go with their parent.
    for (const run of [...this.engine.executions()]) {
      if (run.status !== "RUNNING" && run.info.mapRunArn === undefined && (run.stopDate ?? now) < cutoff) this.engine.forget(run);
    }
    if (removed > 0) this.log?.info({ removed, finishedBefore: new Date(cutoff).toISOString() }, "retention removed finished executions");
    return removed;
  }
}
