/**
 * RedriveExecution through the SDK, and what DescribeExecution, ListExecutions and
 * GetExecutionHistory show of a redriven execution.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import type { Json } from "../../translators/json.js";
import { errorName, ROLE_ARN, settled, startTestApi, type TestApi } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const lambda = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** Keys whose work fails (until a test removes them), and keys whose work waits (until released). */
const failing = new Set<string>();
const holding = new Set<string>();
const calls: string[] = [];

function work(input: Json): Json | Promise<Json> {
  const key = String((input as { key?: string }).key);
  calls.push(key);
  if (failing.has(key)) {
    const e = new Error(`${key} is not ready`);
    e.name = "NotReady";
    throw e;
  }
  if (holding.has(key)) return new Promise<Json>(() => undefined);
  return { done: key, region: (input as { region?: Json }).region ?? null };
}

const order = JSON.stringify({
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Assign: { region: "eu-west-1" }, Next: "Charge" },
    Charge: { Type: "Task", Resource: lambda("work"), Parameters: { "key.$": "$.key", "region.$": "$region" }, End: true },
  },
});

describe("RedriveExecution", () => {
  let api: TestApi;
  const start = async (name: string, key: string): Promise<string> => {
    const started = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}order`, name, input: JSON.stringify({ key }) }));
    return started.executionArn as string;
  };
  const history = async (executionArn: string): Promise<HistoryEvent[]> =>
    (await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];

  beforeAll(async () => {
    api = await startTestApi({ virtualTime: true, functions: { work } });
    await api.sfn.send(new CreateStateMachineCommand({ name: "order", definition: order, roleArn: ROLE_ARN }));
    await api.sfn.send(new CreateStateMachineCommand({ name: "quick", definition: order, roleArn: ROLE_ARN, type: "EXPRESS" }));
  });
  afterAll(() => api.close());

  it("runs a failed execution again from the failed state, with its input and variables, under the same ARN", async () => {
    failing.add("o1");
    const arn = await start("first", "o1");
    const failed = await settled(api.sfn, arn);
    expect(failed).toMatchObject({ status: "FAILED", error: "NotReady", redriveCount: 0, redriveStatus: "REDRIVABLE" });
    expect(failed.redriveDate).toBeUndefined();
    expect(failed.redriveStatusReason).toBeUndefined();

    failing.delete("o1");
    const redriven = await api.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const d = await settled(api.sfn, arn);
    expect(d).toMatchObject({
      executionArn: arn, status: "SUCCEEDED", redriveCount: 1, redriveDate: redriven.redriveDate,
      redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
    expect(JSON.parse(d.output as string)).toEqual({ done: "o1", region: "eu-west-1" });
    expect(d.error).toBeUndefined();
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(redriven.redriveDate!.getTime());

    const events = await history(arn);
    const failedEvent = events.find((e) => e.type === "ExecutionFailed")!;
    const at = events.findIndex((e) => e.type === "ExecutionRedriven");
    expect(events[at]).toMatchObject({ id: failedEvent.id! + 1, previousEventId: failedEvent.id, executionRedrivenEventDetails: { redriveCount: 1 } });
    expect(events[at + 1]).toMatchObject({ type: "TaskStateEntered", previousEventId: events[at]!.id, stateEnteredEventDetails: { name: "Charge", input: "{\"key\":\"o1\"}" } });
    expect(events.filter((e) => e.type === "PassStateEntered")).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
  });

  it("answers ExecutionNotRedrivable, ExecutionDoesNotExist and InvalidArn as AWS does", async () => {
    const done = await start("done", "o2");
    await settled(api.sfn, done);
    await expect(api.sfn.send(new RedriveExecutionCommand({ executionArn: done })))
      .rejects.toMatchObject({ name: "ExecutionNotRedrivable", message: "Execution is SUCCEEDED and cannot be redriven" });
    holding.add("o3");
    const running = await start("running", "o3");
    expect(await errorName(api.sfn.send(new RedriveExecutionCommand({ executionArn: running })))).toBe("ExecutionNotRedrivable");
    expect((await api.sfn.send(new DescribeExecutionCommand({ executionArn: running })))).toMatchObject({
      redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: "Execution is RUNNING and cannot be redriven",
    });
    await api.sfn.send(new StopExecutionCommand({ executionArn: running }));
    expect(await errorName(api.sfn.send(new RedriveExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:order:nope" })))).toBe("ExecutionDoesNotExist");
    expect(await errorName(api.sfn.send(new RedriveExecutionCommand({ executionArn: "not-an-arn" })))).toBe("InvalidArn");
    const express = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}quick`, input: "{\"key\":\"x\"}" }));
    expect(await errorName(api.sfn.send(new RedriveExecutionCommand({ executionArn: express.executionArn })))).toBe("InvalidArn");
  });

  it("an aborted execution is redrivable and resumes the state it was stopped in", async () => {
    holding.add("o4");
    const arn = await start("stopped", "o4");
    await api.sfn.send(new StopExecutionCommand({ executionArn: arn, error: "Ops", cause: "paused" }));
    expect(await settled(api.sfn, arn)).toMatchObject({ status: "ABORTED", redriveStatus: "REDRIVABLE" });
    holding.delete("o4");
    await api.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(await settled(api.sfn, arn)).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    const types = (await history(arn)).map((e) => e.type);
    expect(types.slice(types.indexOf("ExecutionAborted"), types.indexOf("ExecutionAborted") + 3)).toEqual(["ExecutionAborted", "ExecutionRedriven", "TaskStateEntered"]);
  });

  it("the same clientToken again answers the first redrive's date and redrives nothing more", async () => {
    failing.add("o5");
    const arn = await start("token", "o5");
    await settled(api.sfn, arn);
    const first = await api.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: "same-token" }));
    await settled(api.sfn, arn);
    const again = await api.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: "same-token" }));
    expect(again.redriveDate?.getTime()).toBe(first.redriveDate?.getTime());
    expect((await api.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).redriveCount).toBe(1);
    await api.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: "other-token" }));
    expect((await settled(api.sfn, arn)).redriveCount).toBe(2);
    failing.delete("o5");
  });

  it("ListExecutions filters on redriveFilter and lists redriveCount and redriveDate", async () => {
    const redriven = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}order`, redriveFilter: "REDRIVEN" }));
    expect(redriven.executions?.map((e) => e.name).sort()).toEqual(["first", "stopped", "token"]);
    for (const item of redriven.executions ?? []) {
      expect(item.redriveCount).toBeGreaterThan(0);
      expect(item.redriveDate).toBeInstanceOf(Date);
    }
    const notRedriven = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}order`, redriveFilter: "NOT_REDRIVEN" }));
    expect(notRedriven.executions?.map((e) => e.name).sort()).toEqual(["done", "running"]);
    expect(notRedriven.executions?.every((e) => e.redriveCount === 0 && e.redriveDate === undefined)).toBe(true);
    const failedOnes = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}order`, statusFilter: "FAILED", redriveFilter: "REDRIVEN" }));
    expect(failedOnes.executions?.map((e) => e.name)).toEqual(["token"]);
  });
});
