/**
 * `.waitForTaskToken`: the task token in `$$.Task.Token`, and SendTaskSuccess/Failure
 * through createEngine.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 */
import { describe, it, expect } from "vitest";
import { createEngine, TaskDoesNotExist, type Engine, type TaskFunction } from "../../index.js";
import type { Json } from "../../translators/json.js";
import { single, types, eventOf, details, lambdaArn, enteredStates } from "./helpers.js";

const CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/** A function that hands each task token (and the payload it got) to the test. */
function tokenCatcher(): { fn: TaskFunction; next: () => Promise<{ token: string; payload: Json }> } {
  const queue: { token: string; payload: Json }[] = [];
  const waiting: ((v: { token: string; payload: Json }) => void)[] = [];
  const fn: TaskFunction = (payload, ctx) => {
    const item = { token: ctx.taskToken as string, payload };
    const w = waiting.shift();
    if (w) w(item);
    else queue.push(item);
    return { ignored: "a callback task's own return value is not its result" };
  };
  const next = (): Promise<{ token: string; payload: Json }> => {
    const item = queue.shift();
    return item ? Promise.resolve(item) : new Promise((res) => waiting.push(res));
  };
  return { fn, next };
}

async function withEngine<T>(functions: Record<string, TaskFunction>, body: (e: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine({ functions, virtualTime: true });
  try {
    return await body(engine);
  } finally {
    engine.close();
  }
}

const callbackTask = (extra: object = {}): object =>
  single({ Type: "Task", Resource: CALLBACK, Parameters: { FunctionName: "worker", Payload: { "token.$": "$$.Task.Token", "order.$": "$.order" } }, ...extra });

describe("waitForTaskToken", () => {
  it("passes the token in $$.Task.Token and resumes with SendTaskSuccess's output", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const sm = engine.createStateMachine("cb", callbackTask({ ResultPath: "$.approval" }));
      const exec = engine.startExecution(sm, { order: 7 });
      const { token, payload } = await w.next();
      expect(typeof token).toBe("string");
      expect(token.length).toBeGreaterThan(10);
      expect(payload).toEqual({ token, order: 7 });
      expect(exec.status).toBe("RUNNING");
      engine.sendTaskSuccess(token, { approved: true });
      const r = await engine.result(exec);
      expect(r.status).toBe("SUCCEEDED");
      // The output is exactly what SendTaskSuccess sent: not wrapped as a Lambda response.
      expect(r.output).toEqual({ order: 7, approval: { approved: true } });
      expect(JSON.parse(String(details(eventOf(r, "TaskSucceeded"))["output"]))).toEqual({ approved: true });
      expect(details(eventOf(r, "TaskScheduled"))).toMatchObject({ resourceType: "lambda", resource: "invoke.waitForTaskToken" });
    });
  });

  it("records TaskSubmitted with the integration's response once the request went through, before the token's answer", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const exec = engine.startExecution(engine.createStateMachine("cb", callbackTask()), { order: 1 });
      const { token } = await w.next();
      await new Promise((resolve) => setTimeout(resolve, 20));
      engine.sendTaskSuccess(token, { approved: true });
      const r = await engine.result(exec);
      expect(types(r).slice(2, 6)).toEqual(["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]);
      const submitted = details(eventOf(r, "TaskSubmitted"));
      expect(submitted).toMatchObject({ resourceType: "lambda", resource: "invoke.waitForTaskToken", outputDetails: { truncated: false } });
      expect(JSON.parse(String(submitted["output"]))).toEqual({ ExecutedVersion: "$LATEST", Payload: { ignored: "a callback task's own return value is not its result" }, StatusCode: 200 });
    });
  });

  it("SendTaskFailure fails the task with the given error and cause", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const exec = engine.startExecution(engine.createStateMachine("cb", callbackTask()), { order: 1 });
      const { token } = await w.next();
      engine.sendTaskFailure(token, "Rejected", "manager said no");
      const r = await engine.result(exec);
      expect(r.status).toBe("FAILED");
      expect(r.error).toBe("Rejected");
      expect(r.cause).toBe("manager said no");
      expect(details(eventOf(r, "TaskFailed"))).toMatchObject({ error: "Rejected", cause: "manager said no" });
    });
  });

  it("a SendTaskFailure error can be caught", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const definition = {
        StartAt: "Ask",
        States: {
          Ask: { Type: "Task", Resource: CALLBACK, Parameters: { FunctionName: "worker", Payload: { "token.$": "$$.Task.Token", order: 0 } }, Catch: [{ ErrorEquals: ["Rejected"], ResultPath: "$.why", Next: "Denied" }], End: true },
          Denied: { Type: "Pass", End: true },
        },
      };
      const exec = engine.startExecution(engine.createStateMachine("cb", definition), { id: 3 });
      engine.sendTaskFailure((await w.next()).token, "Rejected", "no");
      const r = await engine.result(exec);
      expect(r.output).toEqual({ id: 3, why: { Error: "Rejected", Cause: "no" } });
      expect(enteredStates(r)).toEqual(["Ask", "Denied"]);
    });
  });

  it("a token can be used once; unknown tokens are rejected with TaskDoesNotExist", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const exec = engine.startExecution(engine.createStateMachine("cb", callbackTask()), { order: 1 });
      const { token } = await w.next();
      expect(() => engine.sendTaskSuccess("not-a-token", {})).toThrow(TaskDoesNotExist);
      engine.sendTaskSuccess(token, "first");
      expect(() => engine.sendTaskSuccess(token, "second")).toThrow(TaskDoesNotExist);
      expect(() => engine.sendTaskFailure(token, "E")).toThrow(TaskDoesNotExist);
      expect((await engine.result(exec)).output).toBe("first");
    });
  });

  it("each retry attempt gets a new token", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const exec = engine.startExecution(engine.createStateMachine("cb", callbackTask({ Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 1 }] })), { order: 1 });
      const first = await w.next();
      engine.sendTaskFailure(first.token, "Busy");
      const second = await w.next();
      expect(second.token).not.toBe(first.token);
      expect(() => engine.sendTaskSuccess(first.token, "stale")).toThrow(TaskDoesNotExist);
      engine.sendTaskSuccess(second.token, "ok");
      const r = await engine.result(exec);
      expect(r.output).toBe("ok");
      expect(types(r).filter((t) => t === "TaskScheduled")).toHaveLength(2);
    });
  });

  it("a token's execution that has ended no longer accepts it", async () => {
    const w = tokenCatcher();
    await withEngine({ worker: w.fn }, async (engine) => {
      const exec = engine.startExecution(engine.createStateMachine("cb", callbackTask()), { order: 1 });
      const { token } = await w.next();
      engine.stopExecution(exec, "Stopped", "by test");
      const r = await engine.result(exec);
      expect(r.status).toBe("ABORTED");
      expect(types(r).at(-1)).toBe("ExecutionAborted");
      expect(() => engine.sendTaskSuccess(token, {})).toThrow(TaskDoesNotExist);
    });
  });

  it("a callback function that throws fails the task at once", async () => {
    await withEngine({ worker: () => { throw Object.assign(new Error("queue down"), { name: "Sqs.Down" }); } }, async (engine) => {
      const r = await engine.result(engine.startExecution(engine.createStateMachine("cb", callbackTask()), { order: 1 }));
      expect(r.status).toBe("FAILED");
      expect(r.error).toBe("Sqs.Down");
    });
  });

  it("$$.Task.Token is only set for .waitForTaskToken resources", async () => {
    const seen: Json[] = [];
    await withEngine({ f: (input) => { seen.push(input); return null; } }, async (engine) => {
      const sm = engine.createStateMachine("plain", single({ Type: "Task", Resource: lambdaArn("f"), Parameters: { "ctx.$": "$$" } }));
      const r = await engine.result(engine.startExecution(sm, {}));
      expect(r.status).toBe("SUCCEEDED");
      expect(seen[0]).not.toHaveProperty("ctx.Task");
      expect(seen[0]).toHaveProperty("ctx.State.Name", "S");
    });
  });
});
