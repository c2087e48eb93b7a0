/**
 * The shape of an execution's history: AWS's GetExecutionHistory event list.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
import { describe, it, expect } from "vitest";
import type { RunResult } from "../../index.js";
import { run, types, eventOf, details, lambdaArn, named } from "./helpers.js";

/** Invariants every history must keep. */
function expectWellFormed(r: RunResult): void {
  const h = r.history;
  expect(h.length).toBeGreaterThan(1);
  expect(h[0]).toMatchObject({ id: 1, previousEventId: 0, type: "ExecutionStarted" });
  h.forEach((e, i) => {
    expect(e.id, `event #${i}`).toBe(i + 1);
    expect(e.previousEventId, `previousEventId of ${e.id} ${e.type}`).toBeGreaterThanOrEqual(0);
    expect(e.previousEventId, `previousEventId of ${e.id} ${e.type}`).toBeLessThan(e.id);
    if (i > 0) expect(e.timestamp, `timestamp of ${e.id}`).toBeGreaterThanOrEqual(h[i - 1]!.timestamp);
    const keys = Object.keys(e).filter((k) => k.endsWith("EventDetails"));
    expect(keys.length, `details of ${e.type}`).toBeLessThanOrEqual(1);
    if (keys.length === 1) {
      const expected = e.type.endsWith("StateEntered") ? "stateEnteredEventDetails" : e.type.endsWith("StateExited") ? "stateExitedEventDetails" : e.type[0]!.toLowerCase() + e.type.slice(1) + "EventDetails";
      expect(keys[0]).toBe(expected);
    }
  });
  const last = h[h.length - 1]!;
  const end = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed", TIMED_OUT: "ExecutionTimedOut", ABORTED: "ExecutionAborted" }[r.status];
  expect(last.type).toBe(end);
  expect(h.filter((e) => e.type.startsWith("Execution") && e.type !== "ExecutionStarted")).toHaveLength(1);
}

describe("history", () => {
  it("a chain of states: consecutive ids, each event linked to the one before (AWS links the first state to 0)", async () => {
    const r = await run({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } }, { x: 1 });
    expectWellFormed(r);
    expect(r.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, "ExecutionStarted"],
      [2, 0, "PassStateEntered"],
      [3, 2, "PassStateExited"],
      [4, 3, "PassStateEntered"],
      [5, 4, "PassStateExited"],
      [6, 5, "ExecutionSucceeded"],
    ]);
  });

  it("ExecutionStarted and ExecutionSucceeded carry input and output as JSON text", async () => {
    const r = await run({ StartAt: "A", States: { A: { Type: "Pass", Result: { out: [1] }, End: true } } }, { in: "put" });
    const started = details(eventOf(r, "ExecutionStarted"));
    expect(JSON.parse(String(started["input"]))).toEqual({ in: "put" });
    expect(started["inputDetails"]).toEqual({ truncated: false });
    expect(String(started["roleArn"])).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(JSON.parse(String(details(eventOf(r, "ExecutionSucceeded"))["output"]))).toEqual({ out: [1] });
  });

  it("stays well formed with retries, catches, Parallel and Map", async () => {
    let n = 0;
    const r = await run({
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: lambdaArn("f"), Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "P" }], Next: "P" },
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "W", States: { W: { Type: "Wait", Seconds: 5, End: true } } },
            { StartAt: "M", States: { M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "I", States: { I: { Type: "Wait", Seconds: 1, End: true } } }, End: true } } },
          ],
          End: true,
        },
      },
    }, { items: [1, 2, 3] }, { functions: { f: () => { n++; throw named("E", "always"); } } });
    expect(n).toBe(2);
    expect(r.status).toBe("SUCCEEDED");
    expectWellFormed(r);
    expect(types(r)).toContain("MapIterationSucceeded");
  });

  it("stays well formed when the execution fails inside a branch", async () => {
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "F", States: { F: { Type: "Fail", Error: "X" } } },
            { StartAt: "W", States: { W: { Type: "Wait", Seconds: 5, End: true } } },
          ],
          End: true,
        },
      },
    });
    expect(r.status).toBe("FAILED");
    expectWellFormed(r);
  });

  it("stays well formed when the execution times out", async () => {
    const r = await run({ TimeoutSeconds: 1, StartAt: "W", States: { W: { Type: "Wait", Seconds: 5, End: true } } });
    expect(r.status).toBe("TIMED_OUT");
    expectWellFormed(r);
  });

  it("the result's executionArn names the state machine and the execution", async () => {
    const r = await run({ StartAt: "A", States: { A: { Type: "Succeed" } } }, {}, { stateMachineName: "orders", executionName: "run-42" });
    expect(r.executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:orders:run-42");
  });
});
