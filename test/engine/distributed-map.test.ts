/**
 * Distributed Map: a map run whose iterations are child executions (their own ARNs and
 * histories, numbered from 1, out of the parent's history), its counts, UpdateMapRun, aborts,
 * and its redrive (the same map run again; unsuccessful children redriven, the others kept).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
 */
import { describe, expect, it } from "vitest";
import { createEngine, type Engine, type ExecutionRun, type MapRun } from "../../index.js";
import type { TaskFunctions } from "../../runtime/bus/task-functions.js";
import type { Json } from "../../translators/json.js";
import { details, eventOf, lambdaArn, named, never, types } from "./helpers.js";

const CHILD_ARN = /^arn:aws:states:us-east-1:123456789012:execution:dm\/Items:[0-9a-f-]{36}$/;

const distributed = (extra: object = {}, executionType = "STANDARD"): object => ({
  StartAt: "M",
  States: {
    M: {
      Type: "Map", Label: "Items", End: true,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: executionType },
        StartAt: "Prep", States: { Prep: { Type: "Pass", Next: "Work" }, Work: { Type: "Task", Resource: lambdaArn("work"), End: true } },
      },
      ...extra,
    },
  },
});

function setup(definition: object, functions: TaskFunctions): { engine: Engine; start: (input: Json) => ExecutionRun } {
  const engine = createEngine({ virtualTime: true, functions });
  const sm = engine.createStateMachine("dm", definition);
  return { engine, start: (input) => engine.startExecution(sm, input) };
}

const onlyMapRun = (run: ExecutionRun): MapRun => {
  const runs = [...run.mapRuns.values()];
  expect(runs).toHaveLength(1);
  return runs[0]!;
};

/** Resolves once `check()` holds (engine steps run on the event loop). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("Distributed Map runs", () => {
  it("runs each item as a child execution with its own history, out of the parent's", async () => {
    const { engine, start } = setup(distributed(), { work: (item) => (item as number) * 2 });
    const run = start([1, 2, 3]);
    const r = await engine.result(run);
    expect(r.output).toEqual([2, 4, 6]);
    expect(types(r)).toEqual(["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]);
    const mapRun = onlyMapRun(run);
    expect(details(eventOf(r, "MapRunStarted"))).toEqual({ mapRunArn: mapRun.arn });
    expect(mapRun.arn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:dm\/Items:[0-9a-f-]{36}$/);
    expect(engine.getMapRun(mapRun.arn)).toBe(mapRun);
    expect(mapRun).toMatchObject({ status: "SUCCEEDED", total: 3, maxConcurrency: 0, toleratedFailureCount: 0, toleratedFailurePercentage: 0, redriveCount: 0 });
    expect(mapRun.stopDate).toBeGreaterThanOrEqual(mapRun.startDate);
    expect(engine.mapRunCounts(mapRun)).toEqual({ pending: 0, running: 0, succeeded: 3, failed: 0, timedOut: 0, aborted: 0, total: 3, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });
    const children = mapRun.executions();
    expect(children.map((c) => c.info.input)).toEqual([1, 2, 3]);
    for (const child of children) {
      expect(child.info.arn).toMatch(CHILD_ARN);
      expect(child.info.name).toBe(child.info.arn.split(":").at(-1));
      expect(child.info).toMatchObject({ mapRunArn: mapRun.arn, stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:dm/Items" });
      expect(engine.getExecution(child.info.arn)).toBe(child);
      expect(types(child)).toEqual([
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "TaskStateEntered", "LambdaFunctionScheduled",
        "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
      ]);
      expect(child.history.map((e) => e.id)).toEqual(child.history.map((_, i) => i + 1));
      expect(JSON.parse(details(eventOf(child, "ExecutionStarted"))["input"] as string)).toEqual(child.info.input);
    }
  });

  it("counts failed children against the tolerance, and a failed map run leaves the rest pending", async () => {
    const work = (item: Json): Json => { if (item === "bad") throw named("BadItem", "bad"); return item; };
    const tolerated = setup(distributed({ MaxConcurrency: 1, ToleratedFailureCount: 1 }), { work });
    const ok = tolerated.start(["ok", "bad", "ok"]);
    await tolerated.engine.result(ok);
    expect(ok.status).toBe("SUCCEEDED");
    const okRun = onlyMapRun(ok);
    expect(okRun.toleratedFailureCount).toBe(1);
    // The map run succeeded: its failed child will not run again.
    expect(tolerated.engine.mapRunCounts(okRun)).toMatchObject({ succeeded: 2, failed: 1, failuresNotRedrivable: 1 });
    expect(tolerated.engine.redriveStatus(okRun.executions()[1]!)).toMatchObject({ status: "NOT_REDRIVABLE" });

    const strict = setup(distributed({ MaxConcurrency: 1 }), { work });
    const failed = strict.start(["ok", "bad", "ok", "ok"]);
    await strict.engine.result(failed);
    expect(failed.status).toBe("FAILED");
    const mapRun = onlyMapRun(failed);
    expect(mapRun.status).toBe("FAILED");
    expect(strict.engine.mapRunCounts(mapRun)).toMatchObject({ pending: 2, succeeded: 1, failed: 1, failuresNotRedrivable: 0, total: 4 });
    expect(strict.engine.redriveStatus(mapRun.executions()[1]!)).toEqual({ status: "REDRIVABLE_BY_MAP_RUN" });
    expect(() => strict.engine.redriveExecution(mapRun.executions()[1]!)).toThrow(/child execution of Map Run/);
  });

  it("a redrive of the parent redrives the same map run: failed children again, succeeded ones kept", async () => {
    let failing = true;
    const calls: Json[] = [];
    const { engine, start } = setup(distributed({ MaxConcurrency: 1 }), {
      work: (item) => {
        calls.push(item);
        if (item === 2 && failing) throw named("Flaky", "item 2");
        return (item as number) * 10;
      },
    });
    const run = start([1, 2, 3]);
    await engine.result(run);
    expect(run.status).toBe("FAILED");
    const mapRun = onlyMapRun(run);
    const [first, second] = mapRun.executions();
    expect(types(second!).at(-1)).toBe("ExecutionFailed");
    const firstHistory = first!.history.length;

    failing = false;
    engine.redriveExecution(run);
    await engine.result(run);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual([10, 20, 30]);
    expect(calls).toEqual([1, 2, 2, 3]);
    expect(types(run).slice(types(run).indexOf("ExecutionRedriven"))).toEqual([
      "ExecutionRedriven", "MapStateEntered", "MapStateStarted", "MapRunRedriven", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded",
    ]);
    expect(details(eventOf(run, "MapRunRedriven"))).toEqual({ mapRunArn: mapRun.arn, redriveCount: 1 });
    expect(onlyMapRun(run)).toBe(mapRun);
    expect(mapRun).toMatchObject({ status: "SUCCEEDED", redriveCount: 1, redriveDate: run.redriveDate });
    // The failed child is redriven under its ARN; the one that succeeded is untouched; item 3 starts now.
    expect(mapRun.executions()).toHaveLength(3);
    expect(mapRun.executions()[1]).toBe(second);
    expect(second!.redriveCount).toBe(1);
    expect(types(second!).slice(types(second!).indexOf("ExecutionFailed"))).toEqual([
      "ExecutionFailed", "ExecutionRedriven", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
      "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    expect(first!.history).toHaveLength(firstHistory);
    expect(first!.redriveCount).toBe(0);
    expect(engine.mapRunCounts(mapRun)).toMatchObject({ succeeded: 3, failed: 0, pendingRedrive: 0 });
  });

  it("UpdateMapRun's MaxConcurrency applies to the children not started yet", async () => {
    const pending: (() => void)[] = [];
    const { engine, start } = setup(distributed({ MaxConcurrency: 1 }), {
      work: (item) => new Promise<Json>((resolve) => pending.push(() => resolve(item))),
    });
    const run = start([1, 2, 3, 4, 5]);
    const mapRun = await (async () => {
      await until(() => run.mapRuns.size === 1 && pending.length === 1);
      return onlyMapRun(run);
    })();
    expect(engine.mapRunCounts(mapRun)).toMatchObject({ running: 1, pending: 4 });
    engine.updateMapRun(mapRun, { maxConcurrency: 3, toleratedFailureCount: 2 });
    expect(mapRun).toMatchObject({ maxConcurrency: 3, toleratedFailureCount: 2 });
    await until(() => pending.length === 3);
    expect(engine.mapRunCounts(mapRun)).toMatchObject({ running: 3, pending: 2 });
    while (run.status === "RUNNING") {
      pending.splice(0).forEach((go) => go());
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(run.output).toEqual([1, 2, 3, 4, 5]);
  });

  it("stopping the parent aborts its running map run and children; a redrive resumes them", async () => {
    let release = false;
    const { engine, start } = setup(distributed(), { work: (item) => (release ? item : never()) });
    const run = start(["a", "b"]);
    await until(() => run.mapRuns.size === 1 && onlyMapRun(run).executions().length === 2 && types(onlyMapRun(run).executions()[1]!).includes("LambdaFunctionScheduled"));
    engine.stopExecution(run);
    await engine.result(run);
    const mapRun = onlyMapRun(run);
    expect(mapRun.status).toBe("ABORTED");
    expect(mapRun.executions().map((c) => c.status)).toEqual(["ABORTED", "ABORTED"]);
    expect(engine.mapRunCounts(mapRun)).toMatchObject({ aborted: 2, running: 0 });

    release = true;
    engine.redriveExecution(run);
    await engine.result(run);
    expect(run.output).toEqual(["a", "b"]);
    for (const child of mapRun.executions()) {
      // Each child resumes at Work, where it was stopped.
      expect(types(child).slice(types(child).indexOf("ExecutionAborted"))).toEqual([
        "ExecutionAborted", "ExecutionRedriven", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
        "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
      ]);
    }
  });

  it("Express children get express ARNs and run again from their start when redriven", async () => {
    let failing = true;
    const { engine, start } = setup(distributed({}, "EXPRESS"), { work: (item) => { if (failing) throw named("No", "no"); return item; } });
    const run = start([1]);
    await engine.result(run);
    const mapRun = onlyMapRun(run);
    const before = mapRun.executions()[0]!;
    expect(before.info.arn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:dm\/Items:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
    failing = false;
    engine.redriveExecution(run);
    await engine.result(run);
    expect(run.output).toEqual([1]);
    const after = mapRun.executions()[0]!;
    expect(after).not.toBe(before);
    expect(types(after)[1]).toBe("PassStateEntered");
  });
});
