/**
 * The Lambda adapter on its own: functions in worker threads (context, environment, warm
 * modules, async and callback handlers), the Invoke response shape, and every way an
 * invocation fails as Lambda reports it (function errors, timeouts, memory, exits,
 * cancellation, unknown functions, bad parameters).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { AdapterTask } from "../../runtime/ports/adapter.js";
import { LambdaAdapter, type FunctionLog } from "./lambda-adapter.js";

const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const INVOKE = "arn:aws:states:::lambda:invoke";

let dir: string;
let adapter: LambdaAdapter;
const logs: FunctionLog[] = [];
let n = 0;

function task(resource: string, payload: Json, signal = new AbortController().signal): AdapterTask {
  return {
    taskId: `t${++n}`, resource: parseResource(resource), payload, stateName: "S", executionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:e",
    signal, heartbeat: () => undefined,
  };
}

async function failure(p: Promise<unknown>): Promise<{ error: string; cause: string }> {
  try {
    await p;
  } catch (e) {
    return e as { error: string; cause: string };
  }
  throw new Error("expected the invocation to fail");
}

const module = (name: string, source: string): string => {
  writeFileSync(join(dir, name), source);
  return name;
};

const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aslan-lambda-"));
  module("echo.mjs", `
    let calls = 0;
    export const handler = async (event, context) => ({
      event, calls: ++calls,
      context: { functionName: context.functionName, functionVersion: context.functionVersion, invokedFunctionArn: context.invokedFunctionArn,
        awsRequestId: context.awsRequestId, memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName,
        remaining: context.getRemainingTimeInMillis(), clientContext: context.clientContext ?? null },
      env: { name: process.env.AWS_LAMBDA_FUNCTION_NAME, region: process.env.AWS_REGION, greeting: process.env.GREETING ?? null },
    });
  `);
  module("callback.cjs", `exports.handler = (event, context, callback) => setTimeout(() => callback(null, { doubled: event.n * 2 }), 5);`);
  module("nothing.mjs", `export const handler = async () => { console.log("about to return %s", "nothing"); console.error("and an error line"); };`);
  module("named.mjs", `export const charge = async (e) => ({ charged: e.amount });`);
  module("errors.mjs", `
    class CardDeclined extends Error { constructor(m) { super(m); this.name = "CardDeclined"; } }
    export const handler = async (event) => {
      if (event.kind === "custom") throw new CardDeclined("card 4242 declined");
      if (event.kind === "type") null.x;
      if (event.kind === "string") throw "plain text";
      if (event.kind === "callback") return new Promise(() => { throw new Error("never"); });
      return "ok";
    };
  `);
  module("callback-error.cjs", `exports.handler = (event, context, callback) => callback(Object.assign(new Error("via callback"), { name: "Refused" }));`);
  module("sleepy.mjs", `export const handler = () => new Promise(() => {});`);
  module("busy.mjs", `
    import { writeFileSync } from "node:fs";
    export const handler = async (event) => { await new Promise((r) => setTimeout(r, 700)); writeFileSync(event.marker, "ran"); return "done"; };
  `);
  module("hog.mjs", `export const handler = async () => { const keep = []; for (;;) keep.push(new Array(100000).fill(Math.random())); };`);
  module("quits.mjs", `let calls = 0; export const handler = async (event) => { calls++; if (event.quit) process.exit(3); return { calls }; };`);
  module("late-throw.mjs", `export const handler = async () => { setTimeout(() => { throw new RangeError("thrown in a timer"); }, 1); await new Promise((r) => setTimeout(r, 200)); return "unreachable"; };`);
  module("no-handler.mjs", `export const other = () => 1;`);
  module("broken.mjs", `export const handler = async () => { return 1 +; };`);
  adapter = new LambdaAdapter({
    baseDir: dir,
    functions: {
      echo: { handler: "echo.mjs", environment: { GREETING: "hi", AWS_REGION: "ignored" }, timeoutSeconds: 5, memoryMb: 256, concurrency: 1 },
      callback: "callback.cjs",
      nothing: "nothing.mjs",
      charge: "named.mjs#charge",
      errors: "errors.mjs",
      callbackError: "callback-error.cjs",
      sleepy: { handler: "sleepy.mjs", timeoutSeconds: 1 },
      busy: { handler: "busy.mjs", timeoutSeconds: 10 },
      hog: { handler: "hog.mjs", memoryMb: 32, timeoutSeconds: 30 },
      quits: { handler: "quits.mjs", concurrency: 1 },
      lateThrow: "late-throw.mjs",
      noHandler: "no-handler.mjs",
      broken: "broken.mjs",
      missingModule: "absent.mjs",
    },
    local: { inProcess: (input) => ({ local: input }) },
    onLog: (line) => logs.push(line),
    now: () => Date.UTC(2024, 10, 5, 12, 31, 47),
  });
});

afterAll(async () => {
  await adapter?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("what the adapter runs", () => {
  it("bare Lambda ARNs (any qualifier) and lambda:invoke with and without .waitForTaskToken; nothing else", () => {
    expect(adapter.handles(parseResource(arnOf("echo")))).toBe(true);
    expect(adapter.handles(parseResource(`${arnOf("echo")}:prod`))).toBe(true);
    expect(adapter.handles(parseResource(INVOKE))).toBe(true);
    expect(adapter.handles(parseResource(`${INVOKE}.waitForTaskToken`))).toBe(true);
    expect(adapter.handles(parseResource("arn:aws:states:::sns:publish"))).toBe(false);
    expect(adapter.handles(parseResource("arn:aws:states:us-east-1:123456789012:activity:a"))).toBe(false);
  });
});

describe("a bare function ARN: the result is the handler's return value", () => {
  it("runs the module in a worker with Lambda's context and environment; the module stays warm between invocations", async () => {
    const first = (await adapter.run(task(arnOf("echo"), { a: 1 }))) as JsonObject;
    expect(first["event"]).toEqual({ a: 1 });
    const context = first["context"] as JsonObject;
    expect(context).toMatchObject({
      functionName: "echo", functionVersion: "$LATEST", invokedFunctionArn: arnOf("echo"), memoryLimitInMB: "256", logGroupName: "/aws/lambda/echo",
    });
    expect(context["awsRequestId"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(context["remaining"]).toBeGreaterThan(4000);
    expect(context["remaining"]).toBeLessThanOrEqual(5000);
    // The function's own variables, but Lambda's reserved ones win.
    expect(first["env"]).toEqual({ name: "echo", region: "us-east-1", greeting: "hi" });
    const second = (await adapter.run(task(`${arnOf("echo")}:live`, { a: 2 }))) as JsonObject;
    expect(second["calls"]).toBe(2);
    expect((second["context"] as JsonObject)["invokedFunctionArn"]).toBe(`${arnOf("echo")}:live`);
  });

  it("callback-style handlers, named exports (`module#name`), and undefined results as null", async () => {
    expect(await adapter.run(task(arnOf("callback"), { n: 21 }))).toEqual({ doubled: 42 });
    expect(await adapter.run(task(arnOf("charge"), { amount: 7 }))).toEqual({ charged: 7 });
    expect(await adapter.run(task(arnOf("nothing"), {}))).toBeNull();
  });

  it("the function's console output reaches onLog, one line per call with its invocation's request id, not stdout", async () => {
    const out = (await adapter.run(task(INVOKE, { FunctionName: "nothing" }))) as { SdkResponseMetadata: { RequestId: string } };
    const mine = (): FunctionLog[] => logs.filter((l) => l.requestId === out.SdkResponseMetadata.RequestId);
    for (let i = 0; i < 200 && mine().length < 2; i++) await later(10);
    expect(mine().map((l) => [l.functionName, l.level, l.message])).toEqual([["nothing", "INFO", "about to return nothing"], ["nothing", "ERROR", "and an error line"]]);
  });

  it("names the config does not have go to in-process functions", async () => {
    expect(await adapter.run(task(arnOf("inProcess"), { x: 1 }))).toEqual({ local: { x: 1 } });
  });
});

describe("lambda:invoke: Lambda's Invoke response", () => {
  it("ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata and StatusCode, in AWS's order and shape", async () => {
    const out = (await adapter.run(task(INVOKE, { FunctionName: "charge", Payload: { amount: 3 } }))) as JsonObject;
    expect(Object.keys(out)).toEqual(["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]);
    expect(out).toMatchObject({ ExecutedVersion: "$LATEST", Payload: { charged: 3 }, StatusCode: 200 });
    const meta = out["SdkHttpMetadata"] as { AllHttpHeaders: Record<string, string[]>; HttpHeaders: Record<string, string>; HttpStatusCode: number };
    const requestId = (out["SdkResponseMetadata"] as { RequestId: string }).RequestId;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.HttpStatusCode).toBe(200);
    expect(Object.keys(meta.AllHttpHeaders)).toEqual(["X-Amz-Executed-Version", "x-amzn-Remapped-Content-Length", "Connection", "x-amzn-RequestId", "Content-Length", "Date", "X-Amzn-Trace-Id", "Content-Type"]);
    expect(Object.keys(meta.HttpHeaders)).toEqual(["Connection", "Content-Length", "Content-Type", "Date", "X-Amz-Executed-Version", "x-amzn-Remapped-Content-Length", "x-amzn-RequestId", "X-Amzn-Trace-Id"]);
    expect(meta.HttpHeaders).toMatchObject({
      "Content-Length": String('{"charged":3}'.length), "Content-Type": "application/json", Connection: "keep-alive", "X-Amz-Executed-Version": "$LATEST",
      "x-amzn-RequestId": requestId, Date: "Tue, 05 Nov 2024 12:31:47 GMT",
    });
    expect(meta.AllHttpHeaders["x-amzn-RequestId"]).toEqual([requestId]);
    expect(meta.HttpHeaders["X-Amzn-Trace-Id"]).toMatch(/^root=1-[0-9a-f]{8}-[0-9a-f]{24};parent=[0-9a-f]{16};sampled=0$/);
  });

  it("FunctionName as a name, a name with a qualifier, a partial ARN or an ARN; Payload null or absent sends {}; a string Payload is the raw JSON body", async () => {
    for (const name of ["echo", "echo:live", "123456789012:function:echo", arnOf("echo"), `${arnOf("echo")}:7`]) {
      const out = (await adapter.run(task(INVOKE, { FunctionName: name, Payload: { via: name } }))) as { Payload: JsonObject };
      expect(out.Payload["event"]).toEqual({ via: name });
    }
    expect(((await adapter.run(task(INVOKE, { FunctionName: "echo", Payload: null }))) as { Payload: JsonObject }).Payload["event"]).toEqual({});
    expect(((await adapter.run(task(INVOKE, { FunctionName: "echo" }))) as { Payload: JsonObject }).Payload["event"]).toEqual({});
    expect(((await adapter.run(task(INVOKE, { FunctionName: "echo", Payload: '{"raw":[1,2]}' }))) as { Payload: JsonObject }).Payload["event"]).toEqual({ raw: [1, 2] });
    expect(((await adapter.run(task(INVOKE, { FunctionName: "echo", Payload: "null" }))) as { Payload: JsonObject }).Payload["event"]).toBeNull();
  });

  it("ClientContext (base64 JSON) becomes context.clientContext; Qualifier must agree with the name's", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: "t1" } })).toString("base64");
    const out = (await adapter.run(task(INVOKE, { FunctionName: "echo", Qualifier: "live", ClientContext: clientContext, Payload: {} }))) as { Payload: JsonObject };
    expect(out.Payload["context"]).toMatchObject({ clientContext: { custom: { tenant: "t1" } }, invokedFunctionArn: `${arnOf("echo")}:live` });
    const mismatch = await failure(adapter.run(task(INVOKE, { FunctionName: "echo:live", Qualifier: "blue" })));
    expect(mismatch.error).toBe("Lambda.InvalidParameterValueException");
    expect(mismatch.cause).toMatch(/^The derived qualifier from the function name does not match the specified qualifier\. \(Service: AWSLambda; Status Code: 400; Error Code: InvalidParameterValueException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
  });

  it("InvocationType Event answers 202 at once and runs the function in the background; DryRun answers 204 and runs nothing", async () => {
    const marker = join(dir, "event-marker");
    const event = (await adapter.run(task(INVOKE, { FunctionName: "busy", InvocationType: "Event", Payload: { marker } }))) as JsonObject;
    expect(event).toMatchObject({ Payload: "", StatusCode: 202, SdkHttpMetadata: { HttpStatusCode: 202 } });
    expect(event["ExecutedVersion"]).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
    for (let i = 0; i < 500 && !existsSync(marker); i++) await later(10);
    expect(existsSync(marker)).toBe(true);
    const dry = join(dir, "dry-marker");
    expect(await adapter.run(task(INVOKE, { FunctionName: "busy", InvocationType: "DryRun", Payload: { marker: dry } }))).toMatchObject({ Payload: "", StatusCode: 204 });
    await later(900);
    expect(existsSync(dry)).toBe(false);
  });
});

describe("failures, as Lambda reports them through Step Functions", () => {
  const causeOf = (f: { cause: string }): { errorType: string; errorMessage: string; trace?: string[] } => JSON.parse(f.cause) as never;

  it("a thrown error: the error is its name, the cause Lambda's Node.js error document {errorType, errorMessage, trace}", async () => {
    const custom = await failure(adapter.run(task(arnOf("errors"), { kind: "custom" })));
    expect(custom.error).toBe("CardDeclined");
    expect(Object.keys(causeOf(custom))).toEqual(["errorType", "errorMessage", "trace"]);
    expect(causeOf(custom)).toMatchObject({ errorType: "CardDeclined", errorMessage: "card 4242 declined" });
    expect(causeOf(custom).trace?.[0]).toBe("CardDeclined: card 4242 declined");
    const type = await failure(adapter.run(task(INVOKE, { FunctionName: "errors", Payload: { kind: "type" } })));
    expect(type.error).toBe("TypeError");
    expect(causeOf(type).errorMessage).toMatch(/Cannot read properties of null/);
    const text = await failure(adapter.run(task(arnOf("errors"), { kind: "string" })));
    expect([text.error, causeOf(text)]).toEqual(["string", { errorType: "string", errorMessage: "plain text", trace: [] }]);
    const callback = await failure(adapter.run(task(arnOf("callbackError"), {})));
    expect([callback.error, causeOf(callback).errorMessage]).toEqual(["Refused", "via callback"]);
  });

  it("an exception the function leaves uncaught in a timer fails the invocation with that error; the next invocation runs", async () => {
    const late = await failure(adapter.run(task(arnOf("lateThrow"), {})));
    expect([late.error, causeOf(late).errorMessage]).toEqual(["RangeError", "thrown in a timer"]);
    expect(await adapter.run(task(arnOf("charge"), { amount: 1 }))).toEqual({ charged: 1 });
  });

  it("a function that runs past its timeout (default 3 s; here 1 s): Sandbox.Timedout with Lambda's message", async () => {
    const started = Date.now();
    const out = await failure(adapter.run(task(arnOf("sleepy"), {})));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(out.error).toBe("Sandbox.Timedout");
    expect(causeOf(out)).toEqual({ errorType: "Sandbox.Timedout", errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) });
  });

  it("a function over its memory (memoryMb, the thread's heap limit): Runtime.OutOfMemory; the process lives on", async () => {
    const out = await failure(adapter.run(task(arnOf("hog"), {})));
    expect(out.error).toBe("Runtime.OutOfMemory");
    expect(causeOf(out).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
  }, 30_000);

  it("process.exit in a handler: Runtime.ExitError with the exit status; the next invocation gets a fresh (cold) module", async () => {
    expect(await adapter.run(task(arnOf("quits"), {}))).toEqual({ calls: 1 });
    const out = await failure(adapter.run(task(arnOf("quits"), { quit: true })));
    expect(out.error).toBe("Runtime.ExitError");
    expect(causeOf(out).errorMessage).toMatch(/Error: Runtime exited with error: exit status 3$/);
    expect(await adapter.run(task(arnOf("quits"), {}))).toEqual({ calls: 1 });
  });

  it("a Task that stops waiting (its signal aborts) ends the invocation's thread: the function does not finish", async () => {
    const marker = join(dir, "cancelled-marker");
    const abort = new AbortController();
    const running = failure(adapter.run(task(arnOf("busy"), { marker }, abort.signal)));
    await later(100);
    abort.abort();
    expect((await running).error).toBe("States.TaskFailed");
    await later(900);
    expect(existsSync(marker)).toBe(false);
  });

  it("an unknown function: Lambda.ResourceNotFoundException with the SDK's message", async () => {
    const bare = await failure(adapter.run(task(arnOf("nope"), {})));
    expect(bare.error).toBe("Lambda.ResourceNotFoundException");
    expect(bare.cause).toMatch(/^Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
    const invoked = await failure(adapter.run(task(INVOKE, { FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:gone:3" })));
    expect(invoked.cause).toMatch(/^Function not found: arn:aws:lambda:eu-west-1:111122223333:function:gone:3 /);
  });

  it("modules that do not load or export no handler: Lambda's Runtime.* errors", async () => {
    const missing = await failure(adapter.run(task(arnOf("noHandler"), {})));
    expect([missing.error, causeOf(missing).errorMessage]).toEqual(["Runtime.HandlerNotFound", "no-handler.handler is undefined or not exported"]);
    expect((await failure(adapter.run(task(arnOf("broken"), {})))).error).toBe("Runtime.UserCodeSyntaxError");
    expect((await failure(adapter.run(task(arnOf("missingModule"), {})))).error).toBe("Runtime.ImportModuleError");
  });

  it("bad Parameters: a missing FunctionName, an unknown InvocationType, a Payload string that is not JSON", async () => {
    expect((await failure(adapter.run(task(INVOKE, { Payload: {} })))).error).toBe("Lambda.InvalidParameterValueException");
    expect((await failure(adapter.run(task(INVOKE, { FunctionName: "echo", InvocationType: "Later" })))).cause).toMatch(/Member must satisfy enum value set: \[Event, RequestResponse, DryRun\]/);
    expect((await failure(adapter.run(task(INVOKE, { FunctionName: "echo", Payload: "{not json" })))).error).toBe("Lambda.InvalidRequestContentException");
  });
});

describe("closing", () => {
  it("ends running invocations (Lambda.ServiceException) and refuses new ones", async () => {
    const own = new LambdaAdapter({ baseDir: dir, functions: { sleepy: { handler: "sleepy.mjs", timeoutSeconds: 30 } } });
    const running = failure(own.run(task(arnOf("sleepy"), {})));
    await later(300);
    await own.close();
    expect((await running).error).toBe("Lambda.ServiceException");
    expect((await failure(own.run(task(arnOf("sleepy"), {})))).error).toBe("Lambda.ServiceException");
  });
});
