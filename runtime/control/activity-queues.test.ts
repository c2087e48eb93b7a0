import { describe, expect, it } from "vitest";
import type { Json } from "../../translators/json.js";
import { TaskDoesNotExist, TaskTimedOut } from "../engine/engine.js";
import type { TaskBus, TaskReply, TaskRequest, TaskWorker } from "../ports/task-bus.js";
import { ActivityQueues } from "./activity-queues.js";

const ARN = "arn:aws:states:us-east-1:123456789012:activity:work";

/** A TaskReply that records what it was told; `open` is what the engine would answer to isOpen(). */
class RecordingReply implements TaskReply {
  open = true;
  readonly calls: [string, ...unknown[]][] = [];
  started(worker?: TaskWorker): void {
    this.calls.push(["started", worker]);
  }
  succeeded(output: Json): void {
    this.calls.push(["succeeded", output]);
    this.open = false;
  }
  failed(error: string, cause?: string): void {
    this.calls.push(["failed", error, cause]);
    this.open = false;
  }
  heartbeat(): void {
    this.calls.push(["heartbeat"]);
  }
  isOpen(): boolean {
    return this.open;
  }
}

const task = (payload: Json, resource = ARN): TaskRequest => ({
  taskId: `t-${JSON.stringify(payload)}`, resource, payload, stateName: "Work", executionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:e",
});

function setup(pollMs = 5_000): { queues: ActivityQueues; bus: TaskBus; inner: TaskRequest[] } {
  const queues = new ActivityQueues({ pollMs });
  queues.add({ arn: ARN, name: "work", creationDate: 0 });
  const inner: TaskRequest[] = [];
  return { queues, bus: queues.route({ dispatch: (t) => inner.push(t) }), inner };
}

const live = (): AbortSignal => new AbortController().signal;

describe("ActivityQueues", () => {
  it("queues activity tasks and passes every other resource to the inner bus", async () => {
    const { queues, bus, inner } = setup();
    const reply = new RecordingReply();
    bus.dispatch(task({ a: 1 }, "arn:aws:lambda:us-east-1:123456789012:function:f"), new RecordingReply());
    bus.dispatch(task({ a: 2 }), reply);
    expect(inner.map((t) => t.payload)).toEqual([{ a: 1 }]);
    const got = await queues.poll(ARN, "w1", live());
    expect(got?.input).toBe('{"a":2}');
    expect(reply.calls).toEqual([["started", { workerName: "w1" }]]);
  });

  it("fails a task for an activity that does not exist with States.Runtime", () => {
    const { bus } = setup();
    const reply = new RecordingReply();
    bus.dispatch(task({}, "arn:aws:states:us-east-1:123456789012:activity:gone"), reply);
    expect(reply.calls).toEqual([["failed", "States.Runtime", "The activity arn:aws:states:us-east-1:123456789012:activity:gone does not exist."]]);
  });

  it("hands tasks out oldest first, and to a waiting poller as soon as one arrives", async () => {
    const { queues, bus } = setup();
    const waiting = queues.poll(ARN, undefined, live());
    const first = new RecordingReply();
    bus.dispatch(task(1), first);
    expect((await waiting)?.input).toBe("1");
    expect(first.calls).toEqual([["started", undefined]]);
    bus.dispatch(task(2), new RecordingReply());
    bus.dispatch(task(3), new RecordingReply());
    expect((await queues.poll(ARN, undefined, live()))?.input).toBe("2");
    expect((await queues.poll(ARN, undefined, live()))?.input).toBe("3");
  });

  it("answers an empty poll after the poll time", async () => {
    const { queues } = setup(30);
    const started = Date.now();
    expect(await queues.poll(ARN, undefined, live())).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("never hands a task to a poller whose client went away", async () => {
    const { queues, bus } = setup();
    const gone = new AbortController();
    const abandoned = queues.poll(ARN, "gone", gone.signal);
    gone.abort();
    expect(await abandoned).toBeUndefined();
    const reply = new RecordingReply();
    bus.dispatch(task("kept"), reply);
    expect(reply.calls).toEqual([]);
    expect((await queues.poll(ARN, "next", live()))?.input).toBe('"kept"');
    expect(reply.calls).toEqual([["started", { workerName: "next" }]]);
  });

  it("skips queued tasks whose Task has closed (timed out, execution ended)", async () => {
    const { queues, bus } = setup(20);
    const closed = new RecordingReply();
    bus.dispatch(task("old"), closed);
    closed.open = false;
    bus.dispatch(task("new"), new RecordingReply());
    expect((await queues.poll(ARN, undefined, live()))?.input).toBe('"new"');
    expect(await queues.poll(ARN, undefined, live())).toBeUndefined();
    expect(closed.calls).toEqual([]);
  });

  it("settles through the reply once; a used token is TaskTimedOut, an unknown one TaskDoesNotExist", async () => {
    const { queues, bus } = setup();
    const reply = new RecordingReply();
    bus.dispatch(task({}), reply);
    const { taskToken } = (await queues.poll(ARN, undefined, live()))!;
    expect(queues.ownsToken(taskToken)).toBe(true);
    queues.heartbeat(taskToken);
    queues.succeed(taskToken, { done: true });
    expect(reply.calls.slice(1)).toEqual([["heartbeat"], ["succeeded", { done: true }]]);
    expect(() => queues.succeed(taskToken, {})).toThrow(TaskTimedOut);
    expect(() => queues.heartbeat(taskToken)).toThrow(TaskTimedOut);
    expect(queues.ownsToken("nope")).toBe(false);
    let unknown: unknown;
    try {
      queues.fail("nope", "E");
    } catch (e) {
      unknown = e;
    }
    expect(unknown).toBeInstanceOf(TaskDoesNotExist);
    expect(unknown).not.toBeInstanceOf(TaskTimedOut);
  });

  it("fails through the reply, and a token whose task closed is TaskTimedOut", async () => {
    const { queues, bus } = setup();
    const failing = new RecordingReply();
    const timingOut = new RecordingReply();
    bus.dispatch(task(1), failing);
    bus.dispatch(task(2), timingOut);
    const a = (await queues.poll(ARN, undefined, live()))!;
    const b = (await queues.poll(ARN, undefined, live()))!;
    queues.fail(a.taskToken, "Boom", "why");
    expect(failing.calls.at(-1)).toEqual(["failed", "Boom", "why"]);
    timingOut.open = false;
    expect(() => queues.heartbeat(b.taskToken)).toThrow(TaskTimedOut);
    expect(() => queues.succeed(b.taskToken, 1)).toThrow(TaskTimedOut);
    expect(timingOut.calls).toEqual([["started", undefined]]);
  });

  it("makes long, distinct, random task tokens for tasks that come without one", async () => {
    const { queues, bus } = setup();
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) {
      bus.dispatch(task(i), new RecordingReply());
      tokens.add((await queues.poll(ARN, undefined, live()))!.taskToken);
    }
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{64,}$/);
  });

  it("hands out the token the task came with (the machine made it, it is stored with the execution)", async () => {
    const { queues, bus } = setup();
    const reply = new RecordingReply();
    bus.dispatch({ ...task("t"), activityToken: "minted-token" }, reply);
    expect(queues.ownsToken("minted-token")).toBe(true);
    expect(await queues.poll(ARN, "w", live())).toEqual({ taskToken: "minted-token", input: '"t"' });
    queues.succeed("minted-token", 5);
    expect(reply.calls).toEqual([["started", { workerName: "w" }], ["succeeded", 5]]);
    expect(() => queues.succeed("minted-token", 5)).toThrow(TaskTimedOut);
  });

  it("keeps a task dispatched again with its token where it is, answered through the newer reply", async () => {
    const { queues, bus } = setup(20);
    const [first, again, third] = [new RecordingReply(), new RecordingReply(), new RecordingReply()];
    bus.dispatch({ ...task("q"), activityToken: "T" }, first);
    bus.dispatch({ ...task("q"), activityToken: "T" }, again);
    expect((await queues.poll(ARN, undefined, live()))?.taskToken).toBe("T");
    expect(await queues.poll(ARN, undefined, live())).toBeUndefined();
    // Handed out already: dispatched again, it is not queued for a second worker.
    bus.dispatch({ ...task("q"), activityToken: "T" }, third);
    expect(await queues.poll(ARN, undefined, live())).toBeUndefined();
    queues.succeed("T", "done");
    expect(first.calls).toEqual([]);
    expect(again.calls).toEqual([["started", undefined]]);
    expect(third.calls).toEqual([["succeeded", "done"]]);
  });

  it("does not queue again a task a worker took before a restart; that worker's token answers it", async () => {
    const { queues, bus } = setup(20);
    const reply = new RecordingReply();
    bus.dispatch({ ...task("held"), activityToken: "old-token", started: true }, reply);
    expect(await queues.poll(ARN, "other", live())).toBeUndefined();
    expect(queues.ownsToken("old-token")).toBe(true);
    queues.heartbeat("old-token");
    queues.succeed("old-token", { ok: true });
    expect(reply.calls).toEqual([["heartbeat"], ["succeeded", { ok: true }]]);
    expect(() => queues.fail("old-token", "E")).toThrow(TaskTimedOut);
  });

  it("gives a queued task to the worker whose token answers it (its ActivityStarted was lost in a restart)", async () => {
    const { queues, bus } = setup(20);
    const [beat, done] = [new RecordingReply(), new RecordingReply()];
    bus.dispatch({ ...task("a"), activityToken: "A" }, beat);
    bus.dispatch({ ...task("b"), activityToken: "B" }, done);
    queues.heartbeat("A");
    queues.fail("B", "Err", "cause");
    expect(await queues.poll(ARN, undefined, live())).toBeUndefined();
    expect(beat.calls).toEqual([["started", undefined], ["heartbeat"]]);
    expect(done.calls).toEqual([["started", undefined], ["failed", "Err", "cause"]]);
    queues.succeed("A", 1);
    expect(beat.calls.at(-1)).toEqual(["succeeded", 1]);
  });

  it("answers TaskTimedOut for the token of a queued task whose Task closed, and never hands it out", async () => {
    const { queues, bus } = setup(20);
    const [dropped, answered] = [new RecordingReply(), new RecordingReply()];
    bus.dispatch({ ...task(1), activityToken: "dropped" }, dropped);
    bus.dispatch({ ...task(2), activityToken: "answered" }, answered);
    dropped.open = false;
    answered.open = false;
    expect(await queues.poll(ARN, undefined, live())).toBeUndefined();
    expect(() => queues.succeed("dropped", 1)).toThrow(TaskTimedOut);
    expect(() => queues.heartbeat("answered")).toThrow(TaskTimedOut);
    expect([...dropped.calls, ...answered.calls]).toEqual([]);
  });

  it("keeps the first activity for a repeated add, and ends waiting polls on delete", async () => {
    const { queues } = setup();
    expect(queues.add({ arn: ARN, name: "work", creationDate: 99 }).creationDate).toBe(0);
    const waiting = queues.poll(ARN, undefined, live());
    queues.delete(ARN);
    expect(await waiting).toBeUndefined();
    expect(queues.get(ARN)).toBeUndefined();
    expect(queues.list()).toEqual([]);
  });
});
