/**
 * `forward.lambda`: invocations go to Lambda's Invoke API through the AWS SDK. No Lambda
 * emulator runs in process, so a loopback stand-in speaks Invoke's REST API (POST
 * /2015-03-31/functions/{FunctionName}/invocations, X-Amz-* headers, JSON errors with
 * x-amzn-ErrorType): the tests check the requests the Tasks make and what the engine makes of
 * the answers (results, function errors, service exceptions, connection failures, aborts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../index.js";
import { DEFAULT_ACCOUNT } from "../../runtime/engine/arns.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import type { AdapterDeps } from "../factory.js";
import { createLambdaAdapter } from "./index.js";
import type { LambdaAdapter } from "./lambda-adapter.js";

interface SeenRequest {
  readonly method: string;
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly invocationType: string | undefined;
  readonly logType: string | undefined;
  readonly clientContext: string | undefined;
  readonly body: string;
}

const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" };
const DECLINED = JSON.stringify({ errorType: "CardDeclined", errorMessage: "card declined", stackTrace: ["at charge (/var/task/index.js:3:11)"] });
const TIMED_OUT = JSON.stringify({ errorMessage: "2024-11-26T00:36:39.604Z 5b1c368c Task timed out after 3.00 seconds" });
const LOG = Buffer.from("START RequestId: r Version: 7\nEND RequestId: r\n").toString("base64");

let server: Server;
let endpoint: string;
let requests: SeenRequest[] = [];
/** Requests whose client went away before an answer. */
let abandoned: string[] = [];
let flakyCalls = 0;
let requestIds = 0;
let lambda: LambdaAdapter;
let engine: Engine;
let machines = 0;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), "x-amzn-RequestId": `req-${++requestIds}`, ...headers,
  });
  res.end(body);
}

const serviceError = (res: ServerResponse, status: number, type: string, body: object): void => send(res, status, JSON.stringify(body), { "x-amzn-ErrorType": type });

/** What the stand-in's functions do (by name, the qualifier stripped off an ARN). */
function answer(req: SeenRequest, res: ServerResponse): void {
  const name = req.functionName.split(":function:").pop()?.split(":")[0] ?? req.functionName;
  if (req.invocationType === "Event") return send(res, 202, "");
  if (req.invocationType === "DryRun") return send(res, 204, "");
  const event = JSON.parse(req.body || "{}") as JsonObject;
  const version = req.qualifier ?? (req.functionName.split(":")[7] === "prod" ? "7" : "$LATEST");
  const ok = (result: Json): void => send(res, 200, JSON.stringify(result), { "X-Amz-Executed-Version": version, ...(req.logType === "Tail" ? { "X-Amz-Log-Result": LOG } : {}) });
  const functionError = (doc: string): void => send(res, 200, doc, { "X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": version });
  switch (name) {
    case "greet": return ok({ hello: event["name"] ?? null });
    case "charge": return event["card"] === "4000" ? functionError(DECLINED) : ok({ charged: event["amount"] ?? null });
    case "flaky": return ++flakyCalls <= 2 ? functionError(JSON.stringify({ errorType: "TransientError", errorMessage: `try again (${flakyCalls})` })) : ok({ calls: flakyCalls });
    case "sleepy": return functionError(TIMED_OUT);
    case "busy": return serviceError(res, 429, "TooManyRequestsException", { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded." });
    case "broken": return serviceError(res, 500, "ServiceException", { Type: "Service", message: "Lambda was unable to process the request." });
    case "novel": return serviceError(res, 400, "SomethingNewException", { message: "a code the API model does not have" });
    case "hang":
      res.on("close", () => { if (!res.writableEnded) abandoned.push(name); });
      return;
    default: return serviceError(res, 404, "ResourceNotFoundException", { Type: "User", message: `Function not found: ${arnOf(name)}` });
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (!path || req.method !== "POST") return serviceError(res, 404, "UnknownOperationException", { message: `no route ${req.method} ${url.pathname}` });
    const seen: SeenRequest = {
      method: req.method, functionName: decodeURIComponent(path[1] as string), qualifier: url.searchParams.get("Qualifier"),
      invocationType: req.headers["x-amz-invocation-type"] as string | undefined, logType: req.headers["x-amz-log-type"] as string | undefined,
      clientContext: req.headers["x-amz-client-context"] as string | undefined, body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(seen);
    answer(seen, res);
  });
}

function forwardingAdapter(to: string): LambdaAdapter {
  const deps = { engine: { account: DEFAULT_ACCOUNT } } as unknown as AdapterDeps;
  const adapter = createLambdaAdapter({ forward: { lambda: { endpoint: to, region: "us-east-1", credentials: CREDENTIALS } } }, deps);
  if (!adapter) throw new Error("no adapter for forward.lambda");
  return adapter as LambdaAdapter;
}

async function execute(definition: object, input: Json = {}, on: Engine = engine): Promise<{ status: string; output?: Json; error?: string; cause?: string; history: readonly HistoryEvent[] }> {
  return on.result(on.startExecution(on.createStateMachine(`fwd${++machines}`, definition), input));
}

const task = (resource: string, extra: object = {}): object => ({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, End: true, ...extra } } });
const invoke = (parameters: object, extra: object = {}): object => task("arn:aws:states:::lambda:invoke", { Parameters: parameters, ...extra });
const detailsOf = (e: HistoryEvent): JsonObject => Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] as JsonObject;

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  lambda = forwardingAdapter(endpoint);
  engine = createEngine({ adapters: [lambda], virtualTime: true });
});

beforeEach(() => {
  requests = [];
  abandoned = [];
});

afterAll(async () => {
  engine?.close();
  await lambda?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("forward.lambda: what is sent", () => {
  it("a bare function ARN (with its qualifier) is invoked synchronously with the ARN as FunctionName and the input as the event; the result is the payload", async () => {
    const r = await execute(task(`${arnOf("greet")}:prod`), { name: "Ada" });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ hello: "Ada" });
    expect(requests).toEqual([{
      method: "POST", functionName: `${arnOf("greet")}:prod`, qualifier: null, invocationType: "RequestResponse", logType: undefined, clientContext: undefined, body: '{"name":"Ada"}',
    }]);
    expect(r.history.map((e) => e.type)).toContain("LambdaFunctionSucceeded");
  });

  it("lambda:invoke passes FunctionName, Qualifier, InvocationType, LogType, ClientContext and Payload on; the result is Lambda's Invoke response", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: "t1" } })).toString("base64");
    const r = await execute(invoke({ FunctionName: "greet", Qualifier: "7", InvocationType: "RequestResponse", LogType: "Tail", ClientContext: clientContext, "Payload.$": "$" }), { name: "Grace" });
    expect(r.status).toBe("SUCCEEDED");
    expect(requests).toEqual([{ method: "POST", functionName: "greet", qualifier: "7", invocationType: "RequestResponse", logType: "Tail", clientContext, body: '{"name":"Grace"}' }]);
    const out = r.output as JsonObject;
    expect(Object.keys(out)).toEqual(["ExecutedVersion", "LogResult", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]);
    expect(out).toMatchObject({ ExecutedVersion: "7", LogResult: LOG, Payload: { hello: "Grace" }, StatusCode: 200 });
    const requestId = (out["SdkResponseMetadata"] as JsonObject)["RequestId"];
    expect(requestId).toMatch(/^req-\d+$/);
    const http = out["SdkHttpMetadata"] as { AllHttpHeaders: Record<string, string[]>; HttpHeaders: Record<string, string>; HttpStatusCode: number };
    expect(http.HttpStatusCode).toBe(200);
    expect(http.HttpHeaders).toMatchObject({ "X-Amz-Executed-Version": "7", "X-Amz-Log-Result": LOG, "x-amzn-RequestId": requestId, "Content-Type": "application/json", "Content-Length": '{"hello":"Grace"}'.length.toString() });
    expect(http.AllHttpHeaders["x-amzn-RequestId"]).toEqual([requestId]);
    const names = Object.keys(http.HttpHeaders);
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
  });

  it("a string Payload is the request body as written; InvocationType Event answers 202 and DryRun 204, each with an empty Payload", async () => {
    const raw = await execute(invoke({ FunctionName: arnOf("greet"), Payload: '{ "name" : "raw" }' }));
    expect((raw.output as JsonObject)["Payload"]).toEqual({ hello: "raw" });
    const event = await execute(invoke({ FunctionName: "greet", InvocationType: "Event", Payload: { name: "later" } }));
    const dry = await execute(invoke({ FunctionName: "greet", InvocationType: "DryRun" }));
    expect(requests.map((q) => [q.functionName, q.invocationType, q.body])).toEqual([
      [arnOf("greet"), "RequestResponse", '{ "name" : "raw" }'], ["greet", "Event", '{"name":"later"}'], ["greet", "DryRun", "{}"],
    ]);
    expect(event.output).toMatchObject({ Payload: "", StatusCode: 202, SdkHttpMetadata: { HttpStatusCode: 202 } });
    expect(event.output).not.toHaveProperty("ExecutedVersion");
    expect(dry.output).toMatchObject({ Payload: "", StatusCode: 204 });
  });

  it("Parameters Lambda would refuse fail before any request: InvalidParameterValueException, as the local path reports it", async () => {
    const badType = await execute(invoke({ FunctionName: "greet", InvocationType: "Sometimes" }));
    const badLog = await execute(invoke({ FunctionName: "greet", LogType: "Everything" }));
    expect(badType.error).toBe("Lambda.InvalidParameterValueException");
    expect(badType.cause).toContain("Value 'Sometimes' at 'invocationType' failed to satisfy constraint");
    expect(badLog.error).toBe("Lambda.InvalidParameterValueException");
    expect(badLog.cause).toContain("Value 'Everything' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]");
    expect(requests).toEqual([]);
  });
});

describe("forward.lambda: function errors", () => {
  it("Retry matches the errorType of a forwarded function error; history has LambdaFunctionFailed per failed attempt with the payload as cause", async () => {
    flakyCalls = 0;
    const r = await execute(task(arnOf("flaky"), { Retry: [{ ErrorEquals: ["TransientError"], IntervalSeconds: 30, MaxAttempts: 3 }] }));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ calls: 3 });
    expect(requests).toHaveLength(3);
    const failed = r.history.filter((e) => e.type === "LambdaFunctionFailed").map(detailsOf);
    expect(failed).toEqual([
      { error: "TransientError", cause: '{"errorType":"TransientError","errorMessage":"try again (1)"}' },
      { error: "TransientError", cause: '{"errorType":"TransientError","errorMessage":"try again (2)"}' },
    ]);
  });

  it("Catch on lambda:invoke gets the errorType as Error and the error document, exactly as Lambda sent it, as Cause", async () => {
    const r = await execute({
      StartAt: "Charge",
      States: {
        Charge: {
          Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge", "Payload.$": "$" }, End: true,
          Catch: [{ ErrorEquals: ["CardDeclined"], ResultPath: "$.failure", Next: "Declined" }],
        },
        Declined: { Type: "Pass", End: true },
      },
    }, { card: "4000" });
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as JsonObject)["failure"]).toEqual({ Error: "CardDeclined", Cause: DECLINED });
  });

  it("an error document without errorType is Lambda.Unknown, with AWS's cause; States.TaskFailed catches it", async () => {
    const r = await execute({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: arnOf("sleepy"), Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Caught" }], End: true }, Caught: { Type: "Pass", End: true } },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ Error: "Lambda.Unknown", Cause: `The cause could not be determined because Lambda did not return an error type. Returned payload: ${TIMED_OUT}` });
  });
});

describe("forward.lambda: Lambda service exceptions and connection failures", () => {
  it("a missing function is Lambda.ResourceNotFoundException with the Java SDK's message and the service's request id", async () => {
    const r = await execute(invoke({ FunctionName: "missing" }));
    expect(r.error).toBe("Lambda.ResourceNotFoundException");
    expect(r.cause).toMatch(/^Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-\d+; Proxy: null\)$/);
  });

  it("TooManyRequestsException and ServiceException by name (Retry retries them); a code the API does not model is Lambda.AWSLambdaException", async () => {
    const busy = await execute(task(arnOf("busy"), { Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 2 }] }));
    expect(requests.filter((q) => q.functionName === arnOf("busy"))).toHaveLength(3);
    expect(busy.error).toBe("Lambda.TooManyRequestsException");
    expect(busy.cause).toMatch(/^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException;/);
    const broken = await execute(invoke({ FunctionName: "broken" }));
    expect(broken.error).toBe("Lambda.ServiceException");
    expect(broken.cause).toMatch(/^Lambda was unable to process the request\. \(Service: AWSLambda; Status Code: 500; Error Code: ServiceException;/);
    const novel = await execute(invoke({ FunctionName: "novel" }));
    expect(novel.error).toBe("Lambda.AWSLambdaException");
    expect(novel.cause).toMatch(/^a code the API model does not have \(Service: AWSLambda; Status Code: 400; Error Code: SomethingNewException;/);
  });

  it("an endpoint that does not answer is Lambda.SdkClientException, which States.TaskFailed catches", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = forwardingAdapter(`http://127.0.0.1:${port}`);
    const local = createEngine({ adapters: [nowhere as Adapter], virtualTime: true });
    try {
      const r = await execute({
        StartAt: "T",
        States: { T: { Type: "Task", Resource: arnOf("greet"), Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Caught" }], End: true }, Caught: { Type: "Pass", End: true } },
      }, {}, local);
      expect(r.status).toBe("SUCCEEDED");
      expect(r.output).toMatchObject({ Error: "Lambda.SdkClientException", Cause: expect.stringMatching(/^Unable to execute HTTP request: .*ECONNREFUSED/) });
    } finally {
      local.close();
      await nowhere.close();
    }
  });

  it("a Task that stops waiting (TimeoutSeconds) aborts the SDK call: the connection to Lambda is closed", async () => {
    const r = await execute(task(arnOf("hang"), { TimeoutSeconds: 1 }));
    expect(r.error).toBe("States.Timeout");
    for (let i = 0; i < 100 && abandoned.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(abandoned).toEqual(["hang"]);
  });
});

describe("forward.lambda: lambda:invoke.waitForTaskToken", () => {
  it("sends the token in the payload; the Task ends with what SendTaskSuccess sends", async () => {
    const run = engine.startExecution(engine.createStateMachine(`fwd${++machines}`, invoke({ FunctionName: "greet", Payload: { "token.$": "$$.Task.Token" } }, {
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    })), {});
    for (let i = 0; i < 300 && requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const token = (JSON.parse(requests[0]?.body ?? "{}") as { token?: string }).token;
    expect(token).toEqual(expect.any(String));
    engine.sendTaskSuccess(token as string, { shipped: true });
    const r = await engine.result(run);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ shipped: true });
  });
});

describe("forward.lambda: direct invocations (SNS subscriptions)", () => {
  it("invoke() calls the function synchronously with the client context base64-encoded and resolves with its result", async () => {
    await expect(lambda.invoke("greet", { name: "Lin" }, { clientContext: { custom: { a: 1 } } })).resolves.toEqual({ hello: "Lin" });
    expect(requests[0]).toMatchObject({ functionName: "greet", invocationType: "RequestResponse", body: '{"name":"Lin"}' });
    expect(JSON.parse(Buffer.from(requests[0]?.clientContext ?? "", "base64").toString("utf8"))).toEqual({ custom: { a: 1 } });
    await expect(lambda.invoke("charge", { card: "4000" })).rejects.toMatchObject({ error: "CardDeclined", cause: DECLINED });
  });
});
