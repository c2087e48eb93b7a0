import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi, settled } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const def = (d: object): string => JSON.stringify(d);

/** Pass states that add to the input, so the output depends on it. */
const greet = def({
  StartAt: "Hello",
  States: {
    Hello: { Type: "Pass", Result: "hello", ResultPath: "$.greeting", Next: "World" },
    World: { Type: "Pass", Parameters: { "text.$": "States.Format('{} {}', $.greeting, $.who)" }, End: true },
  },
});
/** Waits an hour unless the input says `quick` (real time: it is still running when a test looks). */
const slow = def({
  StartAt: "Quick?",
  States: {
    "Quick?": { Type: "Choice", Choices: [{ And: [{ Variable: "$.quick", IsPresent: true }, { Variable: "$.quick", BooleanEquals: true }], Next: "Done" }], Default: "Wait" },
    Wait: { Type: "Wait", Seconds: 3600, Next: "Done" },
    Done: { Type: "Succeed" },
  },
});
const echo = def({ StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } });
const failing = def({ StartAt: "No", States: { No: { Type: "Fail", Error: "Order.Rejected", Cause: "out of stock" } } });


describe("executions", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    for (const [name, definition] of [["greet", greet], ["slow", slow], ["failing", failing], ["echo", echo]] as const) {
      await api.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN }));
    }
  });
  afterAll(() => api.close());

  it("starts a Standard execution and describes it until it succeeds", async () => {
    const input = '{"who": "world"}';
    const started = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}greet`, name: "first", input, traceHeader: "Root=1-abc" }));
    expect(started.executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:greet:first");
    expect(started.startDate).toBeInstanceOf(Date);
    const d = await settled(api.sfn, started.executionArn as string);
    expect(d).toMatchObject({
      executionArn: started.executionArn, stateMachineArn: `${SM}greet`, name: "first", status: "SUCCEEDED",
      input, inputDetails: { included: true }, outputDetails: { included: true }, traceHeader: "Root=1-abc",
      redriveCount: 0, redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
    expect(JSON.parse(d.output as string)).toEqual({ text: "hello world" });
    expect(d.startDate?.getTime()).toBe(started.startDate?.getTime());
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
    expect(d.error).toBeUndefined();
  });

  it("names an execution with a UUID when no name is given, and takes {} as the default input", async () => {
    const started = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}echo` }));
    const name = started.executionArn!.split(":").pop();
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const d = await settled(api.sfn, started.executionArn as string);
    expect(d).toMatchObject({ name, input: "{}", status: "SUCCEEDED", output: "{}" });
  });

  it("reports a failed execution's error and cause, and that it can be redriven", async () => {
    const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}failing` }));
    const d = await settled(api.sfn, executionArn as string);
    expect(d).toMatchObject({ status: "FAILED", error: "Order.Rejected", cause: "out of stock", redriveStatus: "REDRIVABLE" });
    expect(d.output).toBeUndefined();
    expect(d.redriveStatusReason).toBeUndefined();
  });

  it("stops a waiting execution: ABORTED, with an ExecutionAborted event; stopping again changes nothing", async () => {
    const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}slow`, name: "to-stop" }));
    let d = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: "RUNNING", redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: "Execution is RUNNING and cannot be redriven" });
    expect(d.stopDate).toBeUndefined();
    const stopped = await api.sfn.send(new StopExecutionCommand({ executionArn, error: "Operator.Cancelled", cause: "changed my mind" }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    d = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: "ABORTED", error: "Operator.Cancelled", cause: "changed my mind", redriveStatus: "REDRIVABLE" });
    expect(d.stopDate?.getTime()).toBe(stopped.stopDate?.getTime());
    const { events } = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events?.map((e) => e.type)).toEqual(["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "ExecutionAborted"]);
    expect(events?.at(-1)?.executionAbortedEventDetails).toEqual({ error: "Operator.Cancelled", cause: "changed my mind" });
    const again = await api.sfn.send(new StopExecutionCommand({ executionArn, error: "Other" }));
    expect(again.stopDate?.getTime()).toBe(stopped.stopDate?.getTime());
    expect((await api.sfn.send(new DescribeExecutionCommand({ executionArn }))).error).toBe("Operator.Cancelled");
  });

  it("lists executions newest first, filtered by status, page by page", async () => {
    await api.sfn.send(new CreateStateMachineCommand({ name: "listed", definition: slow, roleArn: ROLE_ARN }));
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const input = JSON.stringify({ quick: i % 2 === 0 });
      arns.push((await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}listed`, name: `run-${i}`, input }))).executionArn as string);
    }
    for (const i of [0, 2, 4]) await settled(api.sfn, arns[i] as string);
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}listed`, maxResults: 2, nextToken }));
      pages.push(page.executions!.map((e) => e.executionArn as string));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...arns].reverse());
    const running = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}listed`, statusFilter: "RUNNING" }));
    expect(running.executions?.map((e) => e.name)).toEqual(["run-3", "run-1"]);
    expect(running.executions?.[0]).toMatchObject({ stateMachineArn: `${SM}listed`, status: "RUNNING" });
    expect(running.executions?.[0]?.stopDate).toBeUndefined();
    const succeeded = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}listed`, statusFilter: "SUCCEEDED" }));
    expect(succeeded.executions?.map((e) => e.name)).toEqual(["run-4", "run-2", "run-0"]);
    expect(succeeded.executions?.[0]?.stopDate).toBeInstanceOf(Date);
    const bad = api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}listed`, nextToken: "bm90LWEtdG9rZW4" }));
    expect(await errorName(bad)).toBe("InvalidToken");
    const other = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}listed`, statusFilter: "SUCCEEDED", maxResults: 1 }));
    expect(await errorName(api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}listed`, statusFilter: "RUNNING", nextToken: other.nextToken })))).toBe("InvalidToken");
    expect(await errorName(api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}nope` })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new ListExecutionsCommand({ stateMachineArn: "arn:aws:sqs:us-east-1:123456789012:q" })))).toBe("InvalidArn");
    for (const arn of [arns[1], arns[3]]) await api.sfn.send(new StopExecutionCommand({ executionArn: arn }));
  });

  it("lists and describes executions started through a version", async () => {
    const created = await api.sfn.send(new CreateStateMachineCommand({ name: "versioned", definition: greet, roleArn: ROLE_ARN, publish: true }));
    const versionArn = created.stateMachineVersionArn as string;
    const viaVersion = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: versionArn, input: '{"who":"v1"}' }));
    const direct = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}versioned`, input: '{"who":"latest"}' }));
    const d = await settled(api.sfn, viaVersion.executionArn as string);
    expect(d).toMatchObject({ stateMachineArn: `${SM}versioned`, stateMachineVersionArn: versionArn, status: "SUCCEEDED" });
    expect(viaVersion.executionArn).toMatch(/:execution:versioned:/);
    await settled(api.sfn, direct.executionArn as string);
    const byVersion = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: versionArn }));
    expect(byVersion.executions?.map((e) => e.executionArn)).toEqual([viaVersion.executionArn]);
    expect(byVersion.executions?.[0]?.stateMachineVersionArn).toBe(versionArn);
    const all = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}versioned` }));
    expect(all.executions?.map((e) => e.executionArn)).toEqual([direct.executionArn, viaVersion.executionArn]);
  });

  it("is idempotent for the same name and input while running; otherwise ExecutionAlreadyExists", async () => {
    const request = { stateMachineArn: `${SM}slow`, name: "once", input: '{"order": 1}' };
    const first = await api.sfn.send(new StartExecutionCommand(request));
    const again = await api.sfn.send(new StartExecutionCommand(request));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    const list = await api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}slow`, statusFilter: "RUNNING" }));
    expect(list.executions?.filter((e) => e.name === "once")).toHaveLength(1);
    expect(await errorName(api.sfn.send(new StartExecutionCommand({ ...request, input: '{"order": 2}' })))).toBe("ExecutionAlreadyExists");
    await api.sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    // A finished execution's name cannot be reused (for 90 days), even with the same input.
    const reuse = api.sfn.send(new StartExecutionCommand(request));
    await expect(reuse).rejects.toMatchObject({ name: "ExecutionAlreadyExists", message: `Execution Already Exists: '${first.executionArn}'` });
  });

  it("rejects bad input, names, ARNs and unknown state machines or executions with AWS's errors", async () => {
    const start = (extra: object): Promise<unknown> => api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}greet`, ...extra }));
    await expect(start({ input: "not some json" })).rejects.toMatchObject({ name: "InvalidExecutionInput", message: expect.stringContaining("Invalid State Machine Execution Input") });
    expect(await errorName(start({ input: "" }))).toBe("InvalidExecutionInput");
    expect(await errorName(start({ input: JSON.stringify({ big: "x".repeat(262_144) }) }))).toBe("ValidationException");
    expect(await errorName(start({ input: JSON.stringify({ big: "é".repeat(140_000) }) }))).toBe("InvalidExecutionInput");
    expect(await errorName(start({ name: "has space" }))).toBe("InvalidName");
    expect(await errorName(start({ name: "x".repeat(81) }))).toBe("ValidationException");
    await expect(api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}nope` }))).rejects.toMatchObject({
      name: "StateMachineDoesNotExist", message: `State Machine Does Not Exist: '${SM}nope'`,
    });
    expect(await errorName(api.sfn.send(new StartExecutionCommand({ stateMachineArn: "not-an-arn" })))).toBe("InvalidArn");
    const missing = "arn:aws:states:us-east-1:123456789012:execution:greet:never";
    await expect(api.sfn.send(new DescribeExecutionCommand({ executionArn: missing }))).rejects.toMatchObject({
      name: "ExecutionDoesNotExist", message: `Execution Does Not Exist: '${missing}'`,
    });
    expect(await errorName(api.sfn.send(new StopExecutionCommand({ executionArn: missing })))).toBe("ExecutionDoesNotExist");
    expect(await errorName(api.sfn.send(new DescribeExecutionCommand({ executionArn: "nope" })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new DescribeExecutionCommand({ executionArn: `${SM}greet` })))).toBe("InvalidArn");
  });
});
