/**
 * Nested executions under `aslan serve`, driven with the AWS SDK: state machines created over
 * the API (versions and aliases included) start each other through `states:startExecution`
 * with the API's StartExecution rules and errors.
 *
 * `startServer` takes no adapters yet, so the adapter is reached through a task function
 * keyed by each resource ARN (the in-process bus runs it; it cannot see the Task close, so
 * cancellation is tested through the engine in executions.test.ts).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from "@aws-sdk/client-sfn";
import { apiExecutions } from "../../runtime/api/api-executions.js";
import type { TaskFunction, TaskFunctions } from "../../runtime/bus/task-functions.js";
import { TaskError, type Adapter } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { JsonObject } from "../../translators/json.js";
import { ROLE_ARN, settled, startTestApi, type TestApi } from "../../test/api/helpers.js";
import { createExecutionsAdapter } from "./index.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const EXEC = "arn:aws:states:us-east-1:123456789012:execution:";
const START = "arn:aws:states:::states:startExecution";
const PATTERNS = ["", ".sync", ".sync:2", ".waitForTaskToken"];

/** Task functions that run `adapter()`'s tasks, failing with its TaskError's error and cause. */
function viaFunctions(adapter: () => Adapter): TaskFunctions {
  const fn: TaskFunction = async (payload, ctx) => {
    try {
      return await adapter().run({
        taskId: randomUUID(), resource: parseResource(ctx.resource), payload, stateName: ctx.stateName, executionArn: ctx.executionArn,
        ...(ctx.taskToken !== undefined ? { taskToken: ctx.taskToken } : {}),
        signal: new AbortController().signal, heartbeat: () => undefined,
      });
    } catch (e) {
      if (!(e instanceof TaskError)) throw e;
      const failure = new Error(e.cause ?? "");
      failure.name = e.error;
      throw failure;
    }
  };
  return Object.fromEntries(PATTERNS.map((p) => [START + p, fn]));
}

const doubler = { StartAt: "Double", States: { Double: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, $.n)" }, End: true } } };
const nested = (pattern: string, parameters: object, extra: object = {}): object => ({
  StartAt: "Start",
  States: { Start: { Type: "Task", Resource: START + pattern, Parameters: parameters, End: true, ...extra } },
});

describe("states:startExecution under aslan serve", () => {
  let api: TestApi;
  let adapter: Adapter | undefined;
  let count = 0;

  beforeAll(async () => {
    api = await startTestApi({ functions: viaFunctions(() => adapter as Adapter) });
    adapter = createExecutionsAdapter({}, { executions: apiExecutions(api.server.context) });
    await create("child", doubler, { publish: true });
    await api.sfn.send(new CreateStateMachineAliasCommand({ name: "live", routingConfiguration: [{ stateMachineVersionArn: `${SM}child:1`, weight: 100 }] }));
  });
  afterAll(() => api.close());

  async function create(name: string, definition: object, extra: object = {}): Promise<string> {
    const r = await api.sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN, ...extra }));
    return r.stateMachineArn as string;
  }

  /** Creates a parent state machine and runs it to its end. */
  async function runParent(definition: object, input: object = {}): Promise<DescribeExecutionCommandOutput & { executionArn: string }> {
    const arn = await create(`parent-${++count}`, definition);
    const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
    return { ...(await settled(api.sfn, executionArn as string)), executionArn: executionArn as string };
  }

  it("request-response: the child runs on the server and the Task ends with StartExecution's answer", async () => {
    const d = await runParent(nested("", { StateMachineArn: `${SM}child`, "Input.$": "$", Name: "rr" }), { n: 5 });
    expect(d.status).toBe("SUCCEEDED");
    const out = JSON.parse(d.output as string) as JsonObject;
    expect(out["ExecutionArn"]).toBe(`${EXEC}child:rr`);
    expect(out["SdkHttpMetadata"]).toMatchObject({ HttpStatusCode: 200 });
    const child = await settled(api.sfn, `${EXEC}child:rr`);
    expect(child).toMatchObject({ status: "SUCCEEDED", input: '{"n":5}', output: '{"n":10}' });
    expect(out["StartDate"]).toBe(child.startDate?.getTime());
  });

  it(".sync:2 through an alias: the child runs the alias's version, the output is DescribeExecution's with JSON data", async () => {
    const d = await runParent(nested(".sync:2", { StateMachineArn: `${SM}child:live`, Input: { n: 3 }, Name: "aliased" }));
    expect(d.status).toBe("SUCCEEDED");
    const child = await api.sfn.send(new DescribeExecutionCommand({ executionArn: `${EXEC}child:aliased` }));
    expect(child).toMatchObject({ stateMachineVersionArn: `${SM}child:1`, stateMachineAliasArn: `${SM}child:live` });
    expect(JSON.parse(d.output as string)).toMatchObject({
      ExecutionArn: `${EXEC}child:aliased`, Input: { n: 3 }, Output: { n: 6 }, Status: "SUCCEEDED", StateMachineArn: `${SM}child`,
      StartDate: child.startDate?.getTime(), StopDate: child.stopDate?.getTime(),
    });
    const { events = [] } = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn: d.executionArn }));
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    expect(JSON.parse(events[4]?.taskSucceededEventDetails?.output ?? "")).toMatchObject({ Output: { n: 6 } });
  });

  it(".sync waits for an Express child (which the server does not keep) and gets its end", async () => {
    await create("express-child", doubler, { type: "EXPRESS" });
    const d = await runParent(nested(".sync", { StateMachineArn: `${SM}express-child`, Input: { n: 8 } }));
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output as string)).toMatchObject({ Status: "SUCCEEDED", Output: '{"n":16}', StateMachineArn: `${SM}express-child` });
  });

  it(".waitForTaskToken: the child gets the token; the parent resumes with SendTaskSuccess over the API", async () => {
    const arn = await create("tokens", nested(".waitForTaskToken", { StateMachineArn: `${SM}child`, Input: { n: 1, "token.$": "$$.Task.Token" }, Name: "holder" }));
    const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const child = await settled(api.sfn, `${EXEC}child:holder`);
    const token = (JSON.parse(child.input as string) as { token: string }).token;
    expect((await api.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
    await api.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: child.output as string }));
    const d = await settled(api.sfn, executionArn as string);
    expect(d).toMatchObject({ status: "SUCCEEDED", output: '{"n":2}' });
  });

  it("the API's errors, as the integration names them", async () => {
    await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}child`, name: "taken", input: '{"n":1}' }));
    const cases: [object, string, string][] = [
      [{ StateMachineArn: `${SM}missing` }, "StepFunctions.StateMachineDoesNotExistException", `State Machine Does Not Exist: '${SM}missing'`],
      [{ StateMachineArn: `${SM}child:nope` }, "StepFunctions.StateMachineDoesNotExistException", `State Machine Does Not Exist: '${SM}child:nope'`],
      [{ StateMachineArn: "not-an-arn" }, "StepFunctions.InvalidArnException", "Invalid Arn: 'not-an-arn'"],
      [{ StateMachineArn: `${SM}child`, Name: "taken", Input: { n: 2 } }, "StepFunctions.ExecutionAlreadyExistsException", `Execution Already Exists: '${EXEC}child:taken'`],
      [{ StateMachineArn: `${SM}child`, Name: "bad name" }, "StepFunctions.InvalidNameException", "Invalid Name: 'bad name'"],
      [{ StateMachineArn: `${SM}child`, Input: "[oops" }, "StepFunctions.InvalidExecutionInputException", "Invalid State Machine Execution Input: "],
    ];
    for (const [parameters, error, message] of cases) {
      const d = await runParent(nested(".sync", parameters));
      expect(d.status, JSON.stringify(parameters)).toBe("FAILED");
      expect(d.error).toBe(error);
      expect(d.cause).toContain(message);
      expect(d.cause).toMatch(/\(Service: AWSStepFunctions; Status Code: 400; Error Code: \w+; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
    }
  });

  it("a failed child fails the Task with States.TaskFailed, its DescribeExecution in the cause", async () => {
    await create("broken", { StartAt: "F", States: { F: { Type: "Fail", Error: "Broken", Cause: "as designed" } } });
    const d = await runParent(nested(".sync", { StateMachineArn: `${SM}broken`, Name: "b1" }));
    expect(d.error).toBe("States.TaskFailed");
    expect(JSON.parse(d.cause as string)).toMatchObject({ Error: "Broken", Cause: "as designed", Status: "FAILED", ExecutionArn: `${EXEC}broken:b1`, Input: "{}" });
  });

  it("the Executions port: outcome gives up when its signal aborts; stop aborts the child with the error and cause given", async () => {
    await create("sleeper", { StartAt: "Nap", States: { Nap: { Type: "Wait", Seconds: 3600, End: true } } });
    const executions = apiExecutions(api.server.context);
    const { executionArn } = await executions.start({ stateMachineArn: `${SM}sleeper`, name: "s1", input: '{"a":1}' });
    expect(executionArn).toBe(`${EXEC}sleeper:s1`);
    const abort = new AbortController();
    const waiting = executions.outcome(executionArn, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow();
    await executions.stop(executionArn, "Ops.Stop", "enough");
    expect(await executions.outcome(executionArn)).toMatchObject({ status: "ABORTED", error: "Ops.Stop", cause: "enough", input: '{"a":1}', name: "s1" });
    expect((await api.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("ABORTED");
  });
});
