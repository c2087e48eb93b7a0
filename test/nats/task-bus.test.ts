/**
 * JetStreamTaskBus (a runtime node's side) and JetStreamWorker (an adapter worker) on a
 * real nats-server, in this process with fake adapters: round trips, failure mapping,
 * one run per task id, a worker dying mid-task, draining, the concurrency bound. Each test
 * has its own namespace (streams, consumers, claims bucket) on the file's server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "../../translators/json.js";
import { connectJetStream, type JetStreamLink } from "../../runtime/nats/jetstream-connection.js";
import { ensureTaskStreams, JetStreamTaskBus, taskBusNames } from "../../runtime/nats/jetstream-task-bus.js";
import { JetStreamWorker, type JetStreamWorkerOptions } from "../../runtime/nats/jetstream-worker.js";
import { encodeWire } from "../../runtime/nats/wire-codec.js";
import type { AnswerMessage, TaskMessage } from "../../runtime/nats/wire.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { TaskReply, TaskRequest } from "../../runtime/ports/task-bus.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

let server: NatsServer;
let n = 0;
/** Connections, workers and buses a test opened, closed after it. */
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await server?.stop();
});

async function link(): Promise<JetStreamLink> {
  const l = await connectJetStream({ servers: server.url, name: "task-bus-test" });
  cleanups.push(() => l.nc.close());
  return l;
}

/** Resolves once `condition` holds; fails the test after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ARN = "arn:aws:states:us-east-1:123456789012:execution:flow:";

function task(id: string, payload: Json = { n: 1 }): TaskRequest {
  return { taskId: id, resource: "arn:aws:states:::lambda:invoke", payload, stateName: "Work", executionArn: `${ARN}e-${id}` };
}

function fakeAdapter(run: (task: AdapterTask) => Promise<Json>, name = "fake"): Adapter {
  return { name, resources: ["fake:*"], handles: () => true, run };
}

/** A reply that records calls: in distributed mode only a routing failure uses it. */
function recordingReply(): TaskReply & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    started: (w) => void calls.push(["started", w]),
    succeeded: (o) => void calls.push(["succeeded", o]),
    failed: (e, c) => void calls.push(["failed", e, c]),
    heartbeat: () => void calls.push(["heartbeat"]),
    isOpen: () => true,
  };
}

interface Setup {
  readonly ns: string;
  readonly bus: JetStreamTaskBus;
  readonly answers: AnswerMessage[];
  readonly node: JetStreamLink;
  readonly errors: unknown[];
  worker(adapters: readonly Adapter[], options?: Partial<JetStreamWorkerOptions>): Promise<{ worker: JetStreamWorker; link: JetStreamLink }>;
}

/** A namespace with a node's bus collecting answers, and a way to start workers in it. */
async function setup(route = "fake"): Promise<Setup> {
  const ns = `t${++n}_${process.pid}`;
  const node = await link();
  await ensureTaskStreams(node.jsm, ns);
  const errors: unknown[] = [];
  const bus = new JetStreamTaskBus({ js: node.js, jsm: node.jsm, namespace: ns, routeOf: (r) => (r.startsWith("arn:") ? route : undefined), onError: (e) => errors.push(e) });
  cleanups.push(() => bus.close());
  const answers: AnswerMessage[] = [];
  await bus.consumeAnswers(async (a) => {
    answers.push(a);
    return "done";
  });
  return {
    ns, bus, answers, node, errors,
    worker: async (adapters, options = {}) => {
      const l = await link();
      const worker = new JetStreamWorker({ js: l.js, jsm: l.jsm, adapters, namespace: ns, workerName: "w", onError: (e) => errors.push(e), ...options });
      cleanups.push(() => worker.close());
      await worker.start();
      return { worker, link: l };
    },
  };
}

const settled = (answers: AnswerMessage[], id: string): AnswerMessage[] =>
  answers.filter((a) => a.taskId === id && (a.answer.type === "succeeded" || a.answer.type === "failed"));

/** True once the stream holds no message and the consumer none unacknowledged. */
async function drained(l: JetStreamLink, stream: string, consumer: string): Promise<boolean> {
  const [s, c] = await Promise.all([l.jsm.streams.info(stream), l.jsm.consumers.info(stream, consumer)]);
  return s.state.messages === 0 && c.num_pending === 0 && c.num_ack_pending === 0;
}

describe("JetStreamTaskBus with a JetStreamWorker", () => {
  it("a task goes to the worker and its answers (started, then succeeded) come back to the node; the reply is not used", async () => {
    const s = await setup();
    const seen: AdapterTask[] = [];
    await s.worker([fakeAdapter(async (t) => {
      seen.push(t);
      return { echoed: t.payload };
    })]);
    const reply = recordingReply();
    s.bus.dispatch(task("a", { x: [1, "two"] }), reply);
    await until(() => settled(s.answers, "a").length === 1, "the result");
    expect(s.answers.filter((a) => a.taskId === "a").map((a) => a.answer)).toEqual([
      { type: "started", workerName: "w" },
      { type: "succeeded", output: { echoed: { x: [1, "two"] } } },
    ]);
    expect(s.answers[0]?.executionArn).toBe(`${ARN}e-a`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ taskId: "a", stateName: "Work", executionArn: `${ARN}e-a`, payload: { x: [1, "two"] }, resource: { kind: expect.any(String) } });
    expect(reply.calls).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it("a TaskError keeps its error and cause; anything else fails as States.TaskFailed with its message", async () => {
    const s = await setup();
    await s.worker([fakeAdapter(async (t) => {
      if ((t.payload as { kind: string }).kind === "task-error") throw new TaskError("Custom.Refused", "over the limit");
      throw new Error("boom");
    })]);
    s.bus.dispatch(task("te", { kind: "task-error" }), recordingReply());
    s.bus.dispatch(task("plain", { kind: "plain" }), recordingReply());
    await until(() => settled(s.answers, "te").length + settled(s.answers, "plain").length === 2, "both results");
    expect(settled(s.answers, "te")[0]?.answer).toEqual({ type: "failed", error: "Custom.Refused", cause: "over the limit" });
    expect(settled(s.answers, "plain")[0]?.answer).toEqual({ type: "failed", error: "States.TaskFailed", cause: "boom" });
  });

  it("a resource no adapter runs fails at once through the reply, with States.Runtime", async () => {
    const s = await setup();
    const reply = recordingReply();
    s.bus.dispatch({ ...task("x"), resource: "nothing:runs:this" }, reply);
    expect(reply.calls).toEqual([["failed", "States.Runtime", "No adapter runs resource 'nothing:runs:this'"]]);
    expect((await s.node.jsm.streams.info(taskBusNames(s.ns).tasksStream)).state.messages).toBe(0);
  });

  it("the same task dispatched twice runs once: the Msg-Id drops the repeat, the claim skips a copy the Msg-Id missed", async () => {
    const s = await setup();
    let runs = 0;
    let release: (() => void) | undefined;
    await s.worker([fakeAdapter(async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
      return runs;
    })]);
    const names = taskBusNames(s.ns);
    const queued = async (): Promise<number> => (await s.node.jsm.streams.info(names.tasksStream)).state.messages;
    s.bus.dispatch(task("dup"), recordingReply());
    s.bus.dispatch(task("dup"), recordingReply());
    await until(() => runs === 1, "the task to run");
    expect(await queued()).toBe(1);
    // A copy published without a Msg-Id (as after the duplicate window), while the task runs: skipped and acked.
    const copy: TaskMessage = { adapter: "fake", task: task("dup"), dispatchedAt: 0 };
    await s.node.js.publish(names.taskSubject("fake"), encodeWire(copy));
    await until(async () => (await queued()) === 1, "the copy to be acked");
    release?.();
    await until(() => settled(s.answers, "dup").length === 1, "the result");
    // Once done, another copy does not run it either: it sends the stored answer again (a
    // dispatch repeated after a server crash means the node still waits for it).
    await s.node.js.publish(names.taskSubject("fake"), encodeWire(copy));
    await until(() => drained(s.node, names.tasksStream, "aslan-worker-fake"), "every task message to be acked");
    await until(() => drained(s.node, names.answersStream, names.answersConsumer), "every answer to be applied");
    expect(runs).toBe(1);
    expect(settled(s.answers, "dup").map((a) => a.answer)).toEqual([{ type: "succeeded", output: 1 }, { type: "succeeded", output: 1 }]);
  });

  it("a worker that dies mid-task (connection closed, nothing acked): another worker gets the task and runs it; one result", async () => {
    const s = await setup();
    const ackWaitMs = 2_000;
    let firstStarted = false;
    const first = await s.worker([fakeAdapter((t) => {
      firstStarted = true;
      return new Promise((_, reject) => t.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    })], { ackWaitMs });
    s.bus.dispatch(task("dies"), recordingReply());
    await until(() => firstStarted, "the first worker to start the task");
    await first.link.nc.close(); // its process is gone: no ack, no result, no more working()
    let secondRuns = 0;
    await s.worker([fakeAdapter(async () => ({ by: "second", run: ++secondRuns }))], { ackWaitMs });
    await until(() => settled(s.answers, "dies").length === 1, "the second worker's result");
    const names = taskBusNames(s.ns);
    await until(() => drained(s.node, names.tasksStream, "aslan-worker-fake"), "the task to be acked");
    await until(() => drained(s.node, names.answersStream, names.answersConsumer), "every answer to be applied");
    expect(secondRuns).toBe(1);
    expect(settled(s.answers, "dies").map((a) => a.answer)).toEqual([{ type: "succeeded", output: { by: "second", run: 1 } }]);
    // The second worker's `started` repeats the first's Msg-Id: dropped.
    expect(s.answers.filter((a) => a.taskId === "dies" && a.answer.type === "started")).toHaveLength(1);
  });

  it("a task running longer than the ack wait stays with its worker (working() keeps it), though another worker is idle", async () => {
    const s = await setup();
    const ackWaitMs = 1_500;
    let runs = 0;
    const slow = fakeAdapter(async () => {
      runs++;
      // Outlasts two ack waits (real time: the server's clock is what the ack wait runs on).
      await new Promise((r) => setTimeout(r, 2.5 * ackWaitMs));
      return "slow";
    });
    await s.worker([slow], { ackWaitMs });
    await s.worker([slow], { ackWaitMs });
    s.bus.dispatch(task("slow"), recordingReply());
    await until(() => settled(s.answers, "slow").length === 1, "the result");
    const names = taskBusNames(s.ns);
    await until(() => drained(s.node, names.tasksStream, "aslan-worker-fake"), "the task to be acked");
    expect(runs).toBe(1);
  });

  it("drain(): takes no new task, lets the running one finish and answer, then resolves", async () => {
    const s = await setup();
    let release: (() => void) | undefined;
    let started = 0;
    const { worker } = await s.worker([fakeAdapter(async () => {
      started++;
      await new Promise<void>((r) => (release = r));
      return "finished";
    })]);
    s.bus.dispatch(task("running"), recordingReply());
    await until(() => started === 1, "the task to start");
    let drainedWorker = false;
    const draining = worker.drain(30_000).then(() => (drainedWorker = true));
    s.bus.dispatch(task("later"), recordingReply());
    await until(async () => (await s.node.jsm.streams.info(taskBusNames(s.ns).tasksStream)).state.messages === 2, "the second task to be queued");
    expect(drainedWorker).toBe(false);
    release?.();
    await draining;
    expect(settled(s.answers, "running").map((a) => a.answer)).toEqual([{ type: "succeeded", output: "finished" }]);
    expect(started).toBe(1);
    // The second task waits for another worker.
    await until(async () => (await s.node.jsm.streams.info(taskBusNames(s.ns).tasksStream)).state.messages === 1, "the first task to be acked");
  });

  it("a worker runs at most `concurrency` tasks at once", async () => {
    const s = await setup();
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    await s.worker([fakeAdapter(async () => {
      most = Math.max(most, ++running);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return null;
    })], { concurrency: 2 });
    for (let i = 0; i < 5; i++) s.bus.dispatch(task(`c${i}`), recordingReply());
    for (let done = 0; done < 5; done++) {
      await until(() => releases.length > 0, `task ${done + 1} to run`);
      expect(running).toBeLessThanOrEqual(2);
      releases.shift()?.();
    }
    await until(() => s.answers.filter((a) => a.answer.type === "succeeded").length === 5, "every result");
    expect(most).toBe(2);
  });

  it("the server restarting (kill -9) between tasks: the bus and the worker carry on, and tasks done before are not run again", async () => {
    const s = await setup();
    const runs = new Map<string, number>();
    await s.worker([fakeAdapter(async (t) => {
      runs.set(t.taskId, (runs.get(t.taskId) ?? 0) + 1);
      return t.taskId;
    })]);
    s.bus.dispatch(task("before"), recordingReply());
    await until(() => settled(s.answers, "before").length === 1, "the first result");
    await server.restart("SIGKILL");
    s.bus.dispatch(task("after"), recordingReply());
    await until(() => settled(s.answers, "after").length === 1, "the result after the restart", 30_000);
    const names = taskBusNames(s.ns);
    await until(() => drained(s.node, names.tasksStream, "aslan-worker-fake"), "every task message to be acked", 30_000);
    expect(Object.fromEntries(runs)).toEqual({ before: 1, after: 1 });
  }, 60_000);
});
