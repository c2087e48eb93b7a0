/**
 * Engine.redriveExecution: a failed, aborted or timed-out execution runs again from the state
 * that did not succeed, with that state's input and variables; its history goes on with
 * ExecutionRedriven; retry counters start afresh; Parallel branches and inline Map iterations
 * that succeeded keep their results.
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
import { describe, expect, it } from "vitest";
import { createEngine, ExecutionNotRedrivable, VirtualClock, type Engine, type ExecutionRun } from "../../index.js";
import type { Json } from "../../translators/json.js";
import type { TaskFunctions } from "../../runtime/bus/task-functions.js";
import { details, enteredStates, eventOf, eventsOf, lambdaArn, named, never, types, type WithHistory } from "./helpers.js";

const DAY_MS = 24 * 3600 * 1000;

/** An engine on virtual time with one state machine; `go` starts an execution and waits for its end. */
function setup(definition: object, functions: TaskFunctions = {}, clock?: VirtualClock): { engine: Engine; go: (input?: Json) => Promise<ExecutionRun> } {
  const engine = createEngine({ virtualTime: true, functions, ...(clock ? { clock } : {}) });
  const sm = engine.createStateMachine("redrive-me", definition);
  return {
    engine,
    go: async (input: Json = {}) => {
      const run = engine.startExecution(sm, input);
      await engine.result(run);
      return run;
    },
  };
}

/** Redrives `run` and waits for its next end. */
async function redrive(engine: Engine, run: ExecutionRun, token?: string): Promise<ExecutionRun> {
  engine.redriveExecution(run, token);
  await engine.result(run);
  return run;
}

/** The events after the last ExecutionRedriven. */
const afterRedrive = (r: WithHistory): WithHistory => {
  const at = r.history.map((e) => e.type).lastIndexOf("ExecutionRedriven");
  return { history: r.history.slice(at + 1) };
};

/** A task function that fails with `Flaky` while `failing()` is true, and counts its calls. */
function flaky(failing: () => boolean): { fn: (input: Json) => Json; calls: () => number } {
  let calls = 0;
  return {
    fn: (input) => {
      calls++;
      if (failing()) throw named("Flaky", "not yet");
      return input;
    },
    calls: () => calls,
  };
}

describe("RedriveExecution (engine)", () => {
  it("continues from the failed state with its input and variables; earlier states do not run again", async () => {
    let failing = true;
    const work = flaky(() => failing);
    const { engine, go } = setup({
      StartAt: "Prepare",
      States: {
        Prepare: { Type: "Pass", Result: { order: 7 }, ResultPath: "$.prepared", Assign: { region: "eu" }, Next: "Charge" },
        Charge: { Type: "Task", Resource: lambdaArn("work"), Parameters: { "order.$": "$.prepared.order", "region.$": "$region" }, End: true },
      },
    }, { work: work.fn });
    const run = await go({ customer: "c1" });
    expect(run.status).toBe("FAILED");
    const failedAt = eventOf(run, "ExecutionFailed");
    const firstEntered = details(eventOf(run, "TaskStateEntered"));

    failing = false;
    await redrive(engine, run);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual({ order: 7, region: "eu" });
    expect(run.info.arn).toBe("arn:aws:states:us-east-1:123456789012:execution:redrive-me:" + run.info.name);
    expect(run.redriveCount).toBe(1);
    // The history goes on: ExecutionRedriven right after ExecutionFailed, then the failed state again.
    const redriven = eventOf(run, "ExecutionRedriven");
    expect(redriven).toMatchObject({ id: failedAt.id + 1, previousEventId: failedAt.id, executionRedrivenEventDetails: { redriveCount: 1 } });
    const again = eventOf(run, "TaskStateEntered", 1);
    expect(again.previousEventId).toBe(redriven.id);
    expect(details(again)).toEqual(firstEntered);
    expect(enteredStates(run)).toEqual(["Prepare", "Charge", "Charge"]);
    expect(work.calls()).toBe(2);
    expect(types(run).at(-1)).toBe("ExecutionSucceeded");
    expect(run.history.map((e) => e.id)).toEqual(run.history.map((_, i) => i + 1));
  });

  it("starts the failed state's retry counters afresh and can redrive again", async () => {
    const work = flaky(() => true);
    const { engine, go } = setup({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: lambdaArn("work"), Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 2, IntervalSeconds: 1 }], End: true } },
    }, { work: work.fn });
    const run = await go();
    expect(work.calls()).toBe(3);
    await redrive(engine, run);
    expect(run.status).toBe("FAILED");
    expect(work.calls()).toBe(6);
    await redrive(engine, run);
    expect(work.calls()).toBe(9);
    expect(run.redriveCount).toBe(2);
    expect(eventsOf(run, "ExecutionRedriven").map((e) => details(e)["redriveCount"])).toEqual([1, 2]);
  });

  it("$$.Execution.RedriveCount and RedriveTime tell the redriven execution", async () => {
    const seen: Json[] = [];
    const { engine, go } = setup({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: lambdaArn("f"), Parameters: { "count.$": "$$.Execution.RedriveCount", "execution.$": "$$.Execution" }, End: true } },
    }, {
      f: (input) => {
        seen.push(input);
        if ((input as { count: number }).count === 0) throw named("First", "first attempt");
        return input;
      },
    });
    const run = await go();
    await redrive(engine, run);
    expect(run.status).toBe("SUCCEEDED");
    const [first, second] = seen as { execution: Record<string, Json> }[];
    expect(first!.execution["RedriveCount"]).toBe(0);
    expect(first!.execution["RedriveTime"]).toBeUndefined();
    expect(second!.execution["RedriveCount"]).toBe(1);
    expect(second!.execution["RedriveTime"]).toBe(new Date(run.redriveDate as number).toISOString());
  });

  it("re-runs only the Parallel branches that did not succeed", async () => {
    let failing = true;
    const steady = flaky(() => false);
    const shaky = flaky(() => failing);
    const branch = (fn: string): object => ({ StartAt: fn, States: { [fn]: { Type: "Task", Resource: lambdaArn(fn), ResultSelector: { "from.$": "$.from" }, End: true } } });
    const { engine, go } = setup({
      StartAt: "P",
      States: { P: { Type: "Parallel", Branches: [branch("steady"), branch("shaky")], Parameters: { "from.$": "$.who" }, End: true } },
    }, { steady: steady.fn, shaky: shaky.fn });
    const run = await go({ who: "me" });
    expect(run.status).toBe("FAILED");
    failing = false;
    await redrive(engine, run);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual([{ from: "me" }, { from: "me" }]);
    expect(steady.calls()).toBe(1);
    expect(shaky.calls()).toBe(2);
    expect(types(afterRedrive(run))).toEqual([
      "ParallelStateEntered", "ParallelStateStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
      "LambdaFunctionSucceeded", "TaskStateExited", "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded",
    ]);
  });

  it("re-runs only the inline Map iterations that did not succeed, each from the state where it failed", async () => {
    let failing = true;
    let calls = 0;
    const check = (item: Json): Json => {
      calls++;
      if (item === 2 && failing) throw named("Flaky", "item 2");
      return (item as number) * 10;
    };
    const { engine, go } = setup({
      StartAt: "M",
      States: {
        M: {
          Type: "Map", MaxConcurrency: 1, End: true,
          ItemProcessor: { StartAt: "Prep", States: { Prep: { Type: "Pass", Next: "Work" }, Work: { Type: "Task", Resource: lambdaArn("check"), End: true } } },
        },
      },
    }, { check });
    const run = await go([1, 2, 3]);
    expect(run.status).toBe("FAILED");
    expect(calls).toBe(2);
    failing = false;
    await redrive(engine, run);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual([10, 20, 30]);
    expect(calls).toBe(4);
    const after = afterRedrive(run);
    // Item 1 kept its result; item 2 resumed at Work (not Prep); item 3 ran from its beginning.
    expect(eventsOf(after, "MapIterationStarted").map((e) => details(e)["index"])).toEqual([1, 2]);
    expect(enteredStates(after)).toEqual(["M", "Work", "Prep", "Work"]);
    expect(details(eventOf(after, "TaskStateEntered"))["input"]).toBe("2");
  });

  it("an aborted execution resumes where it was, running children included", async () => {
    let release = false;
    const wait = flaky(() => false);
    const { engine } = setup({ StartAt: "P", States: { P: { Type: "Parallel", End: true, Branches: [
      { StartAt: "Quick", States: { Quick: { Type: "Task", Resource: lambdaArn("quick"), End: true } } },
      { StartAt: "Before", States: { Before: { Type: "Pass", Next: "Slow" }, Slow: { Type: "Task", Resource: lambdaArn("slow"), End: true } } },
    ] } } }, { quick: wait.fn, slow: (input) => (release ? input : never()) });
    const sm = engine.getStateMachine("arn:aws:states:us-east-1:123456789012:stateMachine:redrive-me")!;
    const run = engine.startExecution(sm, { n: 1 });
    await new Promise((r) => setTimeout(r, 30));
    engine.stopExecution(run, "Operator", "stop");
    await engine.result(run);
    expect(run.status).toBe("ABORTED");
    release = true;
    await redrive(engine, run);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual([{ n: 1 }, { n: 1 }]);
    expect(wait.calls()).toBe(1);
    // The slow branch resumes at Slow: Before does not run again.
    expect(enteredStates(afterRedrive(run))).toEqual(["P", "Slow"]);
    expect(eventOf(run, "ExecutionRedriven").previousEventId).toBe(eventOf(run, "ExecutionAborted").id);
  });

  it("a timed-out execution is redriven with its TimeoutSeconds counted again from the redrive", async () => {
    let release = false;
    const clock = new VirtualClock(1_000_000);
    const { engine } = setup({ TimeoutSeconds: 60, StartAt: "T", States: { T: { Type: "Task", Resource: lambdaArn("slow"), End: true } } },
      { slow: (input) => (release ? input : never()) }, clock);
    const sm = engine.getStateMachine("arn:aws:states:us-east-1:123456789012:stateMachine:redrive-me")!;
    const run = engine.startExecution(sm, { x: 1 });
    await engine.result(run);
    expect(run.status).toBe("TIMED_OUT");
    expect(run.stopDate).toBe(1_060_000);
    clock.advanceTo(2_000_000);
    release = true;
    await redrive(engine, run);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.redriveDate).toBe(2_000_000);
    expect(types(run)).toContain("ExecutionTimedOut");
  });

  it("refuses what AWS refuses: succeeded, running, Express, more than 14 days after it stopped", async () => {
    const clock = new VirtualClock(0);
    const { engine, go } = setup({ StartAt: "T", States: { T: { Type: "Task", Resource: lambdaArn("f"), End: true } } },
      { f: (input) => { if ((input as { fail?: boolean }).fail) throw named("No", "no"); return input; }, hang: () => never() }, clock);
    const succeeded = await go({});
    expect(() => engine.redriveExecution(succeeded)).toThrow(new ExecutionNotRedrivable("Execution is SUCCEEDED and cannot be redriven"));
    const hanging = engine.createStateMachine("hang", { StartAt: "H", States: { H: { Type: "Task", Resource: lambdaArn("hang"), End: true } } });
    const running = engine.startExecution(hanging, {});
    expect(() => engine.redriveExecution(running)).toThrow("Execution is RUNNING and cannot be redriven");
    engine.stopExecution(running);
    const express = engine.createStateMachine("quick", { StartAt: "N", States: { N: { Type: "Fail", Error: "E" } } }, "EXPRESS");
    const expressRun = engine.startExecution(express, {});
    await engine.result(expressRun);
    expect(() => engine.redriveExecution(expressRun)).toThrow(ExecutionNotRedrivable);

    const failed = await go({ fail: true });
    expect(engine.redriveStatus(failed)).toEqual({ status: "REDRIVABLE" });
    clock.advanceTo((failed.stopDate as number) + 14 * DAY_MS + 1);
    expect(engine.redriveStatus(failed)).toEqual({ status: "NOT_REDRIVABLE", reason: "Execution redrivable period exceeded" });
    expect(() => engine.redriveExecution(failed)).toThrow("Execution redrivable period exceeded");
    expect(failed.status).toBe("FAILED");
  });

  it("a client token used again answers the first redrive and redrives nothing", async () => {
    const work = flaky(() => true);
    const { engine, go } = setup({ StartAt: "T", States: { T: { Type: "Task", Resource: lambdaArn("work"), End: true } } }, { work: work.fn });
    const run = await go();
    const first = engine.redriveExecution(run, "token-1");
    expect(engine.redriveExecution(run, "token-1")).toBe(first);
    await engine.result(run);
    expect(engine.redriveExecution(run, "token-1")).toBe(first);
    expect(run.redriveCount).toBe(1);
    expect(work.calls()).toBe(2);
    expect(() => engine.redriveExecution(run, "token-2")).not.toThrow();
    await engine.result(run);
    expect(run.redriveCount).toBe(2);
  });
});
