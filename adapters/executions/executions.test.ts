/**
 * Nested executions through the engine (virtual time unless a test needs real time):
 * `states:startExecution` with each integration pattern, the child's failure as the Task's,
 * the child stopped with the Task, the service errors, and the history AWS records.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, type ExecutionRun, type TaskBus, type TaskFunctions, type TaskReply, type TaskRequest } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import { InProcessTaskBus } from "../../runtime/bus/in-process-task-bus.js";
import { EngineExecutions } from "../../runtime/engine/engine-executions.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import { createExecutionsAdapter } from "./index.js";

const ACCOUNT = "123456789012";
const smArn = (name: string): string => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
const execArn = (sm: string, name: string): string => `arn:aws:states:us-east-1:${ACCOUNT}:execution:${sm}:${name}`;
const START = "arn:aws:states:::states:startExecution";

/** The engine's bus is needed before the adapter (which needs the engine) exists. */
class LateBus implements TaskBus {
  target: TaskBus | undefined;
  dispatch(task: TaskRequest, reply: TaskReply): void {
    if (!this.target) throw new Error("no bus yet");
    this.target.dispatch(task, reply);
  }
}

interface World {
  readonly engine: Engine;
  readonly bus: AdapterTaskBus;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    w.engine.close();
    await w.bus.close();
  }
});

function world(options: { functions?: TaskFunctions; virtualTime?: boolean } = {}): World {
  const late = new LateBus();
  const engine = createEngine({ taskBus: late, virtualTime: options.virtualTime ?? true });
  const adapter = createExecutionsAdapter({}, { executions: new EngineExecutions(engine) });
  const bus = new AdapterTaskBus([adapter], new InProcessTaskBus(options.functions ?? {}));
  late.target = bus;
  const w = { engine, bus };
  worlds.push(w);
  return w;
}

const child = { StartAt: "Double", States: { Double: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, $.n)" }, End: true } } };
const failing = { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "Child.Broke", Cause: "no luck" } } };
const slow = (seconds: number): object => ({ StartAt: "Nap", States: { Nap: { Type: "Wait", Seconds: seconds, End: true } } });

/** A parent whose one Task starts `childName` with `Input` and `Name`. */
function parent(pattern: string, input: Json, extra: object = {}, name = "kid"): object {
  return {
    StartAt: "Start",
    States: { Start: { Type: "Task", Resource: START + pattern, Parameters: { StateMachineArn: smArn("child"), Input: input, Name: name }, End: true, ...extra } },
  };
}

async function runParent(w: World, definition: object, input: Json = {}): Promise<{ run: ExecutionRun; history: readonly HistoryEvent[]; output?: Json; error?: string; cause?: string; status: string }> {
  const sm = w.engine.createStateMachine("parent", definition);
  const run = w.engine.startExecution(sm, input, "p1");
  const r = await w.engine.result(run);
  return { run, ...r };
}

const details = (h: readonly HistoryEvent[], type: string): JsonObject => {
  const e = h.find((x) => x.type === type);
  if (!e) throw new Error(`no ${type} in ${h.map((x) => x.type).join(", ")}`);
  return e[type[0]!.toLowerCase() + type.slice(1) + "EventDetails"] as JsonObject;
};

async function settledChild(w: World, name = "kid"): Promise<ExecutionRun> {
  const run = w.engine.getExecution(execArn("child", name));
  if (!run) throw new Error(`no child ${name}`);
  await w.engine.result(run);
  return run;
}

describe("states:startExecution (request-response)", () => {
  it("starts the child and ends with StartExecution's answer and the SDK's metadata, as AWS records it", async () => {
    const w = world();
    w.engine.createStateMachine("child", slow(60));
    const r = await runParent(w, parent("", { n: 1 }));
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    expect(Object.keys(out)).toEqual(["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]);
    expect(out["ExecutionArn"]).toBe(execArn("child", "kid"));
    const kid = w.engine.getExecution(execArn("child", "kid"))!;
    expect(out["StartDate"]).toBe(kid.info.startDate);
    const meta = out["SdkHttpMetadata"] as JsonObject;
    const requestId = (out["SdkResponseMetadata"] as JsonObject)["RequestId"];
    expect(meta["HttpStatusCode"]).toBe(200);
    expect(meta["HttpHeaders"]).toMatchObject({ "Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": requestId });
    expect((meta["AllHttpHeaders"] as JsonObject)["x-amzn-RequestId"]).toEqual([requestId]);
    // The parent does not wait: it ends when the child starts, the child 60 s later.
    expect((await settledChild(w)).status).toBe("SUCCEEDED");
    expect(kid.stopDate! - r.run.stopDate!).toBe(60_000);
  });

  it("records TaskScheduled/TaskStarted/TaskSucceeded with resourceType states and resource startExecution", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, parent("", { n: 1 }));
    expect(r.history.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    const scheduled = details(r.history, "TaskScheduled");
    expect(scheduled).toMatchObject({ resourceType: "states", resource: "startExecution", region: "us-east-1" });
    expect(JSON.parse(String(scheduled["parameters"]))).toEqual({ StateMachineArn: smArn("child"), Input: { n: 1 }, Name: "kid" });
    expect(details(r.history, "TaskStarted")).toEqual({ resourceType: "states", resource: "startExecution" });
    const succeeded = details(r.history, "TaskSucceeded");
    expect(succeeded).toMatchObject({ resourceType: "states", resource: "startExecution", outputDetails: { truncated: false } });
    expect(JSON.parse(String(succeeded["output"]))).toEqual(r.output);
  });

  it("sends an object Input as its JSON text, a string Input as it is, and no Input (or null) as {}", async () => {
    const w = world();
    w.engine.createStateMachine("child", { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const start = (input: Json | undefined, name: string): object => ({
      Type: "Task", Resource: START + ".sync", Parameters: { StateMachineArn: smArn("child"), Name: name, ...(input !== undefined ? { Input: input } : {}) }, ResultSelector: { "in.$": "$.Input" },
    });
    const r = await runParent(w, {
      StartAt: "Obj",
      States: {
        Obj: { ...start({ a: [1, "x"] }, "obj"), ResultPath: "$.obj", Next: "Text" },
        Text: { ...start('{ "b" : 2 }', "text"), ResultPath: "$.text", Next: "Absent" },
        Absent: { ...start(undefined, "absent"), ResultPath: "$.absent", Next: "Null" },
        Null: { ...start(null, "null"), ResultPath: "$.null", End: true },
      },
    });
    expect(r.output).toEqual({ obj: { in: '{"a":[1,"x"]}' }, text: { in: '{ "b" : 2 }' }, absent: { in: "{}" }, null: { in: "{}" } });
  });

  it("passes AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID to the child's $$.Execution.Input", async () => {
    const w = world();
    w.engine.createStateMachine("child", {
      StartAt: "Who", States: { Who: { Type: "Pass", Parameters: { "startedBy.$": "$$.Execution.Input.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID" }, End: true } },
    });
    const r = await runParent(w, parent(".sync:2", { "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" }));
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as JsonObject)["Output"]).toEqual({ startedBy: execArn("parent", "p1") });
  });

  it("names the child with a UUID when Name is absent", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const sm = w.engine.createStateMachine("parent", {
      StartAt: "S", States: { S: { Type: "Task", Resource: START, Parameters: { StateMachineArn: smArn("child") }, End: true } },
    });
    const r = await w.engine.result(w.engine.startExecution(sm, {}));
    expect(String((r.output as JsonObject)["ExecutionArn"])).toMatch(/:execution:child:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe("states:startExecution.sync and .sync:2", () => {
  it(".sync waits for the child and ends with DescribeExecution's answer, Input and Output as JSON text", async () => {
    const w = world();
    w.engine.createStateMachine("child", { StartAt: "Nap", States: { Nap: { Type: "Wait", Seconds: 30, Next: "Double" }, Double: child.States.Double } });
    const r = await runParent(w, parent(".sync", { n: 21 }));
    expect(r.status).toBe("SUCCEEDED");
    const kid = await settledChild(w);
    expect(r.output).toEqual({
      ExecutionArn: execArn("child", "kid"),
      Input: '{"n":21}',
      InputDetails: { Included: true },
      Name: "kid",
      Output: '{"n":42}',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: "NOT_REDRIVABLE",
      RedriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
      StartDate: kid.info.startDate,
      StateMachineArn: smArn("child"),
      Status: "SUCCEEDED",
      StopDate: kid.stopDate!,
    });
    // The Java SDK's order: alphabetical.
    const keys = Object.keys(r.output as JsonObject);
    expect(keys).toEqual([...keys].sort());
    expect(kid.stopDate! - kid.info.startDate).toBe(30_000);
  });

  it(".sync records TaskScheduled/TaskStarted/TaskSubmitted (StartExecution's answer)/TaskSucceeded with resource startExecution.sync", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, parent(".sync", { n: 1 }));
    expect(r.history.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    expect(details(r.history, "TaskScheduled")).toMatchObject({ resourceType: "states", resource: "startExecution.sync" });
    const submitted = details(r.history, "TaskSubmitted");
    expect(submitted).toMatchObject({ resourceType: "states", resource: "startExecution.sync", outputDetails: { truncated: false } });
    expect(JSON.parse(String(submitted["output"]))).toMatchObject({ ExecutionArn: expect.stringContaining(":execution:child:kid") as unknown, StartDate: expect.any(Number) as unknown });
    const succeeded = details(r.history, "TaskSucceeded");
    expect(succeeded).toMatchObject({ resourceType: "states", resource: "startExecution.sync" });
    expect(JSON.parse(String(succeeded["output"]))).toMatchObject({ Status: "SUCCEEDED", Output: '{"n":2}' });
  });

  it(".sync:2 gives Input and Output as JSON", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, parent(".sync:2", { n: 4 }, { ResultSelector: { "in.$": "$.Input", "out.$": "$.Output", "status.$": "$.Status" } }));
    expect(r.output).toEqual({ in: { n: 4 }, out: { n: 8 }, status: "SUCCEEDED" });
  });

  // translators/dataflow/resource.ts splits `startExecution.sync:2` at its colon
  // (resourceType "states:startExecution.sync", resource "2"); AWS records "states" / "startExecution.sync:2".
  it(".sync:2 records resourceType states and resource startExecution.sync:2", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, parent(".sync:2", { n: 1 }));
    expect(details(r.history, "TaskScheduled")).toMatchObject({ resourceType: "states", resource: "startExecution.sync:2" });
  });

  it("a failed child fails the Task with States.TaskFailed and its DescribeExecution as the cause, which Catch handles", async () => {
    const w = world();
    w.engine.createStateMachine("child", failing);
    const handled = await runParent(w, {
      StartAt: "Start",
      States: {
        Start: {
          Type: "Task", Resource: START + ".sync", Parameters: { StateMachineArn: smArn("child"), Input: { why: "test" }, Name: "kid" },
          Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.failure", Next: "Handled" }], End: true,
        },
        Handled: { Type: "Pass", End: true },
      },
    });
    expect(handled.status).toBe("SUCCEEDED");
    const kid = await settledChild(w);
    const failure = (handled.output as JsonObject)["failure"] as JsonObject;
    expect(failure["Error"]).toBe("States.TaskFailed");
    const cause = JSON.parse(String(failure["Cause"])) as JsonObject;
    expect(cause).toEqual({
      Cause: "no luck",
      Error: "Child.Broke",
      ExecutionArn: execArn("child", "kid"),
      Input: '{"why":"test"}',
      InputDetails: { Included: true },
      Name: "kid",
      RedriveCount: 0,
      RedriveStatus: "REDRIVABLE",
      StartDate: kid.info.startDate,
      StateMachineArn: smArn("child"),
      Status: "FAILED",
      StopDate: kid.stopDate!,
    });
    expect(Object.keys(cause)).toEqual(Object.keys(cause).sort());
    const taskFailed = details(handled.history, "TaskFailed");
    expect(taskFailed).toMatchObject({ resourceType: "states", resource: "startExecution.sync", error: "States.TaskFailed" });
    expect(JSON.parse(String(taskFailed["cause"]))).toEqual(cause);
  });

  it("a child that times out fails the Task with its status TIMED_OUT and States.Timeout in the cause", async () => {
    const w = world();
    w.engine.createStateMachine("child", { ...slow(600), TimeoutSeconds: 5 });
    const r = await runParent(w, parent(".sync", {}));
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.TaskFailed");
    const cause = JSON.parse(String(r.cause)) as JsonObject;
    expect(cause).toMatchObject({ Status: "TIMED_OUT", Error: "States.Timeout", Name: "kid" });
    expect(cause["Output"]).toBeUndefined();
    expect(Number(cause["StopDate"]) - Number(cause["StartDate"])).toBe(5_000);
  });

  it("a child stopped by someone else fails the Task with its status ABORTED and the stop's error and cause", async () => {
    const w = world();
    w.engine.createStateMachine("child", slow(600));
    const sm = w.engine.createStateMachine("parent", parent(".sync:2", { x: 1 }));
    const run = w.engine.startExecution(sm, {}, "p1");
    const kid = await until(() => w.engine.getExecution(execArn("child", "kid")));
    w.engine.stopExecution(kid, "Ops.Stop", "stopped by hand");
    const r = await w.engine.result(run);
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.TaskFailed");
    expect(JSON.parse(String(r.cause))).toMatchObject({ Status: "ABORTED", Error: "Ops.Stop", Cause: "stopped by hand", Input: { x: 1 }, RedriveStatus: "REDRIVABLE" });
  });

  it("stopping the parent stops a .sync child (real time)", async () => {
    const w = world({ virtualTime: false });
    w.engine.createStateMachine("child", slow(3600));
    const sm = w.engine.createStateMachine("parent", parent(".sync", {}));
    const run = w.engine.startExecution(sm, {}, "p1");
    const kid = await until(() => w.engine.getExecution(execArn("child", "kid")));
    expect(kid.status).toBe("RUNNING");
    w.engine.stopExecution(run);
    const r = await w.engine.result(kid);
    expect(r.status).toBe("ABORTED");
    expect(run.status).toBe("ABORTED");
  });

  it("the parent Task's TimeoutSeconds stops a .sync child (real time)", async () => {
    const w = world({ virtualTime: false });
    w.engine.createStateMachine("child", slow(3600));
    const r = await runParent(w, parent(".sync", {}, { TimeoutSeconds: 1 }));
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Timeout");
    expect((await settledChild(w)).status).toBe("ABORTED");
  });
});

describe("states:startExecution.waitForTaskToken", () => {
  it("starts the child with the token in its input and resumes with SendTaskSuccess's output", async () => {
    const late: { engine?: Engine } = {};
    const w = world({
      functions: {
        // The child's worker answers its parent with the token it was given.
        answer: (input) => {
          const { token, n } = input as { token: string; n: number };
          late.engine?.sendTaskSuccess(token, { answered: n * 10 });
          return { sent: true };
        },
      },
    });
    late.engine = w.engine;
    w.engine.createStateMachine("child", {
      StartAt: "Answer", States: { Answer: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:answer", End: true } },
    });
    const r = await runParent(w, parent(".waitForTaskToken", { "token.$": "$$.Task.Token", "n.$": "$.n" }), { n: 7 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ answered: 70 });
    const kid = await settledChild(w);
    expect(kid.status).toBe("SUCCEEDED");
    expect(typeof (kid.info.input as JsonObject)["token"]).toBe("string");
    expect(details(r.history, "TaskScheduled")).toMatchObject({ resourceType: "states", resource: "startExecution.waitForTaskToken" });
    expect(JSON.parse(String(details(r.history, "TaskSucceeded")["output"]))).toEqual({ answered: 70 });
  });

  it("does not take the child's own end as the Task's result: without a callback the Task times out", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, parent(".waitForTaskToken", { "token.$": "$$.Task.Token", n: 1 }, { TimeoutSeconds: 30 }));
    expect((await settledChild(w)).status).toBe("SUCCEEDED");
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Timeout");
  });

  it("a SendTaskFailure from the child fails the Task with its error and cause", async () => {
    const w = world();
    w.engine.createStateMachine("child", slow(5));
    const sm = w.engine.createStateMachine("parent", parent(".waitForTaskToken", { "token.$": "$$.Task.Token" }));
    const run = w.engine.startExecution(sm, {}, "p1");
    const kid = await until(() => w.engine.getExecution(execArn("child", "kid")));
    w.engine.sendTaskFailure(String((kid.info.input as JsonObject)["token"]), "Child.Refused", "not today");
    const r = await w.engine.result(run);
    expect(r).toMatchObject({ status: "FAILED", error: "Child.Refused", cause: "not today" });
  });
});

describe("states:startExecution errors", () => {
  const catching = (pattern: string, parameters: JsonObject): object => ({
    StartAt: "Start",
    States: {
      Start: { Type: "Task", Resource: START + pattern, Parameters: parameters, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], End: true },
      Caught: { Type: "Pass", End: true },
    },
  });

  it("an unknown state machine: StepFunctions.StateMachineDoesNotExistException with the SDK's cause", async () => {
    const w = world();
    const missing = smArn("nope");
    const r = await runParent(w, catching(".sync", { StateMachineArn: missing }));
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as JsonObject)["Error"]).toBe("StepFunctions.StateMachineDoesNotExistException");
    expect(String((r.output as JsonObject)["Cause"])).toMatch(
      new RegExp(`^State Machine Does Not Exist: '${missing}' \\(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`),
    );
    expect(details(r.history, "TaskFailed")).toMatchObject({ error: "StepFunctions.StateMachineDoesNotExistException", resourceType: "states", resource: "startExecution.sync" });
  });

  it("a name taken by another execution: StepFunctions.ExecutionAlreadyExistsException", async () => {
    const w = world();
    const sm = w.engine.createStateMachine("child", child);
    await w.engine.result(w.engine.startExecution(sm, { n: 1 }, "taken"));
    const r = await runParent(w, catching("", { StateMachineArn: smArn("child"), Name: "taken", Input: { n: 1 } }));
    expect((r.output as JsonObject)["Error"]).toBe("StepFunctions.ExecutionAlreadyExistsException");
    expect(String((r.output as JsonObject)["Cause"])).toMatch(/^Execution Already Exists: '.*:execution:child:taken' \(Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionAlreadyExists;/);
  });

  it("the same name and input while the child runs is the same execution again (StartExecution is idempotent)", async () => {
    const w = world();
    const sm = w.engine.createStateMachine("child", slow(60));
    const first = w.engine.startExecution(sm, { n: 1 }, "same");
    const r = await runParent(w, parent("", { n: 1 }, {}, "same"));
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as JsonObject)["ExecutionArn"]).toBe(first.info.arn);
    expect((r.output as JsonObject)["StartDate"]).toBe(first.info.startDate);
  });

  it("an Input text that is not JSON: StepFunctions.InvalidExecutionInputException", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, catching("", { StateMachineArn: smArn("child"), Input: "{not json" }));
    expect((r.output as JsonObject)["Error"]).toBe("StepFunctions.InvalidExecutionInputException");
  });

  it("a parameter StartExecution does not take fails the Task with States.Runtime", async () => {
    const w = world();
    w.engine.createStateMachine("child", child);
    const r = await runParent(w, parent("", {}, { Parameters: { StateMachineArn: smArn("child"), TraceHeader: "x" } }));
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toContain("'TraceHeader'");
  });
});

/** Polls (real time) until `get` returns something. */
async function until<T>(get: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("timed out waiting");
}
