/**
 * Parallel and Map: ordering, failures, Catch/Retry, ItemSelector, MaxConcurrency and
 * tolerated failures.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import { describe, it, expect } from "vitest";
import type { Json } from "../../translators/json.js";
import { run, types, eventsOf, eventOf, details, lambdaArn, named, enteredStates } from "./helpers.js";

const branch = (states: Record<string, object>, startAt = Object.keys(states)[0] as string): object => ({ StartAt: startAt, States: states });

describe("Parallel", () => {
  it("outputs one result per branch, in branch order, whatever order they finish in", async () => {
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            branch({ Slow: { Type: "Wait", Seconds: 100, Next: "A" }, A: { Type: "Pass", Result: "first", End: true } }),
            branch({ B: { Type: "Pass", Result: "second", End: true } }),
            branch({ C: { Type: "Pass", InputPath: "$.v", End: true } }),
          ],
          End: true,
        },
      },
    }, { v: 3 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual(["first", "second", 3]);
    // Branch 0 finished last: its states come after the others' in the history.
    expect(enteredStates(r)).toEqual(["P", "Slow", "B", "C", "A"]);
  });

  it("gives every branch the same input (after Parameters) and records Parallel events", async () => {
    const seen: Json[] = [];
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Parameters: { "id.$": "$.id" },
          Branches: [
            branch({ T1: { Type: "Task", Resource: lambdaArn("f"), End: true } }),
            branch({ T2: { Type: "Task", Resource: lambdaArn("f"), End: true } }),
          ],
          ResultSelector: { "both.$": "$" },
          ResultPath: "$.out",
          End: true,
        },
      },
    }, { id: 5, other: true }, { functions: { f: (input) => { seen.push(input); return (input as { id: number }).id * 10; } } });
    expect(seen).toEqual([{ id: 5 }, { id: 5 }]);
    expect(r.output).toEqual({ id: 5, other: true, out: { both: [50, 50] } });
    const t = types(r);
    expect(t.slice(0, 3)).toEqual(["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"]);
    expect(t.slice(-3)).toEqual(["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]);
  });

  it("a failing branch fails the Parallel with the branch's error and stops the other branches", async () => {
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            branch({ Bad: { Type: "Fail", Error: "BranchBroke", Cause: "in branch 0" } }),
            branch({ Long: { Type: "Wait", Seconds: 100, Next: "Late" }, Late: { Type: "Pass", End: true } }),
          ],
          End: true,
        },
      },
    });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("BranchBroke");
    expect(r.cause).toBe("in branch 0");
    expect(types(r)).toContain("ParallelStateFailed");
    expect(enteredStates(r)).not.toContain("Late");
    expect(types(r).at(-1)).toBe("ExecutionFailed");
  });

  it("a Catch on the Parallel handles a branch failure", async () => {
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [branch({ Ok: { Type: "Pass", End: true } }), branch({ Bad: { Type: "Fail", Error: "E", Cause: "c" } })],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Pass", End: true },
      },
    }, { order: 1 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ order: 1, error: { Error: "E", Cause: "c" } });
    expect(enteredStates(r).at(-1)).toBe("Handled");
  });

  it("a Retry on the Parallel re-runs all branches", async () => {
    let calls = 0;
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [branch({ T: { Type: "Task", Resource: lambdaArn("flaky"), End: true } }), branch({ Q: { Type: "Pass", Result: "q", End: true } })],
          Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 3 }],
          End: true,
        },
      },
    }, {}, { functions: { flaky: () => { if (calls++ === 0) throw named("Flaky", "once"); return "t"; } } });
    expect(r.output).toEqual(["t", "q"]);
    expect(eventsOf(r, "ParallelStateStarted")).toHaveLength(2);
    expect(enteredStates(r).filter((s) => s === "Q")).toHaveLength(2);
  });
});

describe("Map", () => {
  const mapOf = (map: object, processor: Record<string, object>): object => ({
    StartAt: "M",
    States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...branch(processor) }, End: true, ...map } },
  });

  it("ItemsPath selects the array; the output is one result per item, in order", async () => {
    const r = await run(mapOf({ ItemsPath: "$.items" }, { Double: { Type: "Task", Resource: lambdaArn("double"), End: true } }), { items: [1, 2, 3], other: 0 }, {
      functions: { double: async (n) => { await new Promise((res) => setTimeout(res, 10 - (n as number) * 3)); return (n as number) * 2; } },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual([2, 4, 6]);
    expect(details(eventOf(r, "MapStateStarted"))).toEqual({ length: 3 });
    expect(eventsOf(r, "MapIterationStarted").map((e) => details(e)["index"])).toEqual([0, 1, 2]);
    expect(eventsOf(r, "MapIterationSucceeded")).toHaveLength(3);
  });

  it("ItemSelector builds each item's input from $$.Map.Item.Index/Value and the Map's input", async () => {
    const r = await run(
      mapOf({ ItemsPath: "$.names", ItemSelector: { "index.$": "$$.Map.Item.Index", "name.$": "$$.Map.Item.Value", "greeting.$": "$.greeting" } }, { Echo: { Type: "Pass", End: true } }),
      { names: ["ann", "bob"], greeting: "hi" },
    );
    expect(r.output).toEqual([{ index: 0, name: "ann", greeting: "hi" }, { index: 1, name: "bob", greeting: "hi" }]);
  });

  it("MaxConcurrency 1 runs the items one after another, in order", async () => {
    const calls: string[] = [];
    const r = await run(mapOf({ MaxConcurrency: 1 }, { Work: { Type: "Task", Resource: lambdaArn("work"), End: true } }), ["a", "b", "c"], {
      functions: {
        work: async (item) => {
          calls.push(`start ${String(item)}`);
          await new Promise((res) => setTimeout(res, item === "a" ? 20 : 1));
          calls.push(`end ${String(item)}`);
          return item;
        },
      },
    });
    expect(r.output).toEqual(["a", "b", "c"]);
    expect(calls).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    const iteration = r.history.filter((e) => e.type.startsWith("MapIteration")).map((e) => `${e.type.replace("MapIteration", "")} ${String(details(e)["index"])}`);
    expect(iteration).toEqual(["Started 0", "Succeeded 0", "Started 1", "Succeeded 1", "Started 2", "Succeeded 2"]);
  });

  it("without MaxConcurrency the items run at the same time", async () => {
    const calls: string[] = [];
    await run(mapOf({}, { Work: { Type: "Task", Resource: lambdaArn("work"), End: true } }), ["a", "b"], {
      functions: { work: async (item) => { calls.push(`start ${String(item)}`); await new Promise((res) => setTimeout(res, 5)); calls.push(`end ${String(item)}`); return item; } },
    });
    expect(calls.slice(0, 2)).toEqual(["start a", "start b"]);
  });

  it("an empty array gives an empty output without iterations", async () => {
    const r = await run(mapOf({ ItemsPath: "$.none", ResultPath: "$.out" }, { Never: { Type: "Fail", Error: "ShouldNotRun" } }), { none: [] });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ none: [], out: [] });
    expect(details(eventOf(r, "MapStateStarted"))).toEqual({ length: 0 });
    expect(types(r).filter((t) => t.startsWith("MapIteration"))).toEqual([]);
  });

  it("ItemsPath that is not an array fails with States.Runtime", async () => {
    const r = await run(mapOf({ ItemsPath: "$.x" }, { P: { Type: "Pass", End: true } }), { x: { not: "array" } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
  });

  it("a failing iteration fails the Map with its error; a Catch on the Map handles it", async () => {
    const processor = { Check: { Type: "Task", Resource: lambdaArn("check"), End: true } };
    const check = (n: Json): Json => { if (n === 2) throw named("BadItem", "item 2"); return n; };
    const failed = await run(mapOf({ MaxConcurrency: 1 }, processor), [1, 2, 3], { functions: { check } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBe("BadItem");
    expect(types(failed)).toContain("MapIterationFailed");
    expect(types(failed)).toContain("MapStateFailed");
    // MaxConcurrency 1: item 3 never started once item 2 failed.
    expect(eventsOf(failed, "MapIterationStarted")).toHaveLength(2);

    const caught = await run({
      StartAt: "M",
      States: {
        M: { Type: "Map", ItemProcessor: branch(processor), Catch: [{ ErrorEquals: ["BadItem"], ResultPath: "$.err", Next: "H" }], ItemsPath: "$.items", End: true },
        H: { Type: "Pass", End: true },
      },
    }, { items: [1, 2, 3] }, { functions: { check } });
    expect(caught.status).toBe("SUCCEEDED");
    expect(caught.output).toEqual({ items: [1, 2, 3], err: { Error: "BadItem", Cause: "item 2" } });
  });

  describe("tolerated failures (Distributed mode)", () => {
    const distributed = (tolerance: object): object => ({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...branch({ Check: { Type: "Task", Resource: lambdaArn("check"), End: true } }) },
          ...tolerance,
          End: true,
        },
      },
    });
    const check = (item: Json): Json => { if (item === "bad") throw named("BadItem", "bad item"); return item; };

    it("ToleratedFailureCount: failures up to the count are tolerated", async () => {
      const r = await run(distributed({ ToleratedFailureCount: 1 }), ["ok", "bad", "ok"], { functions: { check } });
      expect(r.status).toBe("SUCCEEDED");
      expect((r.output as Json[])[0]).toBe("ok");
      expect((r.output as Json[])[2]).toBe("ok");
    });

    it("ToleratedFailureCount: one more failure fails the Map with States.ExceedToleratedFailureThreshold", async () => {
      const r = await run(distributed({ ToleratedFailureCount: 1 }), ["bad", "ok", "bad", "ok"], { functions: { check } });
      expect(r.status).toBe("FAILED");
      expect(r.error).toBe("States.ExceedToleratedFailureThreshold");
    });

    it("ToleratedFailurePercentage: up to the percentage is tolerated, more fails", async () => {
      const ok = await run(distributed({ ToleratedFailurePercentage: 50 }), ["bad", "ok", "bad", "ok"], { functions: { check } });
      expect(ok.status).toBe("SUCCEEDED");
      const over = await run(distributed({ ToleratedFailurePercentage: 50 }), ["bad", "bad", "bad", "ok"], { functions: { check } });
      expect(over.status).toBe("FAILED");
      expect(over.error).toBe("States.ExceedToleratedFailureThreshold");
    });

    it("ToleratedFailureCount 0 fails on the first failure", async () => {
      const r = await run(distributed({ ToleratedFailureCount: 0 }), ["ok", "bad"], { functions: { check } });
      expect(r.error).toBe("States.ExceedToleratedFailureThreshold");
    });
  });

  it("nested Maps keep each level's order", async () => {
    const r = await run({
      StartAt: "Outer",
      States: {
        Outer: {
          Type: "Map",
          ItemProcessor: branch({ Inner: { Type: "Map", ItemProcessor: branch({ Id: { Type: "Pass", End: true } }), End: true } }),
          End: true,
        },
      },
    }, [[1, 2], [], [3]]);
    expect(r.output).toEqual([[1, 2], [], [3]]);
  });
});
