/**
 * Task states with local task functions: results, errors, ResultSelector and the two
 * Lambda shapes (bare function ARN and the `lambda:invoke` integration).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { describe, it, expect } from "vitest";
import type { Json } from "../../translators/json.js";
import type { TaskFunctionContext } from "../../index.js";
import { run, single, types, eventOf, details, lambdaArn, named } from "./helpers.js";

const INVOKE = "arn:aws:states:::lambda:invoke";

describe("Task: function results", () => {
  it("a bare Lambda ARN calls the function registered under its name with the state's input", async () => {
    const seen: Json[] = [];
    const r = await run(single({ Type: "Task", Resource: lambdaArn("double") }), { n: 21 }, {
      functions: { double: (input) => { seen.push(input); return { n: (input as { n: number }).n * 2 }; } },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ n: 42 });
    expect(seen).toEqual([{ n: 21 }]);
  });

  it("records LambdaFunctionScheduled/Started/Succeeded for a bare Lambda ARN", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), { a: 1 }, { functions: { f: () => ({ ok: true }) } });
    expect(types(r)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
      "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    const scheduled = details(eventOf(r, "LambdaFunctionScheduled"));
    expect(scheduled["resource"]).toBe(lambdaArn("f"));
    expect(JSON.parse(String(scheduled["input"]))).toEqual({ a: 1 });
    expect(JSON.parse(String(details(eventOf(r, "LambdaFunctionSucceeded"))["output"]))).toEqual({ ok: true });
  });

  it("a function keyed by the full resource ARN wins over one keyed by function name", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), {}, {
      functions: { f: () => "by-name", [lambdaArn("f")]: () => "by-arn" },
    });
    expect(r.output).toBe("by-arn");
  });

  it("a function for a non-Lambda resource is found by its exact ARN and records Task* events", async () => {
    const resource = "arn:aws:states:::sqs:sendMessage";
    const r = await run(single({ Type: "Task", Resource: resource, Parameters: { "body.$": "$.m" } }), { m: "hi" }, {
      functions: { [resource]: (input) => ({ got: input }) },
    });
    expect(r.output).toEqual({ got: { body: "hi" } });
    expect(types(r)).toContain("TaskScheduled");
    const scheduled = details(eventOf(r, "TaskScheduled"));
    expect(scheduled["resourceType"]).toBe("sqs");
    expect(scheduled["resource"]).toBe("sendMessage");
    expect(JSON.parse(String(scheduled["parameters"]))).toEqual({ body: "hi" });
  });

  it("a function returning undefined gives null as the result", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f"), ResultPath: "$.r" }), { a: 1 }, { functions: { f: () => undefined } });
    expect(r.output).toEqual({ a: 1, r: null });
  });

  it("async functions are awaited", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), {}, {
      functions: { f: async () => { await new Promise((res) => setTimeout(res, 5)); return [1, 2]; } },
    });
    expect(r.output).toEqual([1, 2]);
  });

  it("the function context names the state, the execution and the resource", async () => {
    const contexts: TaskFunctionContext[] = [];
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), {}, {
      executionName: "exec-1",
      functions: { f: (_i, ctx) => { contexts.push(ctx); return null; } },
    });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.stateName).toBe("S");
    expect(contexts[0]?.executionArn).toBe(r.executionArn);
    expect(r.executionArn).toMatch(/:execution:aslan-run:exec-1$/);
    expect(contexts[0]?.resource).toBe(lambdaArn("f"));
    expect(contexts[0]?.taskToken).toBeUndefined();
  });

  it("Parameters, ResultSelector, ResultPath and OutputPath apply in AWS's order", async () => {
    const r = await run(
      single({
        Type: "Task",
        Resource: lambdaArn("f"),
        InputPath: "$.in",
        Parameters: { "x.$": "$.x" },
        ResultSelector: { "picked.$": "$.body.value", "echo.$": "$.echo" },
        ResultPath: "$.result",
        OutputPath: "$.result",
      }),
      { in: { x: 3 }, other: true },
      { functions: { f: (input) => ({ body: { value: "v", noise: 1 }, echo: input }) } },
    );
    expect(r.output).toEqual({ picked: "v", echo: { x: 3 } });
  });

  it("ResultSelector's output goes through ResultPath into the raw input", async () => {
    const r = await run(
      single({ Type: "Task", Resource: lambdaArn("f"), ResultSelector: { "n.$": "$.count" }, ResultPath: "$.stats" }),
      { keep: 1 },
      { functions: { f: () => ({ count: 9, extra: "dropped" }) } },
    );
    expect(r.output).toEqual({ keep: 1, stats: { n: 9 } });
  });

  it("ResultPath null keeps the input and drops the result", async () => {
    let called = false;
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f"), ResultPath: null }), { keep: 1 }, { functions: { f: () => { called = true; return { big: 1 }; } } });
    expect(called).toBe(true);
    expect(r.output).toEqual({ keep: 1 });
  });
});

describe("Task: errors from functions", () => {
  it("a thrown error's name is the ASL error and its message the cause", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), {}, {
      functions: { f: () => { throw named("PaymentDeclined", "card expired"); } },
    });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("PaymentDeclined");
    expect(r.cause).toBe("card expired");
    expect(details(eventOf(r, "LambdaFunctionFailed"))).toMatchObject({ error: "PaymentDeclined", cause: "card expired" });
    expect(details(eventOf(r, "ExecutionFailed"))).toEqual({ error: "PaymentDeclined", cause: "card expired" });
    expect(types(r).slice(-2)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
  });

  it("a rejected promise is a failure too; a plain Error is named 'Error'", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), {}, {
      functions: { f: async () => { throw new Error("boom"); } },
    });
    expect(r.error).toBe("Error");
    expect(r.cause).toBe("boom");
  });

  it("a custom Error subclass reports its own name", async () => {
    class OutOfStock extends Error { override name = "OutOfStock"; }
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }), {}, { functions: { f: () => { throw new OutOfStock("sku 1"); } } });
    expect(r.error).toBe("OutOfStock");
  });

  it("a failure on a service resource records TaskFailed with resource details", async () => {
    const resource = "arn:aws:states:::sns:publish";
    const r = await run(single({ Type: "Task", Resource: resource }), {}, { functions: { [resource]: () => { throw named("SNS.Denied", "no"); } } });
    expect(details(eventOf(r, "TaskFailed"))).toEqual({ resourceType: "sns", resource: "publish", error: "SNS.Denied", cause: "no" });
  });

  it("a resource without a function fails the task (not the engine)", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("missing") }), {}, { functions: {} });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.TaskFailed");
    expect(r.cause).toContain(lambdaArn("missing"));
  });
});

describe("Task: lambda:invoke integration", () => {
  it("calls the function named by FunctionName with Payload and returns Lambda's Invoke response", async () => {
    const seen: Json[] = [];
    const r = await run(
      single({ Type: "Task", Resource: INVOKE, Parameters: { FunctionName: "greet", "Payload.$": "$" } }),
      { who: "ann" },
      { functions: { greet: (input) => { seen.push(input); return { hello: (input as { who: string }).who }; } } },
    );
    expect(seen).toEqual([{ who: "ann" }]);
    expect(r.output).toMatchObject({ Payload: { hello: "ann" }, StatusCode: 200, ExecutedVersion: "$LATEST" });
    const scheduled = details(eventOf(r, "TaskScheduled"));
    expect(scheduled).toMatchObject({ resourceType: "lambda", resource: "invoke" });
    expect(JSON.parse(String(scheduled["parameters"]))).toEqual({ FunctionName: "greet", Payload: { who: "ann" } });
    expect(types(r)).toEqual(["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]);
  });

  it("accepts a full function ARN (with a qualifier) as FunctionName", async () => {
    const r = await run(
      single({ Type: "Task", Resource: INVOKE, Parameters: { FunctionName: `${lambdaArn("greet")}:$LATEST`, Payload: { fixed: 1 } }, ResultSelector: { "p.$": "$.Payload" } }),
      {},
      { functions: { greet: (input) => input } },
    );
    expect(r.output).toEqual({ p: { fixed: 1 } });
  });

  it("a failing function fails the task with its error name", async () => {
    const r = await run(
      single({ Type: "Task", Resource: INVOKE, Parameters: { FunctionName: "bad", Payload: {} } }),
      {},
      { functions: { bad: () => { throw named("Custom", "nope"); } } },
    );
    expect(r.error).toBe("Custom");
    expect(details(eventOf(r, "TaskFailed"))).toMatchObject({ resourceType: "lambda", resource: "invoke", error: "Custom" });
  });
});
