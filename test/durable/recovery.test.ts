/**
 * Recovery in one process: a first engine leaves executions waiting (a Wait, a retry
 * backoff, a callback token, a task never answered) and stops without finishing them; a
 * second engine on the same store recovers them, on virtual time from where the first
 * stopped, and each finishes as an uninterrupted run does. (Crashes of real processes:
 * crash.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { Engine, type EngineOptions } from "../../runtime/engine/engine.js";
import { VirtualClock } from "../../runtime/clock/virtual-clock.js";
import type { TaskFunctions } from "../../runtime/bus/task-functions.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { StoreCorruptionError } from "../../runtime/ports/execution-store.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import type { Json } from "../../translators/json.js";
import { comparable, contiguityProblem } from "./helpers.js";

const T0 = Date.UTC(2026, 0, 1);
const frozen: Clock = { now: () => T0 };
const lambda = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const silent = { warn: () => {}, error: () => {} };

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** The engine that stops midway: real timers on a clock that never moves, so nothing it waits for fires. */
async function firstEngine(store: MemoryExecutionStore, functions: TaskFunctions, options: EngineOptions = {}): Promise<Engine> {
  const engine = new Engine({ store, functions, clock: frozen, log: silent, ...options });
  engines.push(engine);
  await engine.start();
  return engine;
}

/** The engine after the restart: virtual time from where the first one stopped. */
async function secondEngine(store: MemoryExecutionStore, functions: TaskFunctions, options: EngineOptions = {}): Promise<Engine> {
  const engine = new Engine({ store, functions, virtualTime: true, clock: new VirtualClock(T0), log: silent, ...options });
  engines.push(engine);
  await engine.start();
  return engine;
}

/** Stops an engine as a crash would leave it: nothing after its last commit is stored. */
async function stop(engine: Engine): Promise<void> {
  await engine.flushed();
  await engine.close();
}

/** Resolves with the recovered execution's result once it has finished (it left memory: read the store). */
async function finished(engine: Engine, arn: string): Promise<{ status: string; output?: Json; history: readonly Record<string, unknown>[] }> {
  const run = engine.getExecution(arn);
  if (run) await engine.result(run);
  await engine.flushed();
  const stored = await engine.store?.load(arn);
  const page = await engine.store?.readHistory(arn, { limit: 10_000 });
  if (!stored || !page) throw new Error(`no ${arn} in the store`);
  return { status: stored.summary.status, ...(stored.summary.output !== undefined ? { output: JSON.parse(stored.summary.output) as Json } : {}), history: page.events };
}

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!check()) throw new Error("timed out waiting");
}

/** The same definition, uninterrupted, in memory on virtual time. */
async function uninterrupted(definition: object, input: Json, functions: TaskFunctions, name: string): Promise<readonly Record<string, unknown>[]> {
  const engine = new Engine({ functions, virtualTime: true, clock: new VirtualClock(T0) });
  try {
    const run = engine.startExecution(engine.createStateMachine("sm", definition), input, name);
    return (await engine.result(run)).history;
  } finally {
    await engine.close();
  }
}

describe("recovery after a stop", () => {
  it("a Wait of a year finishes after the restart, at its due time", async () => {
    const store = new MemoryExecutionStore();
    const definition = { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 365 * 24 * 3600, Next: "Done" }, Done: { Type: "Pass", Result: "done", End: true } } };
    const first = await firstEngine(store, {});
    const run = first.startExecution(first.createStateMachine("sm", definition), { a: 1 }, "wait");
    await stop(first);
    expect((await store.listRunning()).items).toEqual([run.info.arn]);
    expect(await store.timersDue(Infinity)).toMatchObject({ items: [{ dueAt: T0 + 365 * 24 * 3600 * 1000 }] });

    const second = await secondEngine(store, {});
    const result = await finished(second, run.info.arn);
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toBe("done");
    expect(contiguityProblem(result.history as never)).toBeUndefined();
    expect(comparable(result.history as never)).toEqual(comparable((await uninterrupted(definition, { a: 1 }, {}, "wait")) as never));
    expect(result.history.at(-1)?.["timestamp"]).toBe(T0 + 365 * 24 * 3600 * 1000);
    expect((await store.timersDue(Infinity)).items).toEqual([]);
  });

  it("a retry backoff fires after the restart, and each attempt runs once", async () => {
    const store = new MemoryExecutionStore();
    const attempts: string[] = [];
    const flaky = (engine: string): TaskFunctions => ({
      Flaky: () => {
        attempts.push(engine);
        if (attempts.length < 2) throw Object.assign(new Error("not yet"), { name: "Busy" });
        return { ok: attempts.length };
      },
    });
    const definition = { StartAt: "Work", States: { Work: { Type: "Task", Resource: lambda("Flaky"), Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 600, MaxAttempts: 3 }], End: true } } };
    const first = await firstEngine(store, flaky("first"));
    const run = first.startExecution(first.createStateMachine("sm", definition), {}, "retry");
    await waitUntil(() => run.history.some((e) => e.type === "LambdaFunctionFailed"));
    await stop(first);

    const second = await secondEngine(store, flaky("second"));
    const result = await finished(second, run.info.arn);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { ok: 2 } });
    expect(attempts).toEqual(["first", "second"]);
    expect(contiguityProblem(result.history as never)).toBeUndefined();
    attempts.length = 0;
    expect(comparable(result.history as never)).toEqual(comparable((await uninterrupted(definition, {}, flaky("memory"), "retry")) as never));
  });

  it("a callback task token handed out before the restart is honoured after it, and the task is not sent again", async () => {
    const store = new MemoryExecutionStore();
    const sent: string[] = [];
    const functions: TaskFunctions = { Ask: (_input, context) => void sent.push(context.taskToken ?? "") };
    const definition = {
      StartAt: "Ask",
      States: { Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "Ask", Payload: { "token.$": "$$.Task.Token" } }, End: true } },
    };
    const first = await firstEngine(store, functions);
    const run = first.startExecution(first.createStateMachine("sm", definition), {}, "callback");
    await waitUntil(() => sent.length === 1);
    await stop(first);

    const second = await secondEngine(store, functions);
    second.sendTaskSuccess(sent[0] as string, { approved: true });
    const result = await finished(second, run.info.arn);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { approved: true } });
    expect(sent).toHaveLength(1);
    expect(() => second.sendTaskSuccess(sent[0] as string, {})).toThrow(/does not exist/);
    expect(contiguityProblem(result.history as never)).toBeUndefined();
  });

  it("a task that never answered is dispatched again under the same task id, with one Started event", async () => {
    const store = new MemoryExecutionStore();
    const calls: string[] = [];
    const first = await firstEngine(store, { Slow: (_i, c) => (calls.push(`first ${c.executionArn}`), new Promise(() => {})) });
    const definition = { StartAt: "Slow", States: { Slow: { Type: "Task", Resource: lambda("Slow"), End: true } } };
    const run = first.startExecution(first.createStateMachine("sm", definition), { n: 1 }, "inflight");
    await waitUntil(() => calls.length === 1);
    await stop(first);

    const second = await secondEngine(store, { Slow: (input) => (calls.push("second"), input) });
    const result = await finished(second, run.info.arn);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { n: 1 } });
    expect(calls).toEqual([`first ${run.info.arn}`, "second"]);
    expect(result.history.map((e) => e["type"])).toEqual([
      "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
  });

  it("Parallel branches and Map iterations in flight resume where they were", async () => {
    const store = new MemoryExecutionStore();
    const seen: Json[] = [];
    let hold = true;
    const functions = (): TaskFunctions => ({ Echo: (input) => (seen.push(input), hold ? new Promise(() => {}) : input) });
    const definition = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Task", Resource: lambda("Echo"), End: true } } },
            { StartAt: "W", States: { W: { Type: "Wait", Seconds: 30, Next: "B" }, B: { Type: "Pass", Result: "b", End: true } } },
          ],
          Next: "Each",
        },
        Each: { Type: "Map", ItemsPath: "$[0].items", ItemProcessor: { StartAt: "E", States: { E: { Type: "Task", Resource: lambda("Echo"), End: true } } }, End: true },
      },
    };
    const first = await firstEngine(store, functions());
    const run = first.startExecution(first.createStateMachine("sm", definition), { items: [1, 2, 3] }, "nested");
    await waitUntil(() => seen.length === 1);
    await stop(first);

    hold = false;
    const second = await secondEngine(store, functions());
    const result = await finished(second, run.info.arn);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: [1, 2, 3] });
    expect(contiguityProblem(result.history as never)).toBeUndefined();
    const again = await uninterrupted(definition, { items: [1, 2, 3] }, { Echo: (input) => input }, "nested");
    expect(comparable(result.history as never)).toEqual(comparable(again as never));
  });

  for (const executionType of ["STANDARD", "EXPRESS"]) {
    it(`a Distributed Map's ${executionType} child executions in flight finish after the restart, and the map run goes on`, async () => {
      const store = new MemoryExecutionStore();
      const calls: Json[] = [];
      let hold = true;
      const functions = (): TaskFunctions => ({ Work: (item) => (calls.push(item), hold ? new Promise(() => {}) : (item as number) * 10) });
      const definition = {
        StartAt: "M",
        States: {
          M: {
            Type: "Map", Label: "Items", MaxConcurrency: 2, End: true,
            ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: executionType }, StartAt: "Work", States: { Work: { Type: "Task", Resource: lambda("Work"), End: true } } },
          },
        },
      };
      const first = await firstEngine(store, functions());
      const run = first.startExecution(first.createStateMachine("dm", definition), [1, 2, 3, 4, 5], "distributed");
      await waitUntil(() => calls.length === 2);
      await stop(first);
      expect((await store.listRunning()).items).toHaveLength(3);

      hold = false;
      const second = await secondEngine(store, functions());
      const result = await finished(second, run.info.arn);
      expect(result).toMatchObject({ status: "SUCCEEDED", output: [10, 20, 30, 40, 50] });
      // Items 1 and 2 were in flight: dispatched again (in the order recovery finds them), then 3 to 5.
      expect([...calls.slice(0, 2), ...calls.slice(2, 4).sort(), ...calls.slice(4)]).toEqual([1, 2, 1, 2, 3, 4, 5]);
      expect(contiguityProblem(result.history as never)).toBeUndefined();
      expect(comparable(result.history as never).map((e) => (e as { type: string }).type)).toEqual([
        "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded",
      ]);
      const children = (await store.listExecutions({ arn: "arn:aws:states:us-east-1:123456789012:stateMachine:dm/Items" })).items;
      expect(children.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
      expect((await store.listRunning()).items).toEqual([]);
    });
  }

  it("a Distributed Map child launched but never stored (the process died between the parent's step and the child's first) starts after the restart, once", async () => {
    // The first process's store gets the parent's steps but never a new child's first one: as
    // if it died between the two commits. (Its engine takes the refusal as a conflict with no
    // stored execution, drops the child and goes on waiting for it.)
    class LosesNewChildren extends MemoryExecutionStore {
      losing = true;
      override async commit(changes: Parameters<MemoryExecutionStore["commit"]>[0]): ReturnType<MemoryExecutionStore["commit"]> {
        const lost = (c: (typeof changes)[number]): boolean => this.losing && c.expectedRevision === 0 && c.summary.mapRunArn !== undefined;
        const kept = await super.commit(changes.filter((c) => !lost(c)));
        return changes.map((c) => (lost(c) ? { status: "conflict", executionArn: c.summary.executionArn, revision: 0 } : (kept.shift() as (typeof kept)[number])));
      }
    }
    const store = new LosesNewChildren();
    const calls: Json[] = [];
    const functions: TaskFunctions = { Work: (item) => (calls.push(item), (item as number) * 10) };
    const definition = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map", Label: "Items", MaxConcurrency: 2, End: true,
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Task", Resource: lambda("Work"), End: true } } },
        },
      },
    };
    const first = await firstEngine(store, functions);
    const run = first.startExecution(first.createStateMachine("dm", definition), [1, 2, 3], "lost-children");
    await stop(first);
    expect(calls).toEqual([]);
    expect((await store.listRunning()).items).toEqual([run.info.arn]);

    store.losing = false;
    const second = await secondEngine(store, functions);
    const result = await finished(second, run.info.arn);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: [10, 20, 30] });
    expect([...calls].sort()).toEqual([1, 2, 3]);
    const children = (await store.listExecutions({ arn: "arn:aws:states:us-east-1:123456789012:stateMachine:dm/Items" })).items;
    expect(children.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  });

  it("the execution's TimeoutSeconds counts the time before the restart", async () => {
    const store = new MemoryExecutionStore();
    const definition = { TimeoutSeconds: 60, StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 3600, End: true } } };
    const first = await firstEngine(store, {});
    const run = first.startExecution(first.createStateMachine("sm", definition), {}, "timeout");
    await stop(first);
    const second = await secondEngine(store, {});
    const result = await finished(second, run.info.arn);
    expect(result.status).toBe("TIMED_OUT");
    expect(result.history.at(-1)).toMatchObject({ type: "ExecutionTimedOut", timestamp: T0 + 60_000 });
  });

  it("an execution whose stored state cannot be read is skipped, named, and the others recover", async () => {
    const store = new MemoryExecutionStore();
    const definition = { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 10, End: true } } };
    const first = await firstEngine(store, {});
    const sm = first.createStateMachine("sm", definition);
    const good = first.startExecution(sm, {}, "good");
    const bad = first.startExecution(sm, {}, "bad");
    await stop(first);
    await store.writeRawRecord("state", bad.info.arn, Buffer.from("garbage"));

    const errors: string[] = [];
    const second = new Engine({ store, virtualTime: true, clock: new VirtualClock(T0), log: { warn: () => {}, error: (d) => errors.push(String((d as { err?: Error }).err)) } });
    engines.push(second);
    const report = await second.start();
    expect(report.recovered).toBe(1);
    expect(report.skipped).toEqual([{ executionArn: bad.info.arn, error: expect.stringContaining(`corrupted state record ${JSON.stringify(bad.info.arn)}`) }]);
    expect(errors[0]).toContain(bad.info.arn);
    expect((await finished(second, good.info.arn)).status).toBe("SUCCEEDED");
    await expect(second.loadExecution(bad.info.arn)).rejects.toBeInstanceOf(StoreCorruptionError);
  });

  it("a step that conflicts with another writer reloads the execution and applies the task answer again", async () => {
    const store = new MemoryExecutionStore();
    const sent: string[] = [];
    const warnings: string[] = [];
    const definition = {
      StartAt: "Ask",
      States: {
        Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "Ask", Payload: { "token.$": "$$.Task.Token" } }, Next: "Done" },
        Done: { Type: "Pass", End: true },
      },
    };
    const engine = await secondEngine(store, { Ask: (_i, c) => void sent.push(c.taskToken ?? "") }, { log: { warn: (_d, m) => warnings.push(m), error: () => {} } });
    const run = engine.startExecution(engine.createStateMachine("sm", definition), {}, "conflict");
    await waitUntil(() => sent.length === 1);
    await engine.flushed();
    // Another writer stores the execution meanwhile (same state, one revision further).
    const stored = await store.load(run.info.arn);
    expect(await store.commit([{ expectedRevision: stored!.revision, summary: stored!.summary, state: stored!.state }])).toMatchObject([{ status: "ok" }]);

    engine.sendTaskSuccess(sent[0] as string, { answer: 42 });
    const result = await finished(engine, run.info.arn);
    expect(warnings).toEqual(["execution changed in the store meanwhile: reloading it"]);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { answer: 42 } });
    expect(sent).toHaveLength(1);
    expect(contiguityProblem(result.history as never)).toBeUndefined();
    expect(result.history.filter((e) => e["type"] === "TaskSucceeded")).toHaveLength(1);
  });

  it("a step the store rejects fails the execution with States.Runtime after the events it holds", async () => {
    const memory = new MemoryExecutionStore();
    let refuse = 0;
    // A store that refuses the step after the Wait, as it would a history id gap.
    const store = new Proxy(memory, {
      get(target, key, receiver) {
        if (key !== "commit") return Reflect.get(target, key, receiver) as unknown;
        return async (changes: Parameters<MemoryExecutionStore["commit"]>[0]) => {
          if (refuse-- <= 0) return target.commit(changes);
          return changes.map((c) => ({ status: "rejected" as const, executionArn: c.summary.executionArn, reason: "event 0 has id 7, expected 5" }));
        };
      },
    });
    const errors: string[] = [];
    const engine = new Engine({ store, virtualTime: true, clock: new VirtualClock(T0), log: { warn: () => {}, error: (_d, m) => errors.push(m) } });
    engines.push(engine);
    await engine.start();
    const definition = { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 5, Next: "Done" }, Done: { Type: "Pass", End: true } } };
    const run = engine.startExecution(engine.createStateMachine("sm", definition), {}, "rejected");
    await engine.flushed();
    refuse = 1;
    const result = await engine.result(run);
    expect(result).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: "The execution's state could not be stored: event 0 has id 7, expected 5" });
    expect(errors).toEqual(["the store rejected a step of this execution (a bug): it fails with States.Runtime"]);
    expect(result.history.map((e) => e.type)).toEqual(["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]);
    expect((await memory.load(run.info.arn))?.summary).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect((await memory.readHistory(run.info.arn))?.events.map((e) => e.type)).toEqual(["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]);
  });

  it("Express executions are not stored", async () => {
    const store = new MemoryExecutionStore();
    const engine = await secondEngine(store, {});
    const sm = engine.createStateMachine("fast", { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, "EXPRESS");
    const result = await engine.result(engine.startExecution(sm, { x: 1 }));
    expect(result.status).toBe("SUCCEEDED");
    await engine.flushed();
    expect(await store.load(result.executionArn)).toBeUndefined();
    expect(store.stats().commits).toBe(0);
  });

  it("a finished execution leaves memory once stored, and comes back for a redrive", async () => {
    const store = new MemoryExecutionStore();
    let fail = true;
    const engine = await secondEngine(store, { Step: (input) => { if (fail) throw Object.assign(new Error("no"), { name: "Nope" }); return input; } });
    const sm = engine.createStateMachine("sm", { StartAt: "Step", States: { Step: { Type: "Task", Resource: lambda("Step"), End: true } } });
    const run = engine.startExecution(sm, { v: 1 }, "redrive");
    expect((await engine.result(run)).status).toBe("FAILED");
    await engine.flushed();
    expect(engine.getExecution(run.info.arn)).toBeUndefined();
    expect((await store.load(run.info.arn))?.summary).toMatchObject({ status: "FAILED", error: "Nope" });

    fail = false;
    const again = await engine.loadExecution(run.info.arn);
    expect(again?.status).toBe("FAILED");
    engine.redriveExecution(again!);
    const result = await finished(engine, run.info.arn);
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { v: 1 } });
    expect(result.history.map((e) => e["type"])).toContain("ExecutionRedriven");
    expect(contiguityProblem(result.history as never)).toBeUndefined();
  });

  it("refuses to start executions before start()", () => {
    const engine = new Engine({ store: new MemoryExecutionStore() });
    engines.push(engine);
    const sm = engine.createStateMachine("sm", { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    expect(() => engine.startExecution(sm, {})).toThrow(/engine.start\(\)/);
  });
});
