/**
 * Lambda-like functions through the engine (`createEngine({ adapters })`, virtual time):
 * Retry and Catch on the errors functions throw and on Lambda's own (timeouts, unknown
 * functions), a Task timeout stopping the function, `.waitForTaskToken`, and definitions
 * whose resources nothing runs refused when they are loaded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../index.js";
import { DefinitionError } from "../../translators/asl/diagnostics.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import { LambdaAdapter } from "./lambda-adapter.js";

const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let dir: string;
let lambda: LambdaAdapter;
let engine: Engine;
let machines = 0;

async function execute(definition: object, input: Json = {}): Promise<{ status: string; output?: Json; error?: string; cause?: string; history: readonly HistoryEvent[] }> {
  const run = engine.startExecution(engine.createStateMachine(`sm${++machines}`, definition), input);
  return engine.result(run);
}

const detailsOf = (e: HistoryEvent): JsonObject => Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] as JsonObject;
const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aslan-lambda-engine-"));
  const write = (name: string, source: string): void => writeFileSync(join(dir, name), source);
  write("flaky.mjs", `
    let calls = 0;
    export const handler = async (event) => {
      calls++;
      if (calls <= 2) { const e = new Error("try again (" + calls + ")"); e.name = "TransientError"; throw e; }
      return { ok: true, calls, order: event.order };
    };
  `);
  write("charge.mjs", `
    export const handler = async (event) => {
      if (event.card === "4000") throw Object.assign(new Error("card declined"), { name: "CardDeclined" });
      return { charged: event.amount };
    };
  `);
  write("sleepy.mjs", `export const handler = () => new Promise(() => {});`);
  write("slow.mjs", `
    import { writeFileSync } from "node:fs";
    export const handler = async (event) => { await new Promise((r) => setTimeout(r, 700)); writeFileSync(event.marker, "finished"); return "done"; };
  `);
  write("slower.mjs", `
    import { writeFileSync } from "node:fs";
    export const handler = async (event) => { await new Promise((r) => setTimeout(r, 2500)); writeFileSync(event.marker, "finished"); return "done"; };
  `);
  write("ship.mjs", `
    import { writeFileSync } from "node:fs";
    export const handler = async (event) => { writeFileSync(event.tokenFile, event.token); return "queued"; };
  `);
  lambda = new LambdaAdapter({
    baseDir: dir,
    functions: {
      flaky: { handler: "flaky.mjs", concurrency: 1 },
      charge: "charge.mjs",
      sleepy: { handler: "sleepy.mjs", timeoutSeconds: 1 },
      slow: { handler: "slow.mjs", timeoutSeconds: 10 },
      slower: { handler: "slower.mjs", timeoutSeconds: 10 },
      ship: "ship.mjs",
    },
  });
  engine = createEngine({ adapters: [lambda], virtualTime: true });
});

afterAll(async () => {
  engine?.close();
  await lambda?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("virtual time", () => {
  it("does not skip past a function still at work: a 700 ms function under TimeoutSeconds 30 succeeds", async () => {
    const marker = join(dir, "virtual-time-marker");
    const r = await execute({
      StartAt: "Slow",
      States: { Slow: { Type: "Task", Resource: arnOf("slow"), TimeoutSeconds: 30, End: true } },
    }, { marker });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toBe("done");
  });
});

describe("Retry and Catch on what functions throw", () => {
  it("retries a function's own error name with backoff on virtual time, then succeeds; history has LambdaFunctionFailed per attempt", async () => {
    const started = Date.now();
    const r = await execute({
      StartAt: "Validate",
      States: {
        Validate: {
          Type: "Task", Resource: arnOf("flaky"), End: true,
          Retry: [{ ErrorEquals: ["TransientError"], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }],
        },
      },
    }, { order: 17 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ ok: true, calls: 3, order: 17 });
    const failed = r.history.filter((e) => e.type === "LambdaFunctionFailed");
    expect(failed.map((e) => detailsOf(e)["error"])).toEqual(["TransientError", "TransientError"]);
    expect(JSON.parse(String(detailsOf(failed[0] as HistoryEvent)["cause"]))).toMatchObject({ errorType: "TransientError", errorMessage: "try again (1)" });
    const scheduled = r.history.filter((e) => e.type === "LambdaFunctionScheduled").map((e) => e.timestamp);
    expect(scheduled).toHaveLength(3);
    expect((scheduled[1] as number) - (scheduled[0] as number)).toBeGreaterThanOrEqual(60_000);
    expect((scheduled[2] as number) - (scheduled[1] as number)).toBeGreaterThanOrEqual(120_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("catches a function's error by name through lambda:invoke, with Lambda's error document as the Cause", async () => {
    const r = await execute({
      StartAt: "Charge",
      States: {
        Charge: {
          Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge", "Payload.$": "$" }, OutputPath: "$.Payload", Next: "Done",
          Catch: [{ ErrorEquals: ["CardDeclined"], ResultPath: "$.failure", Next: "Declined" }],
        },
        Declined: { Type: "Pass", End: true },
        Done: { Type: "Succeed" },
      },
    }, { card: "4000", amount: 5 });
    expect(r.status).toBe("SUCCEEDED");
    const failure = (r.output as JsonObject)["failure"] as { Error: string; Cause: string };
    expect(failure.Error).toBe("CardDeclined");
    expect(JSON.parse(failure.Cause)).toMatchObject({ errorType: "CardDeclined", errorMessage: "card declined", trace: expect.any(Array) });
    expect(r.history.find((e) => e.type === "TaskFailed")).toBeDefined();
  });

  it("an uncaught function error fails the execution with the error name and Lambda's cause", async () => {
    const r = await execute({ StartAt: "Charge", States: { Charge: { Type: "Task", Resource: arnOf("charge"), End: true } } }, { card: "4000" });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("CardDeclined");
    expect(JSON.parse(r.cause ?? "")).toMatchObject({ errorType: "CardDeclined", errorMessage: "card declined" });
  });
});

describe("Lambda's own failures", () => {
  it("a function timeout is Sandbox.Timedout: retried by name, caught by States.TaskFailed", async () => {
    const r = await execute({
      StartAt: "Wait",
      States: {
        Wait: {
          Type: "Task", Resource: arnOf("sleepy"), End: true,
          Retry: [{ ErrorEquals: ["Sandbox.Timedout"], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Gave up" }],
        },
        "Gave up": { Type: "Pass", End: true },
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as JsonObject)["Error"]).toBe("Sandbox.Timedout");
    expect(r.history.filter((e) => e.type === "LambdaFunctionFailed")).toHaveLength(2);
  }, 10_000);

  it("an unknown function is Lambda.ResourceNotFoundException, which Catch can name", async () => {
    const r = await execute({
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: arnOf("missing"), End: true, Catch: [{ ErrorEquals: ["Lambda.ResourceNotFoundException"], Next: "Fallback" }] },
        Fallback: { Type: "Pass", End: true },
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toMatchObject({ Error: "Lambda.ResourceNotFoundException", Cause: expect.stringMatching(/^Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing /) });
  });

  it("a Task whose TimeoutSeconds passes first ends States.Timeout, and the function's thread is stopped", async () => {
    const marker = join(dir, "slow-marker");
    // Virtual time runs at real speed while the function works: the 1 s timeout passes first.
    const r = await execute({ StartAt: "Slow", States: { Slow: { Type: "Task", Resource: arnOf("slower"), TimeoutSeconds: 1, End: true } } }, { marker });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Timeout");
    await later(2000);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("lambda:invoke.waitForTaskToken", () => {
  it("invokes the function with the token; the Task ends with what SendTaskSuccess sends", async () => {
    const tokenFile = join(dir, "token");
    const run = engine.startExecution(engine.createStateMachine(`sm${++machines}`, {
      StartAt: "Ship",
      States: {
        Ship: {
          Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
          Parameters: { FunctionName: "ship", Payload: { "token.$": "$$.Task.Token", tokenFile } }, End: true,
        },
      },
    }), {});
    for (let i = 0; i < 300 && !existsSync(tokenFile); i++) await later(10);
    engine.sendTaskSuccess(readFileSync(tokenFile, "utf8"), { shipped: true });
    const r = await engine.result(run);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ shipped: true });
  });
});

describe("resources nothing runs", () => {
  const definition = {
    StartAt: "P",
    States: {
      P: {
        Type: "Parallel", End: true,
        Branches: [{ StartAt: "Publish", States: { Publish: { Type: "Task", Resource: "arn:aws:states:::sns:publish", End: true } } }],
      },
    },
  };

  it("with adapters, createStateMachine refuses them, saying where and what is supported", () => {
    let error: unknown;
    try {
      engine.createStateMachine("unrunnable", definition);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    const [d] = (error as DefinitionError).diagnostics;
    expect(d).toMatchObject({ code: "SCHEMA_VALIDATION_FAILED", location: "/States/P/Branches/0/States/Publish/Resource" });
    expect(d?.message).toMatch(/^The resource provided arn:aws:states:::sns:publish is not recognized/);
    expect(d?.message).toContain("arn:aws:states:::lambda:invoke");
    expect(d?.message).toContain("activity");
  });

  it("without adapters (in-process functions only) nothing changes: the definition loads", () => {
    const plain = createEngine({ functions: {} });
    expect(() => plain.createStateMachine("loads", definition)).not.toThrow();
    plain.close();
  });
});
