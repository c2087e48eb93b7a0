import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import type { Json } from "../../translators/json.js";
import type { TaskFunction } from "../../runtime/bus/task-functions.js";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";

/** A Lambda-like worker that hands each task token (and what it was sent) to the test. */
function tokenCatcher(): { fn: TaskFunction; next: () => Promise<{ token: string; payload: Json }> } {
  const queue: { token: string; payload: Json }[] = [];
  const waiting: ((v: { token: string; payload: Json }) => void)[] = [];
  const fn: TaskFunction = (payload, ctx) => {
    const item = { token: ctx.taskToken as string, payload };
    const w = waiting.shift();
    if (w) w(item);
    else queue.push(item);
    return { ignored: "a callback task's own result is not its output" };
  };
  const next = (): Promise<{ token: string; payload: Json }> => {
    const item = queue.shift();
    return item ? Promise.resolve(item) : new Promise((res) => waiting.push(res));
  };
  return { fn, next };
}

const callbackTask = (extra: object = {}): object => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
  Parameters: { FunctionName: "approver", Payload: { "token.$": "$$.Task.Token", "order.$": "$.order" } },
  ResultPath: "$.approval",
  ...extra,
});
const approval = { StartAt: "Ask", States: { Ask: callbackTask({ End: true }) } };
/** The callback times out after 1 s (real time); the execution goes on waiting, so it is still RUNNING. */
const impatient = {
  StartAt: "Ask",
  States: {
    Ask: callbackTask({ TimeoutSeconds: 1, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Linger" }], End: true }),
    Linger: { Type: "Wait", Seconds: 3600, End: true },
  },
};

describe("callback tasks over the API", () => {
  const worker = tokenCatcher();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ functions: { approver: worker.fn } });
    for (const [name, d] of [["approval", approval], ["impatient", impatient]] as const) {
      await api.sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(d), roleArn: ROLE_ARN }));
    }
  });
  afterAll(() => api.close());

  const start = async (machine: string, order: number): Promise<string> =>
    (await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}${machine}`, input: JSON.stringify({ order }) }))).executionArn as string;
  const describeExecution = (executionArn: string): Promise<DescribeExecutionCommandOutput> => api.sfn.send(new DescribeExecutionCommand({ executionArn }));
  async function settled(executionArn: string): Promise<DescribeExecutionCommandOutput> {
    for (let i = 0; i < 500; i++) {
      const d = await describeExecution(executionArn);
      if (d.status !== "RUNNING") return d;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${executionArn} still running`);
  }

  it("resumes a .waitForTaskToken task with SendTaskSuccess's output", async () => {
    const executionArn = await start("approval", 7);
    const { token, payload } = await worker.next();
    expect(payload).toEqual({ token, order: 7 });
    expect((await describeExecution(executionArn)).status).toBe("RUNNING");
    await api.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved": true}' }));
    const d = await settled(executionArn);
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output as string)).toEqual({ order: 7, approval: { approved: true } });
    // The task is closed: another answer is too late, as AWS says.
    await expect(api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))).rejects.toMatchObject({
      name: "TaskTimedOut", message: "Task Timed Out: 'Provided task does not exist anymore'",
    });
    expect(await errorName(api.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBe("TaskTimedOut");
  });

  it("fails a .waitForTaskToken task with SendTaskFailure's error and cause", async () => {
    const executionArn = await start("approval", 8);
    const { token } = await worker.next();
    await api.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "Order.Rejected", cause: "manager said no" }));
    const d = await settled(executionArn);
    expect(d).toMatchObject({ status: "FAILED", error: "Order.Rejected", cause: "manager said no" });
    const { events } = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    expect(events?.find((e) => e.type === "TaskFailed")?.taskFailedEventDetails).toMatchObject({ error: "Order.Rejected", cause: "manager said no" });
    expect(await errorName(api.sfn.send(new SendTaskFailureCommand({ taskToken: token })))).toBe("TaskTimedOut");
  });

  it("rejects output that is not JSON (the task keeps waiting) and tokens nobody handed out", async () => {
    const executionArn = await start("approval", 9);
    const { token } = await worker.next();
    await expect(api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{not json" }))).rejects.toMatchObject({
      name: "InvalidOutput", message: expect.stringContaining("Invalid Output"),
    });
    expect((await describeExecution(executionArn)).status).toBe("RUNNING");
    await expect(api.sfn.send(new SendTaskSuccessCommand({ taskToken: "no-such-token", output: "{}" }))).rejects.toMatchObject({ name: "TaskDoesNotExist" });
    expect(await errorName(api.sfn.send(new SendTaskHeartbeatCommand({ taskToken: "no-such-token" })))).toBe("TaskDoesNotExist");
    await api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"fine"' }));
    expect(JSON.parse((await settled(executionArn)).output as string)).toEqual({ order: 9, approval: "fine" });
  });

  it("answers TaskTimedOut once the execution has been stopped", async () => {
    const executionArn = await start("approval", 10);
    const { token } = await worker.next();
    await api.sfn.send(new StopExecutionCommand({ executionArn }));
    expect(await errorName(api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toBe("TaskTimedOut");
  });

  it("answers TaskTimedOut after the task's TimeoutSeconds, while the execution goes on", async () => {
    const executionArn = await start("impatient", 11);
    const { token } = await worker.next();
    let events: HistoryEvent[] = [];
    for (let i = 0; i < 300 && !events.some((e) => e.type === "TaskTimedOut"); i++) {
      await new Promise((r) => setTimeout(r, 10));
      events = (await api.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    }
    expect(events.at(-1)?.type).toBe("WaitStateEntered");
    expect((await describeExecution(executionArn)).status).toBe("RUNNING");
    expect(await errorName(api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toBe("TaskTimedOut");
    await api.sfn.send(new StopExecutionCommand({ executionArn }));
  });

  it("pages through the history of a running execution without losing or repeating events", async () => {
    const executionArn = await start("approval", 12);
    const { token } = await worker.next();
    const first = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    expect(first.nextToken).toBeDefined();
    await api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }));
    await settled(executionArn);
    const rest: HistoryEvent[] = [];
    let nextToken = first.nextToken;
    while (nextToken) {
      const page = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2, nextToken }));
      rest.push(...(page.events ?? []));
      nextToken = page.nextToken;
    }
    const { events } = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect([...(first.events ?? []), ...rest]).toEqual(events);
    expect(events?.at(-1)?.type).toBe("ExecutionSucceeded");
  });
});
