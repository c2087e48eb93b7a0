/**
 * How `aslan run` tells an execution that is simply waiting from one that nothing in the
 * process can move on.
 *
 * The signal is Node's `beforeExit`: it comes when the event loop has nothing left, so no
 * task function is at work (its I/O or timers would hold the loop) and no in-memory timer
 * is pending. Durable timers (`--data-dir`) do not hold the loop (`runDurableTimers`): when
 * it empties, the stored timers say whether the execution waits for one due soon (then the
 * process stays for it) or not (then `aslan run` stops, leaving the execution RUNNING in the
 * store for `aslan serve --data-dir`). With virtual time, every timer that could fire has
 * fired by then, so an empty loop means stuck at once.
 */
import type { Clock } from "../ports/clock.js";
import type { ExecutionResult } from "../engine/engine.js";
import { TimerNotApplied } from "../engine/persistence/durable-runs.js";
import type { ExecutionStore, TimerRecord } from "../ports/execution-store.js";
import { DurableTimers, type TimerScheduler } from "../timers/durable-timers.js";

/**
 * `aslan run` waits in real time for a stored timer due within this long (a Wait, a Retry
 * interval, a TimeoutSeconds); a later one leaves the execution RUNNING in the store.
 */
export const RUN_TIMER_WAIT_MS = 60_000;

/** Durable timers on unref'd Node timers: a pending one does not keep `aslan run` alive by itself. */
const unrefScheduler: TimerScheduler = {
  setTimeout: (fire, ms) => setTimeout(fire, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * With --data-dir in real time (`store` given): the engine's durable timers, on unref'd Node
 * timers. Their errors are reported as the engine reports those of its own durable timers.
 */
export function runDurableTimers(store: ExecutionStore | undefined, clock: Clock): { durableTimers?: DurableTimers } {
  if (!store) return {};
  return {
    durableTimers: new DurableTimers({
      store, clock, scheduler: unrefScheduler,
      onError: (err, timer) => {
        if (!(err instanceof TimerNotApplied)) process.stderr.write(`aslan: durable timer ${timer?.timerId ?? ""} failed: ${(err as Error).message}\n`);
      },
    }),
  };
}

export interface StuckWatch {
  /** The stored timers still pending, soonest first (none without a store). */
  readonly pendingTimers: () => Promise<readonly TimerRecord[]>;
  readonly now: () => number;
  /** A pending timer due within this many ms is waited for; undefined: none is (virtual time). */
  readonly timerWaitMs: number | undefined;
}

/** What `aslan run` watches: the store's timers (at most the first 100 are described). */
export function stuckWatch(clock: Clock, store: ExecutionStore | undefined, virtualTime: boolean): StuckWatch {
  return {
    pendingTimers: async () => (store ? (await store.timersDue(Number.MAX_SAFE_INTEGER, { limit: 100 })).items : []),
    now: () => clock.now(),
    timerWaitMs: virtualTime ? undefined : RUN_TIMER_WAIT_MS,
  };
}

/** `aslan run`'s message on stderr for an execution it stops waiting on. */
export function stuckMessage(waits: readonly string[], context: { readonly timers: boolean; readonly virtualTime: boolean; readonly dataDir: string | undefined }): string {
  const what = waits.length > 0 ? waits.map((w) => `\n  ${w}`).join("") : "\n  (nothing it waits for is known)";
  const rule = context.timers && !context.virtualTime ? `\naslan run waits only for timers due within ${RUN_TIMER_WAIT_MS / 1000} s (--virtual-time skips them).` : "";
  const next = context.dataDir !== undefined
    ? `It stays RUNNING in the store: aslan serve --data-dir ${context.dataDir} continues it (give it the same --functions and --config).`
    : "It was not stored: with --data-dir, aslan serve --data-dir could continue it.";
  return `aslan: the execution is still RUNNING and nothing in this process moves it on soon; it waits for:${what}${rule}\n${next}\n`;
}

/** The execution is still RUNNING and this process will not move it on. */
export interface Stuck {
  readonly stuck: true;
  /** Its pending timers, soonest first. */
  readonly timers: readonly TimerRecord[];
}

/** A margin after a timer's due time, so its (unref'd) timer fires before the keep-alive ends. */
const AFTER_DUE_MS = 50;
/** Holds the process while the stored timers are read. */
const HOLD_MS = 60_000;

/** Waits for `done`, or for the event loop to empty with no timer due soon (see the module comment). */
export function untilDoneOrStuck(done: Promise<ExecutionResult>, watch: StuckWatch): Promise<ExecutionResult | Stuck> {
  return new Promise((resolve, reject) => {
    let keepAlive: NodeJS.Timeout | undefined;
    let checking = false;
    let over = false;
    const end = (): void => {
      over = true;
      clearTimeout(keepAlive);
      process.off("beforeExit", onIdle);
    };
    const decide = (timers: readonly TimerRecord[]): void => {
      checking = false;
      clearTimeout(keepAlive);
      if (over) return;
      const next = timers[0];
      const wait = next === undefined || watch.timerWaitMs === undefined ? undefined : next.dueAt - watch.now();
      // Simply waiting: stay alive until the timer has fired (an idle loop asks again after it).
      if (wait !== undefined && wait <= (watch.timerWaitMs ?? 0)) keepAlive = setTimeout(() => {}, Math.max(0, wait) + AFTER_DUE_MS);
      else {
        end();
        resolve({ stuck: true, timers });
      }
    };
    function onIdle(): void {
      if (checking || over) return;
      checking = true;
      keepAlive = setTimeout(() => {}, HOLD_MS);
      watch.pendingTimers().then(decide, (e: unknown) => {
        end();
        reject(e instanceof Error ? e : new Error(String(e)));
      });
    }
    process.on("beforeExit", onIdle);
    done.then((result) => {
      end();
      resolve(result);
    }, (e: unknown) => {
      end();
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}

