/**
 * The Map Run API through the SDK: DescribeMapRun, ListMapRuns, UpdateMapRun, ListExecutions
 * with mapRunArn, and child executions with DescribeExecution and GetExecutionHistory; a
 * redriven parent redrives its map run.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  UpdateMapRunCommand,
  type DescribeMapRunCommandOutput,
} from "@aws-sdk/client-sfn";
import type { Json } from "../../translators/json.js";
import { errorName, ROLE_ARN, settled, startTestApi, type TestApi } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const ACCOUNT_ARN = "arn:aws:states:us-east-1:123456789012";
const lambda = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** Items whose work fails (until removed), and items whose work waits until released. */
const failing = new Set<string>();
const holding = new Set<string>();
const held: (() => void)[] = [];

function work(item: Json): Json | Promise<Json> {
  const key = String(item);
  if (failing.has(key)) {
    const e = new Error(`${key} failed`);
    e.name = "ItemFailed";
    throw e;
  }
  if (holding.has(key)) return new Promise<Json>((resolve) => held.push(() => resolve(`done:${key}`)));
  return `done:${key}`;
}

const distributed = (name: string, extra: object = {}): string => JSON.stringify({
  StartAt: "Items",
  States: {
    Items: {
      Type: "Map", Label: "Batch", End: true,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: `${name}Work`, States: { [`${name}Work`]: { Type: "Task", Resource: lambda("work"), End: true } },
      },
      ...extra,
    },
  },
});

/** Polls DescribeMapRun until `check` holds. */
async function mapRunWhen(api: TestApi, mapRunArn: string, check: (d: DescribeMapRunCommandOutput) => boolean): Promise<DescribeMapRunCommandOutput> {
  for (let i = 0; i < 300; i++) {
    const d = await api.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    if (check(d)) return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`map run ${mapRunArn} never reached the expected state`);
}

describe("Map Run API", () => {
  let api: TestApi;
  const run = async (machine: string, items: string[]): Promise<string> =>
    (await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}${machine}`, input: JSON.stringify(items) }))).executionArn as string;
  const mapRunsOf = async (executionArn: string): Promise<string[]> =>
    ((await api.sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns ?? []).map((m) => m.mapRunArn as string);

  beforeAll(async () => {
    api = await startTestApi({ virtualTime: true, functions: { work } });
    const machines: [string, object][] = [
      ["plain", {}],
      ["slow", { MaxConcurrency: 1 }],
      ["strict", { MaxConcurrency: 1, ToleratedFailureCount: 1 }],
      ["retried", { Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1, IntervalSeconds: 1 }] }],
    ];
    for (const [name, extra] of machines) {
      await api.sfn.send(new CreateStateMachineCommand({ name, definition: distributed(name, extra), roleArn: ROLE_ARN }));
    }
  });
  afterAll(() => api.close());

  it("describes a map run, lists it and its child executions, and describes a child with its own history", async () => {
    const parent = await run("plain", ["a", "b", "c"]);
    expect(JSON.parse((await settled(api.sfn, parent)).output as string)).toEqual(["done:a", "done:b", "done:c"]);
    const listed = await api.sfn.send(new ListMapRunsCommand({ executionArn: parent }));
    expect(listed.mapRuns).toHaveLength(1);
    const item = listed.mapRuns![0]!;
    expect(item).toMatchObject({ executionArn: parent, stateMachineArn: `${SM}plain` });
    expect(item.mapRunArn).toMatch(new RegExp(`^${ACCOUNT_ARN}:mapRun:plain/Batch:[0-9a-f-]{36}$`));
    const mapRunArn = item.mapRunArn as string;

    const d = await api.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const counts = { pending: 0, running: 0, succeeded: 3, failed: 0, timedOut: 0, aborted: 0, total: 3, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
    expect(d).toMatchObject({
      mapRunArn, executionArn: parent, status: "SUCCEEDED", maxConcurrency: 0, toleratedFailurePercentage: 0, toleratedFailureCount: 0,
      itemCounts: counts, executionCounts: counts, redriveCount: 0,
    });
    expect(d.startDate).toEqual(item.startDate);
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
    expect(d.redriveDate).toBeUndefined();
    const history = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn: parent }));
    expect(history.events?.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn).toBe(mapRunArn);

    const children = await api.sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions).toHaveLength(3);
    for (const child of children.executions ?? []) {
      expect(child).toMatchObject({ mapRunArn, itemCount: 1, status: "SUCCEEDED", stateMachineArn: `${SM}plain/Batch`, redriveCount: 0 });
      expect(child.executionArn).toBe(`${ACCOUNT_ARN}:execution:plain/Batch:${child.name}`);
    }
    const childArn = children.executions![0]!.executionArn as string;
    const described = await api.sfn.send(new DescribeExecutionCommand({ executionArn: childArn }));
    expect(described).toMatchObject({ executionArn: childArn, mapRunArn, status: "SUCCEEDED", stateMachineArn: `${SM}plain/Batch` });
    expect(["done:a", "done:b", "done:c"]).toContain(JSON.parse(described.output as string));
    const childEvents = (await api.sfn.send(new GetExecutionHistoryCommand({ executionArn: childArn }))).events ?? [];
    expect(childEvents.map((e) => e.type)).toEqual(["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"]);
    expect(childEvents.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The parent's listing by state machine has no child executions.
    const byMachine = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}plain` }));
    expect(byMachine.executions?.map((e) => e.executionArn)).toEqual([parent]);
    expect(byMachine.executions?.[0]?.mapRunArn).toBeUndefined();
  });

  it("answers InvalidArn, ResourceNotFound and ExecutionDoesNotExist as AWS does", async () => {
    const unknown = `${ACCOUNT_ARN}:mapRun:plain/Batch:00000000-0000-4000-8000-000000000000`;
    expect(await errorName(api.sfn.send(new DescribeMapRunCommand({ mapRunArn: unknown })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new DescribeMapRunCommand({ mapRunArn: "x" })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new DescribeMapRunCommand({ mapRunArn: `${ACCOUNT_ARN}:execution:plain:e` })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new UpdateMapRunCommand({ mapRunArn: unknown, maxConcurrency: 1 })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new ListExecutionsCommand({ mapRunArn: unknown })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new ListMapRunsCommand({ executionArn: `${ACCOUNT_ARN}:execution:plain:nope` })))).toBe("ExecutionDoesNotExist");
    expect(await errorName(api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}plain`, statusFilter: "PENDING_REDRIVE" })))).toBe("ValidationException");
  });

  it("UpdateMapRun changes a running map run's settings for the items not started yet", async () => {
    for (const key of ["u1", "u2", "u3", "u4"]) holding.add(key);
    const parent = await run("slow", ["u1", "u2", "u3", "u4"]);
    let mapRunArn = "";
    for (let i = 0; i < 100 && !mapRunArn; i++) {
      mapRunArn = (await mapRunsOf(parent))[0] ?? "";
      if (!mapRunArn) await new Promise((r) => setTimeout(r, 10));
    }
    const before = await mapRunWhen(api, mapRunArn, (d) => d.itemCounts?.running === 1);
    expect(before).toMatchObject({ status: "RUNNING", maxConcurrency: 1, itemCounts: { running: 1, pending: 3, total: 4 } });
    expect(before.stopDate).toBeUndefined();

    expect(await errorName(api.sfn.send(new UpdateMapRunCommand({ mapRunArn })))).toBe("ValidationException");
    expect(await errorName(api.sfn.send(new UpdateMapRunCommand({ mapRunArn, toleratedFailurePercentage: 150 })))).toBe("ValidationException");
    await api.sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3, toleratedFailurePercentage: 50 }));
    const after = await mapRunWhen(api, mapRunArn, (d) => d.itemCounts?.running === 3);
    expect(after).toMatchObject({ maxConcurrency: 3, toleratedFailurePercentage: 50, toleratedFailureCount: 0, itemCounts: { running: 3, pending: 1 } });
    const running = await api.sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: "RUNNING" }));
    expect(running.executions).toHaveLength(3);

    for (const key of ["u1", "u2", "u3", "u4"]) holding.delete(key);
    while ((await api.sfn.send(new DescribeExecutionCommand({ executionArn: parent }))).status === "RUNNING") {
      held.splice(0).forEach((release) => release());
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await api.sfn.send(new DescribeMapRunCommand({ mapRunArn }))).status).toBe("SUCCEEDED");
    expect(await errorName(api.sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 5 })))).toBe("ValidationException");
  });

  it("a redriven parent redrives its map run: failed children again (pending redrive while they wait), the rest kept", async () => {
    for (const key of ["r2", "r3"]) failing.add(key);
    const parent = await run("strict", ["r1", "r2", "r3"]);
    expect(await settled(api.sfn, parent)).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    const [mapRunArn] = await mapRunsOf(parent);
    const failed = await api.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(failed).toMatchObject({ status: "FAILED", toleratedFailureCount: 1, itemCounts: { succeeded: 1, failed: 2, failuresNotRedrivable: 0 } });
    const failedChildren = await api.sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: "FAILED" }));
    expect(failedChildren.executions).toHaveLength(2);
    const childArn = failedChildren.executions![0]!.executionArn as string;
    expect(await api.sfn.send(new DescribeExecutionCommand({ executionArn: childArn }))).toMatchObject({ status: "FAILED", redriveStatus: "REDRIVABLE_BY_MAP_RUN" });
    expect(await errorName(api.sfn.send(new RedriveExecutionCommand({ executionArn: childArn })))).toBe("ExecutionNotRedrivable");

    // r2 runs again first (MaxConcurrency 1) and waits; r3 is pending redrive meanwhile.
    for (const key of ["r2", "r3"]) failing.delete(key);
    holding.add("r2");
    const redrive = await api.sfn.send(new RedriveExecutionCommand({ executionArn: parent }));
    const waiting = await mapRunWhen(api, mapRunArn as string, (d) => d.itemCounts?.running === 1);
    expect(waiting).toMatchObject({ status: "RUNNING", redriveCount: 1, redriveDate: redrive.redriveDate, itemCounts: { succeeded: 1, running: 1, pendingRedrive: 1, pending: 1 } });
    const pending = await api.sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: "PENDING_REDRIVE" }));
    expect(pending.executions).toHaveLength(1);
    holding.delete("r2");
    held.splice(0).forEach((release) => release());

    const done = await settled(api.sfn, parent);
    expect(JSON.parse(done.output as string)).toEqual(["done:r1", "done:r2", "done:r3"]);
    expect(await mapRunsOf(parent)).toEqual([mapRunArn]);
    expect(await api.sfn.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: "SUCCEEDED", redriveCount: 1, itemCounts: { succeeded: 3, pendingRedrive: 0 } });
    const redriven = await api.sfn.send(new ListExecutionsCommand({ mapRunArn, redriveFilter: "REDRIVEN" }));
    expect(redriven.executions?.map((e) => e.redriveCount)).toEqual([1, 1]);
    const child = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn: childArn }));
    expect(child.events?.filter((e) => e.type === "ExecutionRedriven").map((e) => e.executionRedrivenEventDetails?.redriveCount)).toEqual([1]);
    const parentEvents = (await api.sfn.send(new GetExecutionHistoryCommand({ executionArn: parent }))).events ?? [];
    expect(parentEvents.find((e) => e.type === "MapRunRedriven")?.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
  });

  it("a retried Distributed Map starts a new map run; ListMapRuns pages through them", async () => {
    failing.add("t1");
    const parent = await run("retried", ["t1"]);
    await settled(api.sfn, parent);
    failing.delete("t1");
    const page1 = await api.sfn.send(new ListMapRunsCommand({ executionArn: parent, maxResults: 1 }));
    expect(page1.mapRuns).toHaveLength(1);
    expect(page1.nextToken).toBeDefined();
    const page2 = await api.sfn.send(new ListMapRunsCommand({ executionArn: parent, maxResults: 1, nextToken: page1.nextToken }));
    expect(page2.mapRuns).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();
    const statuses = [];
    for (const m of [...page1.mapRuns!, ...page2.mapRuns!]) statuses.push((await api.sfn.send(new DescribeMapRunCommand({ mapRunArn: m.mapRunArn }))).status);
    expect(statuses).toEqual(["FAILED", "FAILED"]);
  });
});
