/**
 * Task TimeoutSeconds/HeartbeatSeconds and the execution's TimeoutSeconds, on virtual time
 * (a task function that never settles times out without real waiting).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-state-fields
 */
import { describe, it, expect } from "vitest";
import { createEngine, TaskDoesNotExist } from "../../index.js";
import { run, single, types, eventOf, eventsOf, details, gapMs, lambdaArn, never, enteredStates } from "./helpers.js";

const INVOKE = "arn:aws:states:::lambda:invoke";

describe("Task TimeoutSeconds", () => {
  it("a function that never settles fails the state with States.Timeout after TimeoutSeconds", async () => {
    const started = Date.now();
    const r = await run(single({ Type: "Task", Resource: INVOKE, Parameters: { FunctionName: "hang", Payload: {} }, TimeoutSeconds: 30 }), {}, { functions: { hang: never } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Timeout");
    expect(types(r).slice(-2)).toEqual(["TaskTimedOut", "ExecutionFailed"]);
    expect(details(eventOf(r, "TaskTimedOut"))).toMatchObject({ error: "States.Timeout", resourceType: "lambda", resource: "invoke" });
    expect(details(eventOf(r, "TaskScheduled"))["timeoutInSeconds"]).toBe(30);
    expect(gapMs(eventOf(r, "TaskScheduled"), eventOf(r, "TaskTimedOut"))).toBe(30_000);
  });

  it("a bare Lambda ARN records LambdaFunctionTimedOut", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("hang"), TimeoutSeconds: 5 }), {}, { functions: { hang: never } });
    expect(r.error).toBe("States.Timeout");
    expect(types(r)).toContain("LambdaFunctionTimedOut");
    expect(gapMs(eventOf(r, "LambdaFunctionScheduled"), eventOf(r, "LambdaFunctionTimedOut"))).toBe(5_000);
  });

  it("a function that finishes in time is not timed out", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("quick"), TimeoutSeconds: 5 }), {}, { functions: { quick: () => "fast" } });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toBe("fast");
  });

  it("TimeoutSecondsPath reads the timeout from the input", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("hang"), TimeoutSecondsPath: "$.limit" }), { limit: 7 }, { functions: { hang: never } });
    expect(r.error).toBe("States.Timeout");
    expect(gapMs(eventOf(r, "LambdaFunctionScheduled"), eventOf(r, "LambdaFunctionTimedOut"))).toBe(7_000);
  });

  it("a timeout can be retried: the second attempt succeeds", async () => {
    let calls = 0;
    const r = await run(
      single({ Type: "Task", Resource: lambdaArn("flaky"), TimeoutSeconds: 10, Retry: [{ ErrorEquals: ["States.Timeout"], IntervalSeconds: 5 }] }),
      {},
      { functions: { flaky: () => (calls++ === 0 ? never() : "second time") } },
    );
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toBe("second time");
    const timedOut = eventOf(r, "LambdaFunctionTimedOut");
    expect(gapMs(timedOut, eventsOf(r, "LambdaFunctionScheduled")[1]!)).toBe(5_000);
  });

  it("a timeout is caught by a catcher naming States.Timeout", async () => {
    const r = await run(
      {
        StartAt: "T",
        States: {
          T: { Type: "Task", Resource: lambdaArn("hang"), TimeoutSeconds: 2, Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.e", Next: "Recover" }], End: true },
          Recover: { Type: "Pass", End: true },
        },
      },
      { a: 1 },
      { functions: { hang: never } },
    );
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ a: 1, e: { Error: "States.Timeout" } });
    expect(enteredStates(r)).toEqual(["T", "Recover"]);
  });

  it("a late result after a timeout is ignored", async () => {
    let finish: ((v: string) => void) | undefined;
    const r = await run(
      {
        StartAt: "T",
        States: {
          T: { Type: "Task", Resource: lambdaArn("slow"), TimeoutSeconds: 1, Catch: [{ ErrorEquals: ["States.ALL"], Next: "After" }], End: true },
          After: { Type: "Wait", Seconds: 60, End: true },
        },
      },
      {},
      { functions: { slow: () => new Promise<string>((res) => { finish = res; setTimeout(() => res("late"), 200); }) } },
    );
    expect(finish).toBeDefined();
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ Error: "States.Timeout" });
    expect(types(r)).not.toContain("LambdaFunctionSucceeded");
  });
});

describe("Task HeartbeatSeconds", () => {
  it("a task that sends no heartbeat times out after HeartbeatSeconds, before TimeoutSeconds", async () => {
    const r = await run(single({ Type: "Task", Resource: INVOKE + ".waitForTaskToken", Parameters: { FunctionName: "f", Payload: { "t.$": "$$.Task.Token" } }, HeartbeatSeconds: 3, TimeoutSeconds: 100 }), {}, { functions: { f: () => null } });
    expect(r.status).toBe("FAILED");
    // AWS documents States.HeartbeatTimeout; recorded AWS histories show States.Timeout in
    // TaskTimedOut for a heartbeat timeout. Either way it is a timeout at 3 s, not 100 s.
    expect(r.error).toMatch(/^States\.(Heartbeat)?Timeout$/);
    const scheduled = eventOf(r, "TaskScheduled");
    expect(details(scheduled)).toMatchObject({ heartbeatInSeconds: 3, timeoutInSeconds: 100 });
    expect(gapMs(scheduled, eventOf(r, "TaskTimedOut"))).toBe(3_000);
  });

  it("heartbeats keep a callback task alive past HeartbeatSeconds (real clock)", async () => {
    const engine = createEngine({
      functions: {
        f: (_input, ctx) => {
          const token = ctx.taskToken as string;
          const beat = setInterval(() => engine.sendTaskHeartbeat(token), 300);
          setTimeout(() => { clearInterval(beat); engine.sendTaskSuccess(token, { done: true }); }, 1_500);
          return null;
        },
      },
    });
    try {
      const sm = engine.createStateMachine("hb", single({ Type: "Task", Resource: INVOKE + ".waitForTaskToken", Parameters: { FunctionName: "f", Payload: {} }, HeartbeatSeconds: 1 }));
      const result = await engine.result(engine.startExecution(sm, {}));
      expect(result.status).toBe("SUCCEEDED");
      expect(result.output).toEqual({ done: true });
    } finally {
      engine.close();
    }
  });

  it("SendTaskHeartbeat for an unknown token throws TaskDoesNotExist", () => {
    const engine = createEngine();
    expect(() => engine.sendTaskHeartbeat("nope")).toThrow(TaskDoesNotExist);
    engine.close();
  });
});

describe("execution TimeoutSeconds", () => {
  it("ends the execution TIMED_OUT with ExecutionTimedOut at the deadline", async () => {
    const r = await run({ TimeoutSeconds: 10, StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    expect(r.status).toBe("TIMED_OUT");
    expect(r.error).toBe("States.Timeout");
    expect(r.output).toBeUndefined();
    expect(types(r)).toEqual(["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]);
    expect(gapMs(eventOf(r, "ExecutionStarted"), eventOf(r, "ExecutionTimedOut"))).toBe(10_000);
    expect(details(eventOf(r, "ExecutionTimedOut"))["error"]).toBe("States.Timeout");
  });

  it("times out an execution stuck in a task that never settles", async () => {
    const r = await run({ TimeoutSeconds: 60, StartAt: "T", States: { T: { Type: "Task", Resource: lambdaArn("hang"), End: true } } }, {}, { functions: { hang: never } });
    expect(r.status).toBe("TIMED_OUT");
    expect(types(r).at(-1)).toBe("ExecutionTimedOut");
  });

  it("cannot be caught: a Catch on States.ALL does not turn a TIMED_OUT execution into a success", async () => {
    const r = await run({
      TimeoutSeconds: 5,
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }], End: true },
        Done: { Type: "Succeed" },
      },
    });
    expect(r.status).toBe("TIMED_OUT");
    expect(enteredStates(r)).not.toContain("Done");
  });

  it("an execution that finishes before its TimeoutSeconds succeeds", async () => {
    const r = await run({ TimeoutSeconds: 100, StartAt: "W", States: { W: { Type: "Wait", Seconds: 99, End: true } } }, { x: 1 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ x: 1 });
  });
});
