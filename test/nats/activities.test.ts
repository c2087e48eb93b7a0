/**
 * Activities in distributed mode (#6): two runtime nodes in process on one nats-server, each
 * wired as `aslan serve --nats` wires it (serve.ts's nodeOptions). A task an execution on one
 * node schedules is taken by GetActivityTask on the other and answered on either; polls that
 * end (poll time, client gone) lose no task; HeartbeatSeconds is enforced as embedded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActivityCommand, CreateStateMachineCommand, GetActivityTaskCommand, GetExecutionHistoryCommand, SendTaskFailureCommand,
  SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import { pino } from "pino";
import { startServer, type ApiServer } from "../../runtime/api/server.js";
import { nodeOptions } from "../../runtime/cli/serve.js";
import { SystemClock } from "../../runtime/clock/system-clock.js";
import { ACTIVITIES_STREAM, activityConsumer } from "../../runtime/nats/jetstream-activities.js";
import { JetStreamNode } from "../../runtime/nats/jetstream-node.js";
import { errorName, ROLE_ARN, settled } from "../api/helpers.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

/** GetActivityTask's poll time here (AWS: 60 s). Shorter than the activity queue's ack wait (10 s), so a task lost to a dead poll would show. */
const POLL_MS = 2_500;
const log = pino({ level: "silent" });

interface Node {
  readonly node: JetStreamNode;
  readonly server: ApiServer;
  readonly sfn: SFNClient;
  close(): Promise<void>;
}

/** A runtime node as serve.ts builds one: the JetStream node's ports, the API server, answers consumed. */
async function startNode(servers: string): Promise<Node> {
  const node = await JetStreamNode.open({ servers, clock: new SystemClock(), onError: () => undefined });
  const server = await startServer({ port: 0, host: "127.0.0.1", log, ...nodeOptions(node, undefined), activityPollMs: POLL_MS }).catch(async (e: unknown) => {
    await node.close();
    throw e;
  });
  const { engine } = server.context;
  await node.consumeAnswers((arn, taskId, answer) => engine.applyAnswer(arn, taskId, answer));
  const sfn = new SFNClient({
    endpoint: server.url, region: "us-east-1", disableHostPrefix: true, maxAttempts: 1,
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" },
  });
  return {
    node, server, sfn,
    close: async () => {
      sfn.destroy();
      await server.close();
      await node.close();
    },
  };
}

let nats: NatsServer;
let a: Node;
let b: Node;

beforeAll(async () => {
  nats = await startNatsServer();
  a = await startNode(nats.url);
  b = await startNode(nats.url);
}, 60_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await nats?.stop();
}, 60_000);

async function createActivity(sfn: SFNClient, name: string): Promise<string> {
  return (await sfn.send(new CreateActivityCommand({ name }))).activityArn as string;
}

async function createMachine(sfn: SFNClient, name: string, activityArn: string, extra: object = {}): Promise<string> {
  const definition = { StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn, End: true, ...extra } } };
  return (await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }))).stateMachineArn as string;
}

async function startExecution(sfn: SFNClient, stateMachineArn: string, input: unknown): Promise<string> {
  return (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn as string;
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

/** DescribeExecution until it has ended, for up to `ms` (real time: distributed mode has no virtual time). */
async function ended(sfn: SFNClient, executionArn: string, ms = 20_000): Promise<Awaited<ReturnType<typeof settled>>> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await settled(sfn, executionArn);
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** Waits for `condition` for up to `ms`. */
async function until(what: string, condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("activities across runtime nodes", () => {
  it("a task scheduled by an execution on node A is taken on node B and answered on A", async () => {
    const activityArn = await createActivity(a.sfn, "cross");
    const sm = await createMachine(a.sfn, "cross-sm", activityArn);
    const execution = await startExecution(a.sfn, sm, { who: "world" });
    // B has not read the registries since A created the activity: it reads them at its first miss.
    const task = await b.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "worker-b" }));
    expect(task.taskToken).toBeTruthy();
    expect(JSON.parse(task.input as string)).toEqual({ who: "world" });
    await b.sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    await a.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ greeting: "hello" }) }));
    const done = await ended(a.sfn, execution);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual({ greeting: "hello" });
    const events = await history(b.sfn, execution);
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    expect(events.find((e) => e.type === "ActivityStarted")?.activityStartedEventDetails).toEqual({ workerName: "worker-b" });
    // The token has been used: TaskTimedOut on either node; a token nobody handed out: TaskDoesNotExist.
    expect(await errorName(b.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{}" })))).toBe("TaskTimedOut");
    expect(await errorName(a.sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken })))).toBe("TaskTimedOut");
    expect(await errorName(a.sfn.send(new SendTaskSuccessCommand({ taskToken: "never-handed-out", output: "{}" })))).toBe("TaskDoesNotExist");
  });

  it("SendTaskFailure on the node that did not dispatch the task fails the execution with its error", async () => {
    const activityArn = await createActivity(b.sfn, "failing");
    const sm = await createMachine(b.sfn, "failing-sm", activityArn);
    const execution = await startExecution(b.sfn, sm, 1);
    const task = await a.sfn.send(new GetActivityTaskCommand({ activityArn }));
    expect(task.input).toBe("1");
    await a.sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: "Boom", cause: "it broke" }));
    expect(await ended(b.sfn, execution)).toMatchObject({ status: "FAILED", error: "Boom", cause: "it broke" });
    expect((await history(a.sfn, execution)).map((e) => e.type)).toContain("ActivityFailed");
  });

  it("a poll with no task answers without a token after the poll time; a stopped execution's task is handed to nobody", async () => {
    const activityArn = await createActivity(a.sfn, "idle");
    const sm = await createMachine(a.sfn, "idle-sm", activityArn);
    const execution = await startExecution(a.sfn, sm, {});
    await a.sfn.send(new StopExecutionCommand({ executionArn: execution }));
    expect((await ended(a.sfn, execution)).status).toBe("ABORTED");
    const started = Date.now();
    const task = await b.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "w" }));
    expect(task.taskToken).toBeUndefined();
    expect(task.input).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(POLL_MS - 100);
  });

  it("a task pulled for a poll whose client went away goes back to the queue for another poll", async () => {
    const activityArn = await createActivity(a.sfn, "vanishing");
    const sm = await createMachine(a.sfn, "vanishing-sm", activityArn);
    // A poll on B (as GetActivityTask makes it), whose client goes away once B's pull waits on the server.
    const client = new AbortController();
    const vanishing = b.server.context.activities.poll(activityArn, "gone", client.signal);
    const consumer = (): ReturnType<typeof b.node.link.jsm.consumers.info> => b.node.link.jsm.consumers.info(ACTIVITIES_STREAM, activityConsumer(activityArn));
    await until("B's pull to wait on the server", async () => (await consumer().catch(() => undefined))?.num_waiting === 1);
    client.abort();
    expect(await vanishing).toBeUndefined();
    // The task now goes to B's pull, which has no poll left for it: it must come back, not wait out an ack wait.
    const execution = await startExecution(a.sfn, sm, "again");
    await until("B's pull to be delivered the task", async () => (await consumer()).delivered.consumer_seq >= 1);
    // Within one poll time, far less than the queue's ack wait: B handed it back at once.
    const task = await a.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "survivor" }));
    expect(task.input).toBe('"again"');
    await b.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '"done"' }));
    expect(await ended(a.sfn, execution)).toMatchObject({ status: "SUCCEEDED", output: '"done"' });
    const startedBy = (await history(a.sfn, execution)).filter((e) => e.type === "ActivityStarted").map((e) => e.activityStartedEventDetails);
    expect(startedBy).toEqual([{ workerName: "survivor" }]);
  });

  it("a task whose worker misses its heartbeat times out as embedded (States.HeartbeatTimeout, ActivityTimedOut)", async () => {
    const activityArn = await createActivity(a.sfn, "slow");
    const sm = await createMachine(a.sfn, "slow-sm", activityArn, { HeartbeatSeconds: 2 });
    // Polling first: the heartbeat clock runs from the task's dispatch.
    const polling = b.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "slow" }));
    const execution = await startExecution(a.sfn, sm, {});
    const task = await polling;
    expect(task.taskToken).toBeTruthy();
    expect(await ended(a.sfn, execution)).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect((await history(b.sfn, execution)).map((e) => e.type)).toContain("ActivityTimedOut");
    expect(await errorName(b.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{}" })))).toBe("TaskTimedOut");
  });

  it("heartbeats sent to either node keep a task alive past its HeartbeatSeconds", async () => {
    const activityArn = await createActivity(a.sfn, "steady");
    const sm = await createMachine(a.sfn, "steady-sm", activityArn, { HeartbeatSeconds: 2 });
    const polling = b.sfn.send(new GetActivityTaskCommand({ activityArn }));
    const execution = await startExecution(a.sfn, sm, {});
    const task = await polling;
    const stopAt = Date.now() + 3_000;
    for (let i = 0; Date.now() < stopAt; i++) {
      await (i % 2 === 0 ? a : b).sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
      await new Promise((r) => setTimeout(r, 200));
    }
    await b.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "7" }));
    expect(await ended(a.sfn, execution)).toMatchObject({ status: "SUCCEEDED", output: "7" });
  });

  it("an Express child execution's task stays in the memory of the node that runs it (it lives only there), which hands it out", async () => {
    const activityArn = await createActivity(a.sfn, "express-work");
    const definition = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map", End: true,
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn, End: true } } },
        },
      },
    };
    const sm = (await a.sfn.send(new CreateStateMachineCommand({ name: "express-sm", definition: JSON.stringify(definition), roleArn: ROLE_ARN }))).stateMachineArn as string;
    const execution = await startExecution(a.sfn, sm, [3]);
    const task = await a.sfn.send(new GetActivityTaskCommand({ activityArn }));
    expect(task.input).toBe("3");
    await a.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "4" }));
    expect(await ended(a.sfn, execution)).toMatchObject({ status: "SUCCEEDED", output: "[4]" });
    const queue = await a.node.link.jsm.consumers.info(ACTIVITIES_STREAM, activityConsumer(activityArn));
    expect(queue.delivered.consumer_seq).toBe(0); // never through the shared queue
  });
});
