/**
 * Activities across runtime nodes (#6), with real processes: two `aslan serve --nats` nodes on
 * one nats-server. An execution started on node A schedules an activity task that a worker
 * polling node B takes; its answer on either node ends the Task, and HeartbeatSeconds ends
 * it when the heartbeats stop, as on one node.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, type DescribeExecutionCommandOutput, GetExecutionHistoryCommand,
  SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand, type HistoryEvent, type SFNClient,
} from "@aws-sdk/client-sfn";
import { ensureBuilt } from "../cli/built-cli.js";
import { errorOf, ROLE, startCluster, until, type Cluster } from "./cluster-processes.js";

let cluster: Cluster | undefined;
let a: SFNClient;
let b: SFNClient;

beforeAll(async () => {
  await ensureBuilt();
  cluster = await startCluster();
  const [nodeA, nodeB] = await Promise.all([cluster.node(), cluster.node()]);
  if (!nodeA || !nodeB) throw new Error("two nodes");
  a = nodeA.sfn;
  b = nodeB.sfn;
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
});

/** On node A: an activity, a state machine whose one Task uses it (with `task` fields), an execution of it. */
async function startOnA(name: string, task: object, input: unknown): Promise<{ activityArn: string; executionArn: string }> {
  const { activityArn } = await a.send(new CreateActivityCommand({ name }));
  const definition = { StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn, End: true, ...task } } };
  const { stateMachineArn } = await a.send(new CreateStateMachineCommand({ name: `${name}-flow`, definition: JSON.stringify(definition), roleArn: ROLE }));
  const { executionArn } = await a.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  if (!activityArn || !executionArn) throw new Error("no ARNs");
  return { activityArn, executionArn };
}

async function ended(sfn: SFNClient, executionArn: string, ms = 10_000): Promise<DescribeExecutionCommandOutput> {
  await until("the execution to end", async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING", ms);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

describe("activities across runtime nodes (real processes)", () => {
  it("a task scheduled on A is taken by a worker polling B and completed by SendTaskSuccess on A", async () => {
    const { activityArn, executionArn } = await startOnA("cross", {}, { who: "world" });
    // B has not read the activity yet: its first miss reads the registries again.
    const task = await b.send(new GetActivityTaskCommand({ activityArn, workerName: "worker-b" }));
    expect(JSON.parse(task.input ?? "null")).toEqual({ who: "world" });
    await a.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ greeting: "hello" }) }));
    const done = await ended(b, executionArn);
    expect([done.status, JSON.parse(done.output ?? "null")]).toEqual(["SUCCEEDED", { greeting: "hello" }]);
    const events = await history(a, executionArn);
    expect(events.map((e) => e.type).filter((t) => t?.startsWith("Activity"))).toEqual(["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]);
    expect(events.find((e) => e.type === "ActivityStarted")?.activityStartedEventDetails?.workerName).toBe("worker-b");
    // The token is spent, on either node.
    expect(await errorOf(b.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{}" })))).toBe("TaskTimedOut");
  }, 20_000);

  it("SendTaskFailure on B fails the Task with its error and cause", async () => {
    const { activityArn, executionArn } = await startOnA("refused", {}, {});
    const task = await b.send(new GetActivityTaskCommand({ activityArn }));
    await b.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: "Order.Rejected", cause: "out of stock" }));
    const done = await ended(a, executionArn);
    expect([done.status, done.error, done.cause]).toEqual(["FAILED", "Order.Rejected", "out of stock"]);
  }, 20_000);

  it("HeartbeatSeconds: a heartbeat on A keeps the task open, and the Task times out once they stop", async () => {
    const { activityArn, executionArn } = await startOnA("beating", { HeartbeatSeconds: 2, TimeoutSeconds: 30 }, {});
    const task = await b.send(new GetActivityTaskCommand({ activityArn }));
    await new Promise((r) => setTimeout(r, 1_200));
    await a.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    const beat = Date.now();
    const done = await ended(b, executionArn);
    expect([done.status, done.error]).toEqual(["FAILED", "States.HeartbeatTimeout"]);
    const timedOut = (await history(b, executionArn)).find((e) => e.type === "ActivityTimedOut");
    expect(timedOut?.activityTimedOutEventDetails?.error).toBe("States.HeartbeatTimeout");
    // Two seconds after the last heartbeat (not after the task started), give or take the clocks' and the bus's slack.
    expect(timedOut?.timestamp?.getTime() ?? 0).toBeGreaterThanOrEqual(beat + 1_500);
    expect(await errorOf(a.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{}" })))).toBe("TaskTimedOut");
  }, 20_000);
});
