/**
 * The TimerService contract (TimerServiceV2, STYLE.md 13), run against every timer
 * service: in-process ones over SystemTimers and VirtualTimers, and DurableTimers over
 * each ExecutionStore. Durable-only cases (restart, the one-year horizon, redelivery after
 * a failed handler) are skipped, with their reason, for the others.
 */
import { describe, expect, it } from "vitest";
import type { TimerChanges, TimerRecord } from "../../runtime/ports/execution-store.js";
import type { TimerServiceV2 } from "../../runtime/ports/timer-service-v2.js";

export interface Fired {
  readonly timerId: string;
  readonly dueAt: number;
  readonly payload: unknown;
  /** The service's clock when the handler ran. */
  readonly at: number;
}

/** A started service, the clock it runs on, and what it delivered. */
export interface TimerSubject {
  readonly service: TimerServiceV2;
  readonly fired: Fired[];
  /** Runs inside the handler after `fired` is recorded; replace it to fail or reschedule. */
  handle: (timer: TimerRecord) => void | Promise<void>;
  now(): number;
  /** Lets `ms` pass (really or on a manual clock) and the deliveries it causes finish. */
  advance(ms: number): Promise<void>;
  /** Durable services: writes timers to the store as an execution commit would. */
  readonly persist?: (changes: TimerChanges) => Promise<void>;
  /** Durable services: closes the service (and its store) and starts a new one over the same data. */
  readonly restart?: () => Promise<TimerSubject>;
  /** Manual clocks: moves the clock without running anything (the process was down). */
  readonly jump?: (ms: number) => void;
  /** Manual schedulers: in-memory timers waiting (armed timers plus the scan). */
  readonly pendingTimeouts?: () => number;
  /** DurableTimers: timers holding an in-memory timer. */
  readonly armedCount?: () => number;
  /** Durable services: the timers the store still holds. */
  readonly stored?: () => Promise<readonly string[]>;
  /** Durable services: overwrites a stored timer record with bytes that do not decode. */
  readonly corrupt?: (timerId: string) => Promise<void>;
  /** What the service reported through its error hook. */
  readonly errors?: unknown[];
}

export interface TimerHarness {
  readonly name: string;
  create(): Promise<TimerSubject>;
  /** True when the clock is manual: deliveries happen exactly at their due time. */
  readonly exact: boolean;
  /** Releases what `create` opened (stores). */
  readonly dispose?: (subject: TimerSubject) => Promise<void>;
}

/** Wires a handler that records each delivery with the time it ran. */
export function recorder(now: () => number): { fired: Fired[]; onFire: (t: TimerRecord) => Promise<void>; subject: { handle: TimerSubject["handle"] } } {
  const fired: Fired[] = [];
  const subject = { handle: ((): void => undefined) as TimerSubject["handle"] };
  const onFire = async (t: TimerRecord): Promise<void> => {
    fired.push({ timerId: t.timerId, dueAt: t.dueAt, payload: t.payload, at: now() });
    await subject.handle(t);
  };
  return { fired, onFire, subject };
}

/** A TimerSubject whose `fired` and `handle` are the recorder's (the harnesses add the rest). */
export function recordedSubject(
  service: TimerServiceV2,
  rec: ReturnType<typeof recorder>,
  rest: Omit<TimerSubject, "service" | "fired" | "handle">,
): TimerSubject {
  return {
    service,
    fired: rec.fired,
    get handle() {
      return rec.subject.handle;
    },
    set handle(h) {
      rec.subject.handle = h;
    },
    ...rest,
  };
}

const DAY = 86_400_000;
const timer = (timerId: string, dueAt: number): TimerRecord => ({ timerId, dueAt, payload: { timerId } });

export function timerServiceContract(h: TimerHarness): void {
  const durableCase = (name: string, needs: (s: TimerSubject) => boolean, reason: string, body: (s: TimerSubject) => Promise<void>): void => {
    it(name, async ({ skip }) => {
      const s = await h.create();
      try {
        if (!needs(s)) return skip(`${reason} (${h.name})`);
        await body(s);
      } finally {
        await h.dispose?.(s);
      }
    });
  };
  const each = (name: string, body: (s: TimerSubject) => Promise<void>): void => durableCase(name, () => true, "", body);

  describe(h.name, () => {
    each("fires each timer once, in due order, never early", async (s) => {
      const t0 = s.now();
      for (const [id, d] of [["c", 60], ["a", 20], ["b", 40]] as const) await s.service.schedule(timer(id, t0 + d));
      await s.advance(5);
      expect(s.fired).toEqual([]);
      await s.advance(100);
      expect(s.fired.map((f) => f.timerId)).toEqual(["a", "b", "c"]);
      for (const f of s.fired) expect(f.at).toBeGreaterThanOrEqual(f.dueAt);
      if (h.exact) expect(s.fired.map((f) => f.at - t0)).toEqual([20, 40, 60]);
      expect(s.fired[0]?.payload).toEqual({ timerId: "a" });
      await s.advance(100);
      expect(s.fired).toHaveLength(3);
    });

    each("cancels, and ignores unknown ids", async (s) => {
      const t0 = s.now();
      await s.service.schedule(timer("x", t0 + 20));
      await s.service.schedule(timer("y", t0 + 30));
      await s.service.cancel("x");
      await s.service.cancel("never-set");
      await s.advance(80);
      expect(s.fired.map((f) => f.timerId)).toEqual(["y"]);
    });

    each("replaces a timer set again under the same id", async (s) => {
      const t0 = s.now();
      await s.service.schedule(timer("later", t0 + 20));
      await s.service.schedule(timer("later", t0 + 60));
      await s.service.schedule(timer("sooner", t0 + 60));
      await s.service.schedule(timer("sooner", t0 + 10));
      await s.advance(40);
      expect(s.fired.map((f) => [f.timerId, f.dueAt - t0])).toEqual([["sooner", 10]]);
      await s.advance(60);
      expect(s.fired.map((f) => [f.timerId, f.dueAt - t0])).toEqual([["sooner", 10], ["later", 60]]);
    });

    each("fires a past-due timer at once", async (s) => {
      await s.service.schedule(timer("past", s.now() - 1000));
      await s.advance(10);
      expect(s.fired.map((f) => f.timerId)).toEqual(["past"]);
    });

    each("lets a handler set its own timer again", async (s) => {
      const t0 = s.now();
      s.handle = async (t) => {
        if (s.fired.length === 1) await s.service.schedule({ ...t, dueAt: s.now() + 20 });
      };
      await s.service.schedule(timer("again", t0 + 10));
      await s.advance(80);
      expect(s.fired.map((f) => f.timerId)).toEqual(["again", "again"]);
    });

    each("arms timers the caller committed itself", async (s) => {
      const t0 = s.now();
      const set = [timer("c1", t0 + 10), timer("c2", t0 + 20)];
      await s.persist?.({ set });
      s.service.committed({ set });
      await s.persist?.({ cancel: ["c2"] });
      s.service.committed({ cancel: ["c2"] });
      await s.advance(60);
      expect(s.fired.map((f) => f.timerId)).toEqual(["c1"]);
      expect((await s.stored?.()) ?? []).toEqual([]);
    });

    each("delivers nothing after close", async (s) => {
      await s.service.schedule(timer("z", s.now() + 10));
      await s.service.close();
      await s.advance(60);
      expect(s.fired).toEqual([]);
    });

    durableCase("fires after a restart with the remaining time", (s) => s.restart !== undefined, "timers do not outlive this service", async (s) => {
      const t0 = s.now();
      await s.service.schedule(timer("soon", t0 + 100));
      await s.service.schedule(timer("later", t0 + 300));
      await s.advance(50);
      const s2 = await (s.restart as NonNullable<TimerSubject["restart"]>)();
      await s2.advance(40);
      expect(s2.fired).toEqual([]);
      await s2.advance(300);
      expect(s2.fired.map((f) => f.timerId)).toEqual(["soon", "later"]);
      if (h.exact) expect(s2.fired.map((f) => f.at - t0)).toEqual([100, 300]);
      expect(s.fired).toEqual([]);
      await s2.service.schedule(timer("while-down", s2.now() + 1000));
      const s3 = await (s2.restart as NonNullable<TimerSubject["restart"]>)();
      s3.jump?.(5000);
      await s3.advance(0);
      expect(s3.fired.map((f) => f.timerId)).toEqual(s3.jump ? ["while-down"] : []);
      await h.dispose?.(s3);
    });

    durableCase("keeps a one-year timer out of memory until its last minute", (s) => s.jump !== undefined && s.armedCount !== undefined, "needs a manual clock and DurableTimers", async (s) => {
      const t0 = s.now();
      await s.service.schedule(timer("year", t0 + 365 * DAY));
      await s.advance(10 * 60_000);
      expect(s.armedCount?.()).toBe(0);
      expect(s.pendingTimeouts?.()).toBe(1);
      s.jump?.(180 * DAY);
      const s2 = await (s.restart as NonNullable<TimerSubject["restart"]>)();
      await s2.advance(60_000);
      expect([s2.armedCount?.(), s2.pendingTimeouts?.(), s2.fired.length]).toEqual([0, 1, 0]);
      s2.jump?.(365 * DAY - (s2.now() - t0) - 45_000);
      await s2.advance(30_000);
      expect(s2.armedCount?.()).toBe(1);
      await s2.advance(60_000);
      expect(s2.fired.map((f) => [f.timerId, f.at - t0])).toEqual([["year", 365 * DAY]]);
      expect(await s2.stored?.()).toEqual([]);
      await h.dispose?.(s2);
    });

    durableCase("drops a corrupted timer record, reports it, and fires the others", (s) => s.corrupt !== undefined, "no stored records to corrupt", async (s) => {
      const t0 = s.now();
      for (const [id, d] of [["first", 10], ["broken", 20], ["last", 30]] as const) await s.persist?.({ set: [timer(id, t0 + d)] });
      await s.corrupt?.("broken");
      const s2 = await (s.restart as NonNullable<TimerSubject["restart"]>)();
      await s2.advance(60);
      expect(s2.fired.map((f) => f.timerId)).toEqual(["first", "last"]);
      expect(s2.errors?.map((e) => (e as Error).name)).toEqual(["StoreCorruptionError"]);
      expect(await s2.stored?.()).toEqual([]);
      await h.dispose?.(s2);
    });

    durableCase("fires again at a later scan when the handler fails", (s) => s.stored !== undefined, "in-process timers are not redelivered", async (s) => {
      s.handle = () => {
        if (s.fired.length === 1) throw new Error("handler failed");
      };
      await s.service.schedule(timer("flaky", s.now() + 10));
      await s.advance(20);
      expect([s.fired.length, await s.stored?.()]).toEqual([1, ["flaky"]]);
      await s.advance(120_000);
      expect([s.fired.length, await s.stored?.()]).toEqual([2, []]);
    });
  });
}
