/**
 * Virtual time: Waits, retry backoff and timeouts take no real time, while the history keeps
 * the times they would have had.
 */
import { describe, it, expect } from "vitest";
import { createEngine, runDefinition, VirtualClock } from "../../index.js";
import { run, eventOf, eventsOf, details, gapMs } from "./helpers.js";

const waitFor = (seconds: number): object => ({ StartAt: "W", States: { W: { Type: "Wait", Seconds: seconds, Next: "After" }, After: { Type: "Pass", End: true } } });

describe("virtual clock", () => {
  it("a one-hour Wait takes no real time; the history shows 3600 s", async () => {
    const t0 = performance.now();
    const r = await run(waitFor(3600), { a: 1 });
    const elapsed = performance.now() - t0;
    expect(r.status).toBe("SUCCEEDED");
    expect(gapMs(eventOf(r, "WaitStateEntered"), eventOf(r, "WaitStateExited"))).toBe(3_600_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  it("starts at the real time unless given a clock", async () => {
    const before = Date.now();
    const r = await run(waitFor(1));
    expect(eventOf(r, "ExecutionStarted").timestamp).toBeGreaterThanOrEqual(before - 1);
    expect(eventOf(r, "ExecutionStarted").timestamp).toBeLessThanOrEqual(Date.now());
  });

  it("a given VirtualClock sets the start; $$.State.EnteredTime and $$.Execution.StartTime follow virtual time", async () => {
    const start = Date.parse("2031-05-01T00:00:00.000Z");
    const r = await run({
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 7200, Next: "P" },
        P: { Type: "Pass", Parameters: { "entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime" }, End: true },
      },
    }, {}, { clock: new VirtualClock(start) });
    expect(r.output).toEqual({ entered: "2031-05-01T02:00:00.000Z", started: "2031-05-01T00:00:00.000Z" });
  });

  it("Parallel branches wait at the same time: the longest wait sets the end", async () => {
    const start = 1_000_000_000_000;
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [10, 30, 20].map((s) => ({ StartAt: `W${s}`, States: { [`W${s}`]: { Type: "Wait", Seconds: s, End: true } } })),
          End: true,
        },
      },
    }, {}, { clock: new VirtualClock(start) });
    expect(eventOf(r, "ParallelStateExited").timestamp - start).toBe(30_000);
    expect(eventsOf(r, "WaitStateExited").map((e) => e.timestamp - start)).toEqual([10_000, 20_000, 30_000]);
  });

  it("Map with MaxConcurrency 1 waits item after item; unlimited waits once", async () => {
    const map = (max: number): object => ({
      StartAt: "M",
      States: { M: { Type: "Map", MaxConcurrency: max, ItemProcessor: { StartAt: "W", States: { W: { Type: "Wait", SecondsPath: "$", End: true } } }, End: true } },
    });
    const serial = await run(map(1), [10, 10, 10]);
    expect(gapMs(eventOf(serial, "MapStateEntered"), eventOf(serial, "MapStateExited"))).toBe(30_000);
    const parallel = await run(map(0), [10, 10, 10]);
    expect(gapMs(eventOf(parallel, "MapStateEntered"), eventOf(parallel, "MapStateExited"))).toBe(10_000);
  });

  it("executions on one engine share the virtual clock and each keeps its own waits", async () => {
    const engine = createEngine({ virtualTime: true, clock: new VirtualClock(0) });
    try {
      const a = engine.startExecution(engine.createStateMachine("a", waitFor(100)), {});
      const b = engine.startExecution(engine.createStateMachine("b", waitFor(40)), {});
      const [ra, rb] = await Promise.all([engine.result(a), engine.result(b)]);
      expect(eventOf(ra, "WaitStateExited").timestamp).toBe(100_000);
      expect(eventOf(rb, "WaitStateExited").timestamp).toBe(40_000);
      expect(engine.clock.now()).toBe(100_000);
    } finally {
      engine.close();
    }
  });

  it("retry backoff is skipped too: 10 retries with BackoffRate 2 from 60 s take no real time", async () => {
    let calls = 0;
    const t0 = performance.now();
    const r = await run(
      { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 10 }], End: true } } },
      {},
      { functions: { f: () => { if (++calls <= 10) throw new Error("again"); return "done"; } } },
    );
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.output).toBe("done");
    // 60 * (2^10 - 1) seconds of backoff in total.
    expect(gapMs(eventOf(r, "ExecutionStarted"), eventOf(r, "ExecutionSucceeded"))).toBe(60 * 1023 * 1000);
    expect(details(eventOf(r, "LambdaFunctionSucceeded"))["output"]).toBe('"done"');
  });

  it("without virtual time a Wait takes real time", async () => {
    const t0 = performance.now();
    const r = await runDefinition(waitFor(1), {});
    expect(r.status).toBe("SUCCEEDED");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
  });
});
