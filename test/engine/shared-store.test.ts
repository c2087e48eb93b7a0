/**
 * Two engines sharing one store, as two runtime nodes of distributed mode do (the engine's
 * side of #6, without NATS): tasks go to a queue both take answers from, each answer is
 * applied by whichever engine takes it, callbacks and stops reach either engine, and a
 * node that stored a step but died before its effects leaves work the other one's sweep finds.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../../runtime/engine/engine.js";
import type { ExecutionStore, HistoryEvent } from "../../runtime/ports/execution-store.js";
import type { TaskAnswer, TaskBus, TaskRequest } from "../../runtime/ports/task-bus.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { contiguityProblem } from "../durable/helpers.js";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:add";

/** A work queue of tasks, deduplicated by task id as JetStream's Msg-Id does; `down` drops what a dead node would not publish. */
class QueueBus implements TaskBus {
  readonly queue: TaskRequest[] = [];
  readonly seen = new Set<string>();
  down = false;
  dispatch(task: TaskRequest): void {
    const id = `${task.executionArn}#${task.taskId}`;
    if (this.down || this.seen.has(id)) return;
    this.seen.add(id);
    this.queue.push(task);
  }
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function node(store: ExecutionStore, bus: TaskBus): Promise<Engine> {
  const engine = new Engine({ store, taskBus: bus, shared: { sweepIntervalMs: 3_600_000 }, log: { warn: () => undefined, error: () => undefined } });
  engines.push(engine);
  await engine.start();
  return engine;
}

/** Works the queue: each task's answer goes to the engines in turn; a "retry" goes back in the queue. */
async function work(bus: QueueBus, nodes: readonly Engine[], run: (task: TaskRequest) => TaskAnswer, until: () => Promise<boolean>): Promise<number> {
  let applied = 0;
  const deadline = Date.now() + 15_000;
  while (!(await until())) {
    if (Date.now() > deadline) throw new Error(`work did not finish: ${bus.queue.length} tasks queued`);
    const task = bus.queue.shift();
    if (!task) {
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    const target = nodes[applied++ % nodes.length] as Engine;
    const outcome = await target.applyAnswer(task.executionArn, task.taskId, run(task));
    if (outcome === "retry") bus.queue.push(task);
  }
  return applied;
}

const chain = {
  StartAt: "One",
  States: {
    One: { Type: "Task", Resource: FN, Next: "Two" },
    Two: { Type: "Task", Resource: FN, Next: "Three" },
    Three: { Type: "Task", Resource: FN, End: true },
  },
};
const add = (task: TaskRequest): TaskAnswer => ({ type: "succeeded", output: { n: Number((task.payload as JsonObject)["n"]) + 1 } });

async function allEnded(store: ExecutionStore, arns: readonly string[]): Promise<boolean> {
  for (const arn of arns) if ((await store.load(arn))?.summary.status === "RUNNING") return false;
  return true;
}

async function storedHistory(store: ExecutionStore, arn: string): Promise<readonly HistoryEvent[]> {
  return (await store.readHistory(arn, { limit: 1000 }))?.events ?? [];
}

describe("engines sharing a store (distributed mode's nodes)", () => {
  it("finish executions whose answers each node applies in turn: right outputs, one result per task, contiguous histories", async () => {
    const store = new MemoryExecutionStore();
    const bus = new QueueBus();
    const a = await node(store, bus);
    const b = await node(store, bus);
    const machine = a.createStateMachine("Chain", chain);
    b.createStateMachine("Chain", chain);
    const arns = Array.from({ length: 20 }, (_, i) => a.startExecution(machine, { n: i * 10 }).info.arn);
    await a.flushed();
    await work(bus, [b, a], add, () => allEnded(store, arns));
    for (const [i, arn] of arns.entries()) {
      const stored = await store.load(arn);
      expect(stored?.summary.status).toBe("SUCCEEDED");
      expect(JSON.parse(stored?.summary.output ?? "null")).toEqual({ n: i * 10 + 3 });
      const history = await storedHistory(store, arn);
      expect(contiguityProblem(history)).toBeUndefined();
      expect(history.filter((e) => e.type === "LambdaFunctionSucceeded")).toHaveLength(3);
      expect(history.filter((e) => e.type === "LambdaFunctionScheduled")).toHaveLength(3);
    }
  });

  it("applies an answer that comes twice, to two nodes, once", async () => {
    const store = new MemoryExecutionStore();
    const bus = new QueueBus();
    const a = await node(store, bus);
    const b = await node(store, bus);
    const machine = a.createStateMachine("Chain", chain);
    const arn = a.startExecution(machine, { n: 0 }).info.arn;
    await a.flushed();
    const first = bus.queue.shift() as TaskRequest;
    const answer = add(first);
    const outcomes = await Promise.all([a.applyAnswer(arn, first.taskId, answer), b.applyAnswer(arn, first.taskId, answer)]);
    // Both settle: the one that lost the race finds, once it has reread the store, that the task no longer waits.
    for (let i = 0; i < 5 && outcomes.includes("retry"); i++) outcomes.splice(0, 2, ...(await Promise.all([a.applyAnswer(arn, first.taskId, answer), b.applyAnswer(arn, first.taskId, answer)])));
    expect(outcomes).toEqual(["done", "done"]);
    await work(bus, [a, b], add, () => allEnded(store, [arn]));
    expect(JSON.parse((await store.load(arn))?.summary.output ?? "null")).toEqual({ n: 3 });
    expect((await storedHistory(store, arn)).filter((e) => e.type === "LambdaFunctionSucceeded")).toHaveLength(3);
  });

  it("puts back to work, by a sweep of the other node, an execution whose node stored a step and died before dispatching", async () => {
    const store = new MemoryExecutionStore();
    const deadBus = new QueueBus();
    deadBus.down = true;
    const a = await node(store, deadBus);
    const bus = new QueueBus();
    const b = await node(store, bus);
    const machine = a.createStateMachine("Chain", chain);
    const arn = a.startExecution(machine, { n: 5 }).info.arn;
    await a.flushed();
    await a.close();
    expect(bus.queue).toHaveLength(0);
    const before = (await storedHistory(store, arn)).length;
    // A node that never saw it reads it (ExecutionStarted … TaskScheduled) and dispatches its task again.
    expect(before).toBeGreaterThan(0);
    const swept = await b.sweep();
    expect(swept).toBe(1);
    expect(bus.queue.map((t) => t.payload)).toEqual([{ n: 5 }]);
    await work(bus, [b], add, () => allEnded(store, [arn]));
    expect(JSON.parse((await store.load(arn))?.summary.output ?? "null")).toEqual({ n: 8 });
  });

  it("resumes a callback task on whichever node SendTaskSuccess reaches, and a second answer is TaskTimedOut", async () => {
    const store = new MemoryExecutionStore();
    const bus = new QueueBus();
    const a = await node(store, bus);
    const b = await node(store, bus);
    const callback = {
      StartAt: "Ask",
      States: { Ask: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { "token.$": "$$.Task.Token" }, End: true } },
    };
    const machine = a.createStateMachine("Ask", callback);
    const arn = a.startExecution(machine, {}).info.arn;
    await a.flushed();
    const task = bus.queue.shift() as TaskRequest;
    const token = (task.payload as JsonObject)["token"] as string;
    // The worker's own answer hands the token off; the result comes from SendTaskSuccess on the other node.
    expect(await a.applyAnswer(arn, task.taskId, { type: "succeeded", output: { sent: true } })).toBe("done");
    await b.prepareToken(token);
    b.sendTaskSuccess(token, { approved: true } as Json);
    await b.flushed();
    expect(JSON.parse((await store.load(arn))?.summary.output ?? "null")).toEqual({ approved: true });
    await a.prepareToken(token);
    expect(() => a.sendTaskSuccess(token, {})).toThrow(/does not exist anymore/);
  });

  it("tells a waiter on one node that another node finished the execution (a nested .sync task waits like this)", async () => {
    const store = new MemoryExecutionStore();
    const bus = new QueueBus();
    const a = await node(store, bus);
    const b = await node(store, bus);
    const run = b.startExecution(b.createStateMachine("Chain", chain), { n: 1 });
    await b.flushed();
    const result = b.result(run);
    await work(bus, [a], add, () => allEnded(store, [run.info.arn]));
    expect(await result).toMatchObject({ status: "SUCCEEDED", output: { n: 4 } });
  });

  it("stops an execution on a node that did not start it", async () => {
    const store = new MemoryExecutionStore();
    const bus = new QueueBus();
    const a = await node(store, bus);
    const b = await node(store, bus);
    const arn = a.startExecution(a.createStateMachine("Chain", chain), { n: 0 }).info.arn;
    await a.flushed();
    const run = await b.loadExecution(arn);
    b.stopExecution(run as NonNullable<typeof run>, "Ops.Stop", "by hand");
    await b.flushed();
    expect((await store.load(arn))?.summary).toMatchObject({ status: "ABORTED" });
    // The task's late answer changes nothing.
    const task = bus.queue.shift() as TaskRequest;
    expect(await a.applyAnswer(arn, task.taskId, add(task))).toBe("done");
    expect((await store.load(arn))?.summary.status).toBe("ABORTED");
  });
});
