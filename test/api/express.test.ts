import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const EXPRESS_ARN = /^arn:aws:states:us-east-1:123456789012:express:(\w+):([\w-]+):[0-9a-f-]{36}$/;

const machines: Record<string, { definition: object; type: "EXPRESS" | "STANDARD" }> = {
  add: {
    type: "EXPRESS",
    definition: { StartAt: "Add", States: { Add: { Type: "Pass", Parameters: { "sum.$": "States.MathAdd($.a, $.b)" }, End: true } } },
  },
  reject: {
    type: "EXPRESS",
    definition: { StartAt: "No", States: { No: { Type: "Fail", Error: "Payment.Declined", Cause: "card expired" } } },
  },
  // Virtual time: the hour-long Wait outlasts the 1 s TimeoutSeconds at once.
  late: {
    type: "EXPRESS",
    definition: { TimeoutSeconds: 1, StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 3600, End: true } } },
  },
  standard: { type: "STANDARD", definition: { StartAt: "P", States: { P: { Type: "Pass", End: true } } } },
};

describe("Express executions", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ virtualTime: true });
    for (const [name, m] of Object.entries(machines)) {
      await api.sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(m.definition), roleArn: ROLE_ARN, type: m.type }));
    }
  });
  afterAll(() => api.close());

  it("CreateStateMachine refuses an EXPRESS machine with a .waitForTaskToken task, naming where", async () => {
    const definition = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true } } });
    const call = api.sfn.send(new CreateStateMachineCommand({ name: "callback", definition, roleArn: ROLE_ARN, type: "EXPRESS" }));
    await expect(call).rejects.toMatchObject({ name: "InvalidDefinition", message: expect.stringContaining("'.waitForTaskToken' service integration  at /States/T/Resource") });
    const standard = await api.sfn.send(new CreateStateMachineCommand({ name: "callback", definition, roleArn: ROLE_ARN, type: "STANDARD" }));
    expect(standard.stateMachineArn).toBe(`${SM}callback`);
  });

  it("StartSyncExecution waits for the end and answers with the output", async () => {
    const input = '{"a": 2, "b": 40}';
    const r = await api.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM}add`, name: "sum-1", input }));
    expect(r.executionArn).toMatch(EXPRESS_ARN);
    expect(EXPRESS_ARN.exec(r.executionArn as string)?.slice(1, 3)).toEqual(["add", "sum-1"]);
    expect(r).toMatchObject({
      stateMachineArn: `${SM}add`, name: "sum-1", status: "SUCCEEDED", input, inputDetails: { included: true }, outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 },
    });
    expect(JSON.parse(r.output as string)).toEqual({ sum: 42 });
    expect(r.startDate).toBeInstanceOf(Date);
    expect(r.stopDate!.getTime()).toBeGreaterThanOrEqual(r.startDate!.getTime());
    expect(r.error).toBeUndefined();
  });

  it("StartSyncExecution reports a failure with its error and cause, and no output", async () => {
    const r = await api.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM}reject` }));
    expect(r).toMatchObject({ status: "FAILED", error: "Payment.Declined", cause: "card expired", input: "{}", outputDetails: { included: true } });
    expect(r.output).toBeUndefined();
    expect(r.name).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("StartSyncExecution reports TIMED_OUT when the execution times out", async () => {
    const r = await api.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM}late` }));
    expect(r).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(r.stopDate!.getTime() - r.startDate!.getTime()).toBe(1000);
    expect(r.billingDetails?.billedDurationInMilliseconds).toBe(1000);
  });

  it("StartSyncExecution is for Express state machines only; its checks are StartExecution's", async () => {
    await expect(api.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM}standard` }))).rejects.toMatchObject({
      name: "StateMachineTypeNotSupported", message: "This operation is not supported by this type of state machine",
    });
    expect(await errorName(api.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM}nope` })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM}add`, input: "{" })))).toBe("InvalidExecutionInput");
  });

  it("StartExecution starts an Express execution asynchronously; it is not kept to describe, stop or list", async () => {
    const { executionArn, startDate } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}add`, name: "async", input: '{"a":1,"b":1}' }));
    expect(executionArn).toMatch(EXPRESS_ARN);
    expect(startDate).toBeInstanceOf(Date);
    const notHere = { name: "InvalidArn", message: "Invalid Arn: 'Resource type not valid in this context: express'" };
    await expect(api.sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject(notHere);
    await expect(api.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).rejects.toMatchObject(notHere);
    await expect(api.sfn.send(new StopExecutionCommand({ executionArn }))).rejects.toMatchObject(notHere);
    expect(await errorName(api.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${SM}add` })))).toBe("StateMachineTypeNotSupported");
    // Express names need not be unique: the same name again is a new execution.
    const again = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}add`, name: "async", input: '{"a":1,"b":1}' }));
    expect(again.executionArn).not.toBe(executionArn);
  });
});
