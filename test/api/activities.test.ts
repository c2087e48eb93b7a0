/**
 * Activities through the real SDK: CreateActivity/DescribeActivity/DeleteActivity/ListActivities,
 * and workers that poll GetActivityTask and answer a Task state whose Resource is the activity.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActivityCommand, CreateStateMachineCommand, DeleteActivityCommand, DescribeActivityCommand, DescribeExecutionCommand, GetActivityTaskCommand,
  GetExecutionHistoryCommand, ListActivitiesCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand,
  StopExecutionCommand, type ActivityListItem, type DescribeExecutionCommandOutput, type HistoryEvent,
} from "@aws-sdk/client-sfn";
import type { Json } from "../../translators/json.js";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const ACCOUNT_ARN = "arn:aws:states:us-east-1:123456789012";

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function startExecution(api: TestApi, stateMachineArn: string, input: Json): Promise<string> {
  const out = await api.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return out.executionArn as string;
}

/** DescribeExecution once the execution has ended. */
async function finished(api: TestApi, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const out = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== "RUNNING") return out;
    await wait(10);
  }
}

async function history(api: TestApi, executionArn: string): Promise<HistoryEvent[]> {
  return (await api.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

const sendTaskSuccess = (api: TestApi, taskToken: string, output: string): Promise<unknown> => api.sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
const sendTaskFailure = (api: TestApi, taskToken: string, error: string, cause: string): Promise<unknown> =>
  api.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));

async function createActivity(api: TestApi, name: string): Promise<string> {
  const out = await api.sfn.send(new CreateActivityCommand({ name }));
  return out.activityArn as string;
}

async function createMachine(api: TestApi, name: string, definition: object): Promise<string> {
  const out = await api.sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
  return out.stateMachineArn as string;
}

const activityMachine = (activityArn: string, extra: object = {}): object => ({
  StartAt: "Work",
  States: { Work: { Type: "Task", Resource: activityArn, End: true, ...extra } },
});

describe("CreateActivity / DescribeActivity / DeleteActivity / ListActivities", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("creates an activity, idempotently by name, and describes it", async () => {
    const created = await api.sfn.send(new CreateActivityCommand({ name: "resize-images", tags: [{ key: "team", value: "media" }] }));
    expect(created.activityArn).toBe(`${ACCOUNT_ARN}:activity:resize-images`);
    expect(created.creationDate).toBeInstanceOf(Date);
    const again = await api.sfn.send(new CreateActivityCommand({ name: "resize-images", tags: [{ key: "other", value: "ignored" }] }));
    expect(again.activityArn).toBe(created.activityArn);
    expect(again.creationDate?.getTime()).toBe(created.creationDate?.getTime());
    const described = await api.sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn }));
    expect(described).toMatchObject({ activityArn: created.activityArn, name: "resize-images" });
    expect(described.creationDate?.getTime()).toBe(created.creationDate?.getTime());
  });

  it("rejects bad names, bad ARNs and unknown activities with AWS's errors", async () => {
    expect(await errorName(api.sfn.send(new CreateActivityCommand({ name: "has space" })))).toBe("InvalidName");
    expect(await errorName(api.sfn.send(new CreateActivityCommand({ name: "a:b" })))).toBe("InvalidName");
    expect(await errorName(api.sfn.send(new CreateActivityCommand({ name: "x".repeat(81) })))).toBe("ValidationException");
    const missing = `${ACCOUNT_ARN}:activity:missing`;
    await expect(api.sfn.send(new DescribeActivityCommand({ activityArn: missing }))).rejects.toMatchObject({
      name: "ActivityDoesNotExist", message: `Activity Does Not Exist: '${missing}'`,
    });
    expect(await errorName(api.sfn.send(new DescribeActivityCommand({ activityArn: `${ACCOUNT_ARN}:stateMachine:missing` })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new GetActivityTaskCommand({ activityArn: missing })))).toBe("ActivityDoesNotExist");
  });

  it("deletes an activity; deleting it again succeeds", async () => {
    const arn = await createActivity(api, "short-lived");
    await api.sfn.send(new DeleteActivityCommand({ activityArn: arn }));
    expect(await errorName(api.sfn.send(new DescribeActivityCommand({ activityArn: arn })))).toBe("ActivityDoesNotExist");
    expect(await errorName(api.sfn.send(new GetActivityTaskCommand({ activityArn: arn })))).toBe("ActivityDoesNotExist");
    await api.sfn.send(new DeleteActivityCommand({ activityArn: arn }));
    expect(await errorName(api.sfn.send(new DeleteActivityCommand({ activityArn: "not-an-arn" })))).toBe("InvalidArn");
  });

  it("lists activities page by page", async () => {
    const names = ["page-a", "page-b", "page-c", "page-d", "page-e"];
    for (const name of names) await createActivity(api, name);
    const seen: ActivityListItem[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await api.sfn.send(new ListActivitiesCommand({ maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      expect(page.activities?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.activities ?? []));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    const listed = seen.filter((a) => a.name?.startsWith("page-"));
    expect(listed.map((a) => a.name)).toEqual(names);
    expect(listed[0]).toMatchObject({ activityArn: `${ACCOUNT_ARN}:activity:page-a` });
    expect(listed[0]?.creationDate).toBeInstanceOf(Date);
    expect(pages).toBe(Math.ceil(seen.length / 2));
    expect(await errorName(api.sfn.send(new ListActivitiesCommand({ nextToken: "garbage" })))).toBe("InvalidToken");
  });
});

const detailsOf = (events: HistoryEvent[], type: string, field: keyof HistoryEvent): unknown => events.find((e) => e.type === type)?.[field];

describe("Activity workers: GetActivityTask and SendTask*", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ activityPollMs: 5_000 });
  });
  afterAll(() => api.close());

  it("hands the Task's input to a worker and the execution succeeds with the worker's output", async () => {
    const activityArn = await createActivity(api, "greet");
    const sm = await createMachine(api, "greet-sm", activityMachine(activityArn));
    const execution = await startExecution(api, sm, { who: "world" });
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "worker-1" }));
    expect(task.taskToken).toBeTruthy();
    expect(JSON.parse(task.input as string)).toEqual({ who: "world" });
    await api.sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    await sendTaskSuccess(api, task.taskToken as string, JSON.stringify({ greeting: "hello world" }));
    const done = await finished(api, execution);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual({ greeting: "hello world" });
    const events = await history(api, execution);
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    expect(detailsOf(events, "ActivityStarted", "activityStartedEventDetails")).toEqual({ workerName: "worker-1" });
    expect(detailsOf(events, "ActivityScheduled", "activityScheduledEventDetails")).toMatchObject({ resource: activityArn });
    expect(await errorName(sendTaskSuccess(api, task.taskToken as string, "{}"))).toBe("TaskTimedOut");
  });

  it("answers a waiting poll as soon as a task is scheduled; no workerName records ActivityStarted without one", async () => {
    const activityArn = await createActivity(api, "waiting");
    const sm = await createMachine(api, "waiting-sm", activityMachine(activityArn));
    const started = Date.now();
    const polling = api.sfn.send(new GetActivityTaskCommand({ activityArn }));
    await wait(100);
    const execution = await startExecution(api, sm, 7);
    const task = await polling;
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(task.input).toBe("7");
    await sendTaskSuccess(api, task.taskToken as string, "8");
    expect((await finished(api, execution)).output).toBe("8");
    expect(detailsOf(await history(api, execution), "ActivityStarted", "activityStartedEventDetails")).toEqual({});
  });

  it("SendTaskFailure fails the Task with the worker's error and cause", async () => {
    const activityArn = await createActivity(api, "fails");
    const sm = await createMachine(api, "fails-sm", activityMachine(activityArn));
    const execution = await startExecution(api, sm, {});
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "w" }));
    await sendTaskFailure(api, task.taskToken as string, "Programmatic Error", "it broke");
    expect(await finished(api, execution)).toMatchObject({ status: "FAILED", error: "Programmatic Error", cause: "it broke" });
    expect(detailsOf(await history(api, execution), "ActivityFailed", "activityFailedEventDetails")).toEqual({ error: "Programmatic Error", cause: "it broke" });
  });

  it("a Catch on the Task catches the worker's error", async () => {
    const activityArn = await createActivity(api, "caught");
    const sm = await createMachine(api, "caught-sm", {
      StartAt: "Work",
      States: {
        Work: { Type: "Task", Resource: activityArn, Catch: [{ ErrorEquals: ["Oops"], ResultPath: "$.failure", Next: "Handled" }], End: true },
        Handled: { Type: "Pass", End: true },
      },
    });
    const execution = await startExecution(api, sm, { order: 1 });
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn }));
    await sendTaskFailure(api, task.taskToken as string, "Oops", "out of stock");
    const done = await finished(api, execution);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual({ order: 1, failure: { Error: "Oops", Cause: "out of stock" } });
  });

  it("a poller whose client disconnected does not swallow the task", async () => {
    const activityArn = await createActivity(api, "disconnect");
    const sm = await createMachine(api, "disconnect-sm", activityMachine(activityArn));
    const gone = new AbortController();
    const abandoned = api.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "gone" }), { abortSignal: gone.signal });
    await wait(100);
    gone.abort();
    await expect(abandoned).rejects.toBeDefined();
    await wait(50);
    const execution = await startExecution(api, sm, "payload");
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "present" }));
    expect(task.input).toBe('"payload"');
    await sendTaskSuccess(api, task.taskToken as string, '"done"');
    expect((await finished(api, execution)).output).toBe('"done"');
    expect(detailsOf(await history(api, execution), "ActivityStarted", "activityStartedEventDetails")).toEqual({ workerName: "present" });
  });

  it("a stopped execution's token is TaskTimedOut; a token never handed out is TaskDoesNotExist", async () => {
    const activityArn = await createActivity(api, "stopped");
    const sm = await createMachine(api, "stopped-sm", activityMachine(activityArn));
    const execution = await startExecution(api, sm, {});
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn }));
    await api.sfn.send(new StopExecutionCommand({ executionArn: execution }));
    expect((await finished(api, execution)).status).toBe("ABORTED");
    expect(await errorName(api.sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken })))).toBe("TaskTimedOut");
    expect(await errorName(sendTaskSuccess(api, task.taskToken as string, "{}"))).toBe("TaskTimedOut");
    expect(await errorName(sendTaskSuccess(api, "never-handed-out", "{}"))).toBe("TaskDoesNotExist");
  });

  it("an execution whose activity was deleted fails with States.Runtime", async () => {
    const activityArn = await createActivity(api, "deleted-later");
    const sm = await createMachine(api, "deleted-later-sm", activityMachine(activityArn));
    await api.sfn.send(new DeleteActivityCommand({ activityArn }));
    const done = await finished(api, await startExecution(api, sm, {}));
    expect(done).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: expect.stringContaining(`The activity ${activityArn} does not exist.`) });
  });
});

describe("GetActivityTask's long poll and Task timeouts", () => {
  let api: TestApi;
  beforeAll(async () => {
    // Virtual time: a Task's HeartbeatSeconds/TimeoutSeconds pass as soon as nothing else can move.
    api = await startTestApi({ activityPollMs: 200, virtualTime: true });
  });
  afterAll(() => api.close());

  it("answers without a task when none comes within the poll time", async () => {
    const activityArn = await createActivity(api, "idle");
    const started = Date.now();
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "w" }));
    expect(task.taskToken).toBeUndefined();
    expect(task.input).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it("a Task that misses its heartbeat times out, and its token is then TaskTimedOut", async () => {
    const activityArn = await createActivity(api, "slow-worker");
    const sm = await createMachine(api, "slow-worker-sm", activityMachine(activityArn, { HeartbeatSeconds: 30 }));
    const polling = api.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "slow" }));
    await wait(50);
    const execution = await startExecution(api, sm, {});
    const task = await polling;
    expect(task.taskToken).toBeTruthy();
    expect(await finished(api, execution)).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect((await history(api, execution)).map((e) => e.type)).toContain("ActivityTimedOut");
    expect(await errorName(sendTaskSuccess(api, task.taskToken as string, "{}"))).toBe("TaskTimedOut");
  });

  it("a task that timed out before any worker polled is not handed out", async () => {
    const activityArn = await createActivity(api, "nobody-home");
    const sm = await createMachine(api, "nobody-home-sm", activityMachine(activityArn, { TimeoutSeconds: 5 }));
    const execution = await startExecution(api, sm, {});
    expect(await finished(api, execution)).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    const task = await api.sfn.send(new GetActivityTaskCommand({ activityArn }));
    expect(task.taskToken).toBeUndefined();
  });
});
