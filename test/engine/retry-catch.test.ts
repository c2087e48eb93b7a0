/**
 * Retry and Catch on Task states, with retry delays visible as history timestamp gaps under
 * virtual time.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import { describe, it, expect } from "vitest";
import type { Json } from "../../translators/json.js";
import type { RunResult, TaskFunction } from "../../index.js";
import { run, single, types, eventsOf, eventOf, details, lambdaArn, named, enteredStates } from "./helpers.js";

/** A function that throws the given error names in turn, then returns `result`. */
function failing(errors: string[], result: Json = "ok"): { fn: TaskFunction; calls: () => number } {
  let calls = 0;
  const fn: TaskFunction = () => {
    const e = errors[calls++];
    if (e !== undefined) throw named(e, `attempt ${calls} failed`);
    return result;
  };
  return { fn, calls: () => calls };
}

/** Seconds between each LambdaFunctionFailed and the LambdaFunctionScheduled after it. */
function retryDelays(r: RunResult): number[] {
  const failed = eventsOf(r, "LambdaFunctionFailed");
  const scheduled = eventsOf(r, "LambdaFunctionScheduled");
  return failed.slice(0, scheduled.length - 1).map((f, i) => (scheduled[i + 1]!.timestamp - f.timestamp) / 1000);
}

const task = (extra: object): object => single({ Type: "Task", Resource: lambdaArn("f"), ...extra });

describe("Retry", () => {
  it("retries with IntervalSeconds growing by BackoffRate, visible as history gaps", async () => {
    const f = failing(["E", "E", "E"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }] }), {}, { functions: { f: f.fn } });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toBe("ok");
    expect(f.calls()).toBe(4);
    expect(retryDelays(r)).toEqual([2, 6, 18]);
  });

  it("defaults to IntervalSeconds 1, BackoffRate 2, MaxAttempts 3", async () => {
    const f = failing(["E", "E", "E", "E"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["E"] }] }), {}, { functions: { f: f.fn } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("E");
    expect(f.calls()).toBe(4);
    expect(retryDelays(r)).toEqual([1, 2, 4]);
  });

  it("MaxDelaySeconds caps the backoff", async () => {
    const f = failing(["E", "E", "E", "E"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 4, MaxDelaySeconds: 50 }] }), {}, { functions: { f: f.fn } });
    expect(r.status).toBe("SUCCEEDED");
    expect(retryDelays(r)).toEqual([10, 50, 50, 50]);
  });

  it("MaxAttempts 0 never retries", async () => {
    const f = failing(["E"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["E"], MaxAttempts: 0 }] }), {}, { functions: { f: f.fn } });
    expect(r.status).toBe("FAILED");
    expect(f.calls()).toBe(1);
  });

  it("an error no retrier names is not retried", async () => {
    const f = failing(["Other"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["E"] }] }), {}, { functions: { f: f.fn } });
    expect(r.error).toBe("Other");
    expect(f.calls()).toBe(1);
  });

  it("only the first retrier that matches applies, even when it is exhausted", async () => {
    const f = failing(["E", "E", "E", "E", "E", "E", "E"]);
    const r = await run(
      task({ Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }, { ErrorEquals: ["States.ALL"], MaxAttempts: 5 }] }),
      {},
      { functions: { f: f.fn } },
    );
    expect(r.status).toBe("FAILED");
    expect(f.calls()).toBe(2);
  });

  it("each retrier counts its own attempts", async () => {
    // A (retry A #1), B (retry B #1), A (A exhausted) → fails after three calls.
    const f = failing(["A", "B", "A", "B"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["A"], MaxAttempts: 1 }, { ErrorEquals: ["B"], MaxAttempts: 1 }] }), {}, { functions: { f: f.fn } });
    expect(r.error).toBe("A");
    expect(f.calls()).toBe(3);
  });

  it("States.TaskFailed and States.ALL retry any error a function throws", async () => {
    for (const name of ["States.TaskFailed", "States.ALL"]) {
      const f = failing(["Whatever"]);
      const r = await run(task({ Retry: [{ ErrorEquals: [name], IntervalSeconds: 1 }] }), {}, { functions: { f: f.fn } });
      expect(r.status, name).toBe("SUCCEEDED");
      expect(f.calls(), name).toBe(2);
    }
  });

  it("$$.State.RetryCount counts the retries of the state", async () => {
    const counts: Json[] = [];
    let n = 0;
    const r = await run(task({ Parameters: { "retry.$": "$$.State.RetryCount" }, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1 }] }), {}, {
      functions: { f: (input) => { counts.push((input as { retry: Json }).retry); if (n++ < 2) throw named("E", "x"); return "done"; } },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(counts).toEqual([0, 1, 2]);
  });

  it("a retry re-enters nothing: one TaskStateEntered, several scheduled attempts", async () => {
    const f = failing(["E"]);
    const r = await run(task({ Retry: [{ ErrorEquals: ["E"] }] }), {}, { functions: { f: f.fn } });
    expect(eventsOf(r, "TaskStateEntered")).toHaveLength(1);
    expect(eventsOf(r, "LambdaFunctionScheduled")).toHaveLength(2);
    expect(eventsOf(r, "TaskStateExited")).toHaveLength(1);
  });
});

describe("Catch", () => {
  /** Task T with `catchers`; Handler and Other are Pass states (Other only when a catcher names it: AWS rejects unreachable states). */
  const withCatch = (catchers: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[], extra: object = {}): object => ({
    StartAt: "T",
    States: {
      T: { Type: "Task", Resource: lambdaArn("f"), Catch: catchers, End: true, ...extra },
      Handler: { Type: "Pass", End: true },
      ...(catchers.some((c) => c.Next === "Other") ? { Other: { Type: "Pass", Result: "other", End: true } } : {}),
    },
  });

  it("without ResultPath the next state gets the error output {Error, Cause}", async () => {
    const f = failing(["Boom"]);
    const r = await run(withCatch([{ ErrorEquals: ["Boom"], Next: "Handler" }]), { a: 1 }, { functions: { f: f.fn } });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ Error: "Boom", Cause: "attempt 1 failed" });
    expect(enteredStates(r)).toEqual(["T", "Handler"]);
  });

  it("ResultPath puts the error output into the state's input", async () => {
    const f = failing(["Boom"]);
    const r = await run(withCatch([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handler" }]), { a: 1 }, { functions: { f: f.fn } });
    expect(r.output).toEqual({ a: 1, error: { Error: "Boom", Cause: "attempt 1 failed" } });
  });

  it("ResultPath null in a catcher passes the original input on", async () => {
    const f = failing(["Boom"]);
    const r = await run(withCatch([{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Handler" }]), { a: 1 }, { functions: { f: f.fn } });
    expect(r.output).toEqual({ a: 1 });
  });

  it("the first matching catcher wins", async () => {
    const f = failing(["Boom"]);
    const r = await run(
      withCatch([{ ErrorEquals: ["Nope"], Next: "Other" }, { ErrorEquals: ["Boom"], Next: "Handler" }, { ErrorEquals: ["States.ALL"], Next: "Other" }]),
      {},
      { functions: { f: f.fn } },
    );
    expect(enteredStates(r)).toEqual(["T", "Handler"]);
  });

  it("a specific name that does not match leaves the error uncaught", async () => {
    const f = failing(["Boom"]);
    const r = await run(withCatch([{ ErrorEquals: ["Other"], Next: "Handler" }]), {}, { functions: { f: f.fn } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("Boom");
  });

  it("States.TaskFailed catches a function's error", async () => {
    const f = failing(["Boom"]);
    const r = await run(withCatch([{ ErrorEquals: ["States.TaskFailed"], Next: "Handler" }]), {}, { functions: { f: f.fn } });
    expect(r.status).toBe("SUCCEEDED");
  });

  it("States.TaskFailed does not catch States.Timeout; States.ALL does", async () => {
    const hang = (): Promise<never> => new Promise<never>(() => undefined);
    const r1 = await run(withCatch([{ ErrorEquals: ["States.TaskFailed"], Next: "Handler" }], { TimeoutSeconds: 3 }), {}, { functions: { f: hang } });
    expect(r1.status).toBe("FAILED");
    expect(r1.error).toBe("States.Timeout");
    const r2 = await run(withCatch([{ ErrorEquals: ["States.ALL"], Next: "Handler" }], { TimeoutSeconds: 3 }), {}, { functions: { f: hang } });
    expect(r2.status).toBe("SUCCEEDED");
    expect(r2.output).toEqual({ Error: "States.Timeout" });
  });

  it("retries first, then catches once the retrier is exhausted", async () => {
    const f = failing(["Boom", "Boom", "Boom"]);
    const r = await run(
      withCatch([{ ErrorEquals: ["Boom"], ResultPath: "$.err", Next: "Handler" }], { Retry: [{ ErrorEquals: ["Boom"], MaxAttempts: 2, IntervalSeconds: 1 }] }),
      { a: 1 },
      { functions: { f: f.fn } },
    );
    expect(f.calls()).toBe(3);
    expect(r.output).toEqual({ a: 1, err: { Error: "Boom", Cause: "attempt 3 failed" } });
  });

  it("a retry that succeeds never reaches the catcher", async () => {
    const f = failing(["Boom"], { fine: true });
    const r = await run(withCatch([{ ErrorEquals: ["States.ALL"], Next: "Handler" }], { Retry: [{ ErrorEquals: ["Boom"] }] }), {}, { functions: { f: f.fn } });
    expect(r.output).toEqual({ fine: true });
    expect(enteredStates(r)).toEqual(["T"]);
  });

  it("the caught state's exit event carries the error output", async () => {
    const f = failing(["Boom"]);
    const r = await run(withCatch([{ ErrorEquals: ["States.ALL"], Next: "Handler" }]), {}, { functions: { f: f.fn } });
    expect(types(r)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
      "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);
    expect(JSON.parse(String(details(eventOf(r, "TaskStateExited"))["output"]))).toEqual({ Error: "Boom", Cause: "attempt 1 failed" });
  });
});
